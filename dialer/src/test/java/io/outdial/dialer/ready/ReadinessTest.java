package io.outdial.dialer.ready;

import io.outdial.dialer.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {
    private final Readiness readiness = new Readiness(Duration.ofMillis(200));

    private void running() {
        readiness.phase(Readiness.Phase.RUNNING);
    }

    @Test
    void readyWhenRunningAndNoDependencyIsDown() {
        running();
        readiness.register("database", () -> Future.succeededFuture(DependencyStatus.up("H2")));
        readiness.register("asterisk:pbx2", () -> Future.succeededFuture(DependencyStatus.degraded("1 of 2")));
        readiness.register("demo", () -> Future.succeededFuture(DependencyStatus.simulated("sandbox")));

        ReadinessReport report = Await.result(readiness.report());

        assertThat(report.ready()).isTrue();
        assertThat(report.status()).isEqualTo("UP");
        assertThat(report.dependencies()).extracting(ReadinessReport.Dependency::name)
            .containsExactly("database", "asterisk:pbx2", "demo");
    }

    @Test
    void notReadyWhenAnyDependencyIsDown() {
        running();
        readiness.register("database", () -> Future.succeededFuture(DependencyStatus.up("H2")));
        readiness.register("cluster", () -> Future.succeededFuture(DependencyStatus.down("member not running")));

        ReadinessReport report = Await.result(readiness.report());

        assertThat(report.ready()).isFalse();
        assertThat(report.status()).isEqualTo("DOWN");
    }

    @Test
    void failingThrowingOrSlowChecksCountAsDownWithTheirReason() {
        running();
        readiness.register("failing", () -> Future.failedFuture(new IllegalStateException("connection refused")));
        readiness.register("throwing", () -> {
            throw new IllegalStateException("boom");
        });
        Promise<DependencyStatus> never = Promise.promise();
        readiness.register("slow", never::future);

        ReadinessReport report = Await.result(readiness.report(), 10);

        assertThat(report.ready()).isFalse();
        assertThat(report.dependencies()).allSatisfy(d -> assertThat(d.status().state()).isEqualTo(DependencyState.DOWN));
        assertThat(report.dependencies().get(0).status().detail()).isEqualTo("connection refused");
        assertThat(report.dependencies().get(1).status().detail()).isEqualTo("boom");
        assertThat(report.dependencies().get(2).status().detail()).containsIgnoringCase("timeout");
    }

    @Test
    void notReadyWhileStartingOrDrainingEvenWithHealthyDependencies() {
        readiness.register("database", () -> Future.succeededFuture(DependencyStatus.up("H2")));
        assertThat(Await.result(readiness.report()).status()).isEqualTo("STARTING");

        readiness.phase(Readiness.Phase.DRAINING);

        ReadinessReport report = Await.result(readiness.report());
        assertThat(report.ready()).isFalse();
        assertThat(report.status()).isEqualTo("DRAINING");
    }

    @Test
    void jsonListsEachDependencyWithStateAndDetail() {
        running();
        readiness.register("database", () -> Future.succeededFuture(DependencyStatus.up("PostgreSQL 15")));

        JsonObject json = Await.result(readiness.report()).toJson();

        assertThat(json).isEqualTo(new JsonObject("{\"status\":\"UP\",\"dependencies\":[{\"name\":\"database\","
            + "\"state\":\"UP\",\"detail\":\"PostgreSQL 15\"}]}"));
    }

    @Test
    void registeringTheSameNameReplacesTheCheck() {
        running();
        readiness.register("cluster", () -> Future.succeededFuture(DependencyStatus.down("old")));
        readiness.register("cluster", () -> Future.succeededFuture(DependencyStatus.up("new")));

        assertThat(Await.result(readiness.report()).dependencies()).singleElement()
            .satisfies(d -> assertThat(d.status().detail()).isEqualTo("new"));
    }
}
