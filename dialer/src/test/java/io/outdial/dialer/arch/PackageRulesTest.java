package io.outdial.dialer.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package structure of the dialer (docs/architecture.md): packages without cycles in every module, one
 * composition root ({@code app}, with the command line in {@code cli} and the demo in {@code demo}), the sandbox
 * reachable only from {@code demo} and {@code cli}, no Vert.x internal API, no raw threads and the node's clock
 * wherever business time is read. Checked over the production classes of all modules.
 */
class PackageRulesTest {
    private static final String[] ROOT = {"io.outdial.dialer.app..", "io.outdial.dialer.cli..",
        "io.outdial.dialer.demo.."};

    static final ArchRule DIALER_FREE_OF_CYCLES = slices().matching("io.outdial.dialer.(*)..").should()
        .beFreeOfCycles();
    static final ArchRule IVR_FREE_OF_CYCLES = slices().matching("io.outdial.ivr.(*)..").should().beFreeOfCycles();
    static final ArchRule FALLBACK_FREE_OF_CYCLES = slices().matching("io.outdial.fallback.(*)..").should()
        .beFreeOfCycles();
    static final ArchRule SANDBOX_FREE_OF_CYCLES = slices().matching("io.outdial.sandbox.(*)..").should()
        .beFreeOfCycles();

    static final ArchRule SANDBOX_ONLY_FROM_DEMO_AND_CLI = noClasses().that().resideInAPackage("io.outdial.dialer..")
        .and().resideOutsideOfPackages("io.outdial.dialer.demo..", "io.outdial.dialer.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.outdial.sandbox..")
        .because("simulated carriers are wired by the demo and the run command only, never on the serving path");

    static final ArchRule NO_VERTX_INTERNALS = noClasses().that().resideInAPackage("io.outdial..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.impl..", "io.vertx.core.internal..",
            "io.vertx.core.net.impl..", "io.vertx.core.http.impl..")
        .because("only Vert.x's public API is used: internals change between releases");

    static final ArchRule ONE_COMPOSITION_ROOT = noClasses().that().resideInAPackage("io.outdial.dialer..")
        .and().resideOutsideOfPackages(ROOT)
        .should().dependOnClassesThat().haveFullyQualifiedName("io.outdial.dialer.app.DialerApp")
        .because("components take the services they use, never the whole node");

    static final ArchRule NO_RAW_THREADS = noClasses().that().resideInAPackage("io.outdial.dialer..")
        .and().resideOutsideOfPackages(ROOT)
        .should().callConstructorWhere(target(owner(assignableTo(Thread.class))))
        .because("blocking work runs on the node's named worker pools; only the composition root makes the "
            + "threads the JVM asks for (shutdown hooks) and the one that outlives Vert.x to close it");

    /**
     * Reading the wall clock for business time. Allowed: the composition root, which picks the node's clock;
     * {@code dialing.ChannelIds}, whose ids only need to differ between node runs (not business time). Elapsed
     * time ({@code System.nanoTime}) is not business time and is allowed everywhere.
     */
    private static final DescribedPredicate<JavaMethodCall> READS_WALL_CLOCK =
        DescribedPredicate.describe("reads the wall clock", call -> {
            String owner = call.getTargetOwner().getName();
            String name = call.getName();
            boolean noArgs = call.getTarget().getRawParameterTypes().isEmpty();
            if (owner.equals(System.class.getName())) {
                return name.equals("currentTimeMillis");
            }
            if (owner.equals(Clock.class.getName())) {
                return name.equals("systemUTC") || name.equals("systemDefaultZone");
            }
            return noArgs && name.equals("now") && Set.of(Instant.class.getName(), LocalDate.class.getName(),
                LocalDateTime.class.getName(), LocalTime.class.getName(), OffsetDateTime.class.getName(),
                ZonedDateTime.class.getName()).contains(owner);
        });

    static final ArchRule NODE_CLOCK_FOR_BUSINESS_TIME = noClasses().that().resideInAPackage("io.outdial.dialer..")
        .and().resideOutsideOfPackages(ROOT)
        .and().doNotHaveFullyQualifiedName("io.outdial.dialer.dialing.ChannelIds")
        .should().callMethodWhere(READS_WALL_CLOCK)
        .because("time is read from the node's injected Clock, so tests and the sandbox can move it");

