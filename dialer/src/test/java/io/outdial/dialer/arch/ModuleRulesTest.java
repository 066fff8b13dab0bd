package io.outdial.dialer.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ARCHITECTURE §1: {@code ivr} and {@code messaging-fallback} never see ARI, Vert.x web, JDBC, database drivers,
 * the dialer or each other (only messaging-fallback's inbound webhook router, {@code hooks}, is a Vert.x
 * web router); {@code sandbox} uses no project module. STYLE: Hazelcast stays in {@code cluster},
 * the pool and Flyway in {@code storage}. Checked over the production classes of all modules on the dialer's
 * test class path.
 */
class ModuleRulesTest {
    private static final String[] FORBIDDEN_FOR_LIBRARIES = {
        "io.vertx.ext.web..", "io.outdial.dialer..", "io.outdial.sandbox..", "java.sql..", "javax.sql..",
        "org.h2..", "org.postgresql..", "org.flywaydb..", "com.zaxxer.hikari..", "com.hazelcast.."};

    static final ArchRule IVR_IS_A_LIBRARY = noClasses().that().resideInAPackage("io.outdial.ivr..")
        .should().dependOnClassesThat().resideInAnyPackage(with(FORBIDDEN_FOR_LIBRARIES, "io.outdial.fallback.."))
        .because("ivr talks to telephony and storage only through SPIs the dialer implements")
        .allowEmptyShould(true);

    static final ArchRule FALLBACK_IS_A_LIBRARY = noClasses().that().resideInAPackage("io.outdial.fallback..")
        .and().resideOutsideOfPackage("io.outdial.fallback.hooks..")
        .should().dependOnClassesThat().resideInAnyPackage(with(FORBIDDEN_FOR_LIBRARIES, "io.outdial.ivr.."))
        .because("messaging-fallback talks to storage only through SPIs the dialer implements")
        .allowEmptyShould(true);

    /** The one exception: the inbound webhook router the dialer mounts is a Vert.x web router. */
    static final ArchRule FALLBACK_HOOKS_ARE_A_ROUTER_ONLY = noClasses()
        .that().resideInAPackage("io.outdial.fallback.hooks..")
        .should().dependOnClassesThat().resideInAnyPackage(without(with(FORBIDDEN_FOR_LIBRARIES,
            "io.outdial.ivr.."), "io.vertx.ext.web.."))
        .because("the webhook router may use Vert.x web, nothing else the rest of the module may not")
        .allowEmptyShould(true);

    static final ArchRule SANDBOX_IS_THE_OUTSIDE_WORLD = noClasses().that().resideInAPackage("io.outdial.sandbox..")
        .should().dependOnClassesThat().resideInAnyPackage("io.outdial.dialer..", "io.outdial.ivr..",
            "io.outdial.fallback..", "io.outdial.bench..")
        .because("the sandbox stands in for carriers and must not share code with the clients it tests")
        .allowEmptyShould(true);

    static final ArchRule HAZELCAST_STAYS_IN_CLUSTER = noClasses().that().resideOutsideOfPackage("io.outdial.dialer.cluster..")
        .should().dependOnClassesThat().resideInAPackage("com.hazelcast..")
        .because("one library stays in one package (STYLE: Hazelcast in cluster)");

    static final ArchRule POOL_AND_MIGRATIONS_STAY_IN_STORAGE = noClasses().that()
        .resideOutsideOfPackage("io.outdial.dialer.storage..")
        .should().dependOnClassesThat().resideInAnyPackage("com.zaxxer.hikari..", "org.flywaydb..")
        .because("the connection pool and Flyway are opened once, by storage.Database");

    static final ArchRule ONLY_ARI_SPEAKS_ARI = noClasses().that().resideInAPackage("io.outdial.dialer..")
        .and().resideOutsideOfPackage("io.outdial.dialer.ari..")
        .should().dependOnClassesThat().resideInAPackage("io.vertx.ext.web.client..")
        .orShould().dependOnClassesThat().haveNameMatching("io\\.vertx\\.core\\.http\\.(HttpClient|WebSocketClient|"
            + "WebSocket|ClientWebSocket|HttpClientRequest|HttpClientResponse|WebSocketConnectOptions).*")
        .because("only dialer.ari opens HTTP and websocket connections to Asterisk; the rest of the dialer uses "
            + "its typed client (ARCHITECTURE §6)");

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.outdial");
    }

    @Test
    void ivrDependsOnNoTelephonyWebStorageOrSiblingModule() {
        IVR_IS_A_LIBRARY.check(production);
    }

    @Test
    void messagingFallbackDependsOnNoTelephonyWebStorageOrSiblingModule() {
        FALLBACK_IS_A_LIBRARY.check(production);
        FALLBACK_HOOKS_ARE_A_ROUTER_ONLY.check(production);
    }

    @Test
    void sandboxDependsOnNoProjectModule() {
        SANDBOX_IS_THE_OUTSIDE_WORLD.check(production);
    }

    @Test
    void hazelcastTypesStayInTheClusterPackage() {
        HAZELCAST_STAYS_IN_CLUSTER.check(production);
    }

    @Test
    void poolAndMigrationsStayInTheStoragePackage() {
        POOL_AND_MIGRATIONS_STAY_IN_STORAGE.check(production);
    }

    @Test
    void onlyTheAriPackageOpensConnectionsToAsterisk() {
        ONLY_ARI_SPEAKS_ARI.check(production);
    }

    @Test
    void theAriRuleCatchesAnEngineClassThatOpensItsOwnWebClient() {
        JavaClasses fixture = new ClassFileImporter().importClasses(
            io.outdial.dialer.call.archfixture.CallClassUsingWebClient.class);

        EvaluationResult result = ONLY_ARI_SPEAKS_ARI.evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("WebClient");
    }

    @Test
    void theRulesSeeTheModulesTheyGuard() {
        assertThat(production.containPackage("io.outdial.ivr.spi")).isTrue();
        assertThat(production.containPackage("io.outdial.dialer")).isTrue();
    }

    @Test
    void theIvrRuleCatchesAnIvrClassThatUsesJdbc() {
        JavaClasses fixture = new ClassFileImporter().importClasses(
            io.outdial.ivr.archfixture.IvrClassUsingJdbc.class);

        EvaluationResult result = IVR_IS_A_LIBRARY.evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("java.sql.Connection");
    }

    private static String[] with(String[] base, String extra) {
        String[] out = java.util.Arrays.copyOf(base, base.length + 1);
        out[base.length] = extra;
        return out;
    }

    private static String[] without(String[] base, String drop) {
        return java.util.Arrays.stream(base).filter(p -> !p.equals(drop)).toArray(String[]::new);
    }
}
