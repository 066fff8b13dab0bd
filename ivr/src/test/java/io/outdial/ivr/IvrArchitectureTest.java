package io.outdial.ivr;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE §1: the ivr module knows nothing of ARI, Vert.x, JDBC, storage or the other modules. */
class IvrArchitectureTest {

    private final JavaClasses ivr = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.outdial.ivr");

    @Test
    void ivrUsesNoVertxJdbcOrOtherProjectModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "java.sql..", "javax.sql..",
                "io.outdial.dialer..", "io.outdial.fallback..", "io.outdial.sandbox..", "com.hazelcast..",
                "org.h2..", "org.postgresql..").check(ivr);
    }

    @Test
    void spiDependsOnNothingElseOfTheModule() {
        noClasses().that().resideInAPackage("io.outdial.ivr.spi").should().dependOnClassesThat()
                .resideInAnyPackage("io.outdial.ivr.flow..", "io.outdial.ivr.engine..", "io.outdial.ivr.tts..",
                        "io.outdial.ivr.survey..").check(ivr);
    }

    @Test
    void interpreterStartsNoThreadsAndTouchesNoFiles() {
        noClasses().that().resideInAPackage("io.outdial.ivr.engine").should().dependOnClassesThat()
                .resideInAnyPackage("java.nio.file..", "java.io..", "java.util.concurrent..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread").check(ivr);
    }
}
