package io.outdial.dialer.ready;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The composition root before start: what /ready shows, what may be added (here to read the report's dependencies
 * before rendering).
 */
class DialerAppReadinessTest {
    private static DialerConfig withAsterisk(Path dir) {
        DialerConfig local = TestConfigs.local(dir);
        return new DialerConfig(local.http(), local.database(), local.cluster(), local.shutdown(),
            List.of(new AriServerConfig("pbx1", "http://127.0.0.1:8088/ari", "u", "p", null)), List.of());
    }

    @Test
    void configuredAsteriskServersShowAsDownUntilAClientReplacesTheirCheck(@TempDir Path dir) {
        DialerApp app = DialerApp.create(withAsterisk(dir));
        try {
            ReadinessReport before = Await.result(app.readiness().report());
            assertThat(before.status()).isEqualTo("STARTING");
            assertThat(before.dependencies()).extracting(ReadinessReport.Dependency::name)
                .containsExactly("database", "cluster", "asterisk:pbx1");
            assertThat(before.dependencies().get(2).status().state()).isEqualTo(DependencyState.DOWN);
            assertThat(before.dependencies().get(2).status().detail()).contains("http://127.0.0.1:8088/ari")
                .doesNotContain("p@");

            app.readiness().register("asterisk:pbx1", () -> Future.succeededFuture(DependencyStatus.up("22.5.0")));

            ReadinessReport after = Await.result(app.readiness().report());
            assertThat(after.dependencies()).hasSize(3);
            assertThat(after.dependencies().get(2).status().state()).isEqualTo(DependencyState.UP);
        } finally {
            Await.result(app.stop());
        }
    }
}
