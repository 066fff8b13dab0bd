package io.outdial.dialer.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.map.EntryProcessor;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clustered node ({@code cluster.joinEnabled}) whose Hazelcast member has stopped under it still answers logins
 * over HTTP: the right password signs in (200), wrong ones are refused (401) and, past the limit, throttled (429) by
 * the node's own count, and the fallback is logged once, not once per login. A login whose entry's partition is held
 * busy (as a slow or migrating partition would be) is checked by the node alone after a bounded wait.
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

    /** Opened by the test (or its end): until then the partition of the stalled key runs nothing else. */
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final CountDownLatch STALLED = new CountDownLatch(1);

    /** Keeps its key's partition thread busy until {@link #RELEASE} opens (two minutes at most). */
    static final class Stall implements EntryProcessor<String, long[], Long>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Long process(Map.Entry<String, long[]> entry) {
            STALLED.countDown();
            try {
                return RELEASE.await(120, TimeUnit.SECONDS) ? 0L : -1L;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1L;
            }
        }

        @Override
        public EntryProcessor<String, long[], Long> getBackupProcessor() {
            return null;
        }
    }

    /** A clustered node (a cluster of one that others may join) with the user {@code name}; its HTTP client. */
    private ApiTestClient clusteredNodeWith(String name) {
        int port = TestConfigs.freePort();
        app = DialerApp.create(TestConfigs.local(dir).withCluster(new ClusterConfig("outdial-fallback-"
            + TestConfigs.freePort(), "127.0.0.1", port, true, List.of("127.0.0.1:" + port))));
        Await.result(app.start(), 180);
        assertThat(app.cluster().shared()).isTrue();
        assertThat(app.security().addUser(name, Role.VIEWER, "a long enough password"))
            .isTrue();
        return new ApiTestClient(app.httpPort());
    }

    @Test
    void aLoginWhosePartitionDoesNotAnswerIsCheckedByTheNodeAlone() throws InterruptedException {
        ApiTestClient client = clusteredNodeWith("slowpoke");
        app.cluster().hazelcast().<String, long[]>getMap(ClusterLoginFailures.MAP).submitToKey("u:slowpoke",
            new Stall());
        assertThat(STALLED.await(60, TimeUnit.SECONDS)).isTrue();
        Logger log = (Logger) LoggerFactory.getLogger(ClusterLoginFailures.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            // without a bound the login would wait for the stalled partition (longer than the client's 60 s)
            Res signedIn = login(client, "slowpoke", "a long enough password");
            assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
            assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("TimeoutException",
                "this node throttles logins by its own count"));
        } finally {
            RELEASE.countDown();
            log.detachAppender(logged);
        }
    }

    @Test
    void loginsAreCountedByTheNodeWhenTheClusterMapCannotBeReached() {
        ApiTestClient client = clusteredNodeWith("erin");
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