    /** The pacing calls that wait for their answer (a cluster round trip): worker threads and benchmarks only. */
    private static final DescribedPredicate<JavaMethodCall> WAITS_FOR_PACING =
        DescribedPredicate.describe("waits for a line lease or a rate token", call -> {
            String name = call.getName();
            String owner = call.getTargetOwner().getName();
            boolean leases = call.getTargetOwner().isAssignableTo("io.outdial.dialer.pacing.LineLeases")
                && (name.equals("tryAcquire") || name.equals("adopt"));
            boolean rates = call.getTargetOwner().isAssignableTo("io.outdial.dialer.pacing.RateLimiter")
                && name.equals("tryAcquire");
            boolean pacer = owner.equals("io.outdial.dialer.pacing.Pacer")
                && Set.of("tryStart", "tryLease", "tryToken").contains(name);
            return leases || rates || pacer;
        });

    static final ArchRule PACING_NEVER_WAITS_ON_AN_EVENT_LOOP = noClasses().that()
        .resideInAPackage("io.outdial.dialer..")
        .and().resideOutsideOfPackages("io.outdial.dialer.pacing..", "io.outdial.dialer.cluster..")
        .should().callMethodWhere(WAITS_FOR_PACING)
        .because("the runners and call engines run on event loops: they ask for leases and tokens with "
            + "Pacer.lease and Pacer.token, whose cluster answers come back without a thread waiting for them");

    /** Percent of the dialer's top-level production classes that are public: a ceiling that only goes down. */
    static final double MAX_PUBLIC_PERCENT = 39.5;

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.outdial");
    }

    @Test
    void dialerPackagesHaveNoCycles() {
        DIALER_FREE_OF_CYCLES.check(production);
    }

    @Test
    void ivrPackagesHaveNoCycles() {
        IVR_FREE_OF_CYCLES.check(production);
    }

    @Test
    void fallbackPackagesHaveNoCycles() {
        FALLBACK_FREE_OF_CYCLES.check(production);
    }

    @Test
    void sandboxPackagesHaveNoCycles() {
        SANDBOX_FREE_OF_CYCLES.check(production);
    }

    @Test
    void sandboxIsReachableOnlyFromDemoAndCli() {
        SANDBOX_ONLY_FROM_DEMO_AND_CLI.check(production);
    }

    @Test
    void noVertxInternalApi() {
        NO_VERTX_INTERNALS.check(production);
    }

    @Test
    void onlyTheCompositionRootKnowsTheNode() {
        ONE_COMPOSITION_ROOT.check(production);
    }

    @Test
    void noEventLoopCodeWaitsForALineLeaseOrARateToken() {
        PACING_NEVER_WAITS_ON_AN_EVENT_LOOP.check(production);
    }

    @Test
    void noRawThreadsOutsideTheCompositionRoot() {
        NO_RAW_THREADS.check(production);
    }

    @Test
    void businessTimeComesFromTheNodeClock() {
        NODE_CLOCK_FOR_BUSINESS_TIME.check(production);
    }

    /**
     * Top-level classes of {@code io.outdial.dialer..} (one per source file of {@code dialer/src/main/java}; nested,
     * anonymous and synthetic classes and {@code package-info} do not count): the share that is public stays at or
     * under {@link #MAX_PUBLIC_PERCENT}. A class used by one package only is package-private in it.
     */
    @Test
    void publicShareOfTopLevelClassesStaysUnderTheCeiling() {
        List<JavaClass> topLevel = production.stream()
            .filter(c -> c.getPackageName().startsWith("io.outdial.dialer"))
            .filter(c -> c.isTopLevelClass() && !c.getName().contains("$") && !c.getSimpleName().equals("package-info"))
            .toList();
        long publicCount = topLevel.stream().filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC)).count();
        double percent = 100.0 * publicCount / topLevel.size();
        assertThat(percent)
            .as("%d of %d top-level classes of the dialer are public (%.1f %%); the ceiling is %.1f %%", publicCount,
                topLevel.size(), percent, MAX_PUBLIC_PERCENT)
            .isLessThanOrEqualTo(MAX_PUBLIC_PERCENT);
    }
}
