package io.outdial.dialer.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.auth.Secrets;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clustered node ({@code cluster.joinEnabled}) whose Hazelcast member has stopped under it still answers logins
 * over HTTP: the right password signs in (200), wrong ones are refused (401) and, past the limit, throttled (429) by
 * the node's own count, and the fallback is logged once, not once per login.
 */
@Timeout(240)
class ClusterLoginFallbackIT {
    @TempDir
    Path dir;
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 60);
        }
    }

    private static Res login(ApiTestClient client, String user, String password) {
        return client.postJson("/api/v1/auth/login", new JsonObject().put("username", user)
            .put("password", password));
    }

    @Test
    void loginsAreCountedByTheNodeWhenTheClusterMapCannotBeReached() {
        int port = TestConfigs.freePort();
        app = DialerApp.create(TestConfigs.local(dir).withCluster(new ClusterConfig("outdial-fallback-"
            + TestConfigs.freePort(), "127.0.0.1", port, true, List.of("127.0.0.1:" + port))));
        Await.result(app.start(), 180);
        assertThat(app.cluster().shared()).isTrue();
        assertThat(app.security().store().addUser("erin", Role.VIEWER, Secrets.hashPassword("a long enough password")))
            .isTrue();
        ApiTestClient client = new ApiTestClient(app.httpPort());
        Res before = login(client, "erin", "a long enough password");
        assertThat(before.status()).as("through the cluster map: " + before.body()).isEqualTo(200);
        assertThat(app.cluster().hazelcast().getMap(ClusterLoginFailures.MAP).size()).isZero();

        Logger log = (Logger) LoggerFactory.getLogger(ClusterLoginFailures.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            app.cluster().hazelcast().shutdown(); // every map call now throws HazelcastInstanceNotActiveException

            Res signedIn = login(client, "erin", "a long enough password");
            assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                Res wrong = login(client, "erin", "wrong password " + i);
                assertThat(wrong.status()).as("guess %d: %s", i, wrong.body()).isEqualTo(401);
            }
            Res sixth = login(client, "erin", "a long enough password");
            assertThat(sixth.status()).as("throttled by the node's own count: " + sixth.body()).isEqualTo(429);
            assertThat(Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 15L * 60);

            List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertThat(warnings).as("8 logins fell back; one warning per minute").hasSize(1);
            assertThat(warnings.get(0).getFormattedMessage()).contains(ClusterLoginFailures.MAP,
                "this node throttles logins by its own count");
        } finally {
            log.detachAppender(logged);
        }
    }
}
