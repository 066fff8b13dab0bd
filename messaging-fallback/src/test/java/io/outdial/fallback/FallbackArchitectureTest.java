package io.outdial.fallback;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.scheme.Block;
import org.junit.jupiter.api.Test;

/** The module talks to the dialer through SPIs only; jsmpp stays in channel.sms. */
class FallbackArchitectureTest {

    private final JavaClasses fallback = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.outdial.fallback");

    @Test
    void usesNoOtherProjectModuleJdbcOrAri() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.outdial.dialer..", "io.outdial.ivr..",
                "io.outdial.sandbox..", "java.sql..", "javax.sql..", "com.hazelcast..").check(fallback);
    }

    @Test
    void jsmppStaysInTheSmsChannelPackage() {
        noClasses().that().resideOutsideOfPackage("io.outdial.fallback.channel.sms").should().dependOnClassesThat()
                .resideInAnyPackage("org.jsmpp..").check(fallback);
    }

    @Test
    void topLevelPackagesHaveNoCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("io.outdial.fallback.(*)..").should().beFreeOfCycles().check(fallback);
    }

    @Test
    void vertxWebStaysInTheInboundHooksRouter() {
        noClasses().that().resideOutsideOfPackage("io.outdial.fallback.hooks").should().dependOnClassesThat()
                .resideInAnyPackage("io.vertx.ext.web..").check(fallback);
    }

    @Test
    void engineSchemesAndStoreDoNotKnowTheChannelAdapters() {
        noClasses().that().resideInAnyPackage("io.outdial.fallback.engine..", "io.outdial.fallback.scheme..",
                "io.outdial.fallback.store..").should().dependOnClassesThat()
                .resideInAnyPackage("io.outdial.fallback.channel.whatsapp..", "io.outdial.fallback.channel.viber..",
                        "io.outdial.fallback.channel.webhook..", "io.outdial.fallback.hooks..",
                        "io.outdial.fallback.channel.http..").check(fallback);
    }

    @Test
    void engineAndSchemesDoNotKnowTheSmppAdapter() {
        noClasses().that().resideInAnyPackage("io.outdial.fallback.engine..", "io.outdial.fallback.scheme..",
                "io.outdial.fallback.store..").should().dependOnClassesThat()
                .resideInAPackage("io.outdial.fallback.channel.sms").check(fallback);
    }

    @Test
    void sealedCasesAreTheOnesTheEngineAndValidatorHandle() {
        // the walker's and validator's instanceof chains end in a throwing else: a new case must be added there
        assertThat(ChannelEvent.class.getPermittedSubclasses()).hasSize(4);
        assertThat(Block.class.getPermittedSubclasses()).hasSize(5);
    }
}
