package io.outdial.dialer.it;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two clustered nodes (two Hazelcast members in one JVM on loopback) sharing one PostgreSQL database: failed logins
 * spread over both nodes are counted once, and a token revoked, a role changed or a session ended through one node
 * is refused (or changed) on the other at once, even while the other had it cached.
 */
class ClusterAuthIT {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterAuthIT.class);
    @TempDir
    static Path dir;
    private static DialerApp a;
    private static DialerApp b;
    private static ApiTestClient adminA;
    private static ApiTestClient adminB;

    @BeforeAll
    static void startTwoNodes() {
        String url = EmbeddedPostgres.get().createDatabase();
        String name = "outdial-auth-" + TestConfigs.freePort();
        int portA = TestConfigs.freePort();
        int portB = TestConfigs.freePort();
        a = DialerApp.create(node(url, dir.resolve("a"), new ClusterConfig(name, "127.0.0.1", portA, true,
            List.of("127.0.0.1:" + portB))));
        Await.result(a.start(), 180);
        b = DialerApp.create(node(url, dir.resolve("b"), new ClusterConfig(name, "127.0.0.1", portB, true,
            List.of("127.0.0.1:" + portA))));
        Await.result(b.start(), 180);
        await().atMost(Duration.ofSeconds(60)).until(() -> a.cluster().memberCount() == 2
            && b.cluster().memberCount() == 2);
        adminA = ApiTestClient.admin(a);
        adminB = new ApiTestClient(b.httpPort(), adminA.token());
    }

    private static io.outdial.dialer.config.DialerConfig node(String url, Path data, ClusterConfig cluster) {
        return TestConfigs.local(data).withDatabase(new DatabaseConfig(url, "postgres", "", data.toString(), 4,
            Duration.ofSeconds(5))).withCluster(cluster);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            Await.result(b.stop(), 60);
        }
        if (a != null) {
            Await.result(a.stop(), 60);
        }
    }

    private static void user(String name, String role) {
        Res made = adminA.postJson("/api/v1/users", new JsonObject().put("username", name).put("role", role)
            .put("password", "a long enough password"));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
    }

    private static Res login(ApiTestClient node, String user, String password) {
        return node.postJson("/api/v1/auth/login", new JsonObject().put("username", user).put("password", password));
    }

    @Test
    void fiveFailedLoginsSpreadOverTwoNodesThrottleTheSixthOnEither() {
        user("mallory-target", "viewer");
        ApiTestClient[] nodes = {new ApiTestClient(a.httpPort()), new ApiTestClient(b.httpPort())};
        for (int i = 0; i < 5; i++) {
            Res wrong = login(nodes[i % 2], "mallory-target", "wrong password " + i);
            assertThat(wrong.status()).as("guess %d on node %s: %s", i, i % 2 == 0 ? "A" : "B", wrong.body())
                .isEqualTo(401);
        }
        for (ApiTestClient node : nodes) {
            Res sixth = login(node, "mallory-target", "a long enough password");
            assertThat(sixth.status()).as("even the right password waits, on either node: " + sixth.body())
                .isEqualTo(429);
            assertThat(Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 15L * 60);
        }
        // another user from the same address (4 more failures: 9 of the 20 an address may have) still signs in
        user("honest", "viewer");
        assertThat(login(nodes[1], "honest", "a long enough password").status()).isEqualTo(200);
    }

    @Test
    void aTokenRevokedOnNodeAIsRefusedOnNodeBAtOnce() {
        Res created = adminA.postJson("/api/v1/tokens", new JsonObject().put("name", "leaked").put("role", "viewer"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().getString("token");
        long id = created.json().getLong("id");
        ApiTestClient onB = new ApiTestClient(b.httpPort(), token);
        ApiTestClient onA = new ApiTestClient(a.httpPort(), token);
        assertThat(onB.get("/api/v1/auth/me").status()).as("verified and cached on B").isEqualTo(200);
        assertThat(onA.get("/api/v1/auth/me").status()).as("verified and cached on A").isEqualTo(200);

        long start = System.nanoTime();
        Res revoked = adminA.delete("/api/v1/tokens/" + id);
        long revokeMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);

        assertThat(onB.get("/api/v1/auth/me").status()).as("refused on B right after the revocation on A")
            .isEqualTo(401);
        assertThat(onA.get("/api/v1/auth/me").status()).isEqualTo(401);
        LOG.info("revocation through node A answered in {} ms, both nodes' caches cleared", revokeMs);
    }

    @Test
    void aRoleChangeAndALogoutOnNodeATakeEffectOnNodeBAtOnce() {
        user("frank", "designer");
        Res signedIn = login(new ApiTestClient(b.httpPort()), "frank", "a long enough password");
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        ApiTestClient anonymousB = new ApiTestClient(b.httpPort());
        ApiTestClient anonymousA = new ApiTestClient(a.httpPort());
        assertThat(anonymousB.send("GET", "/api/v1/auth/me", null, null, "Cookie", cookie).json()
            .getString("role")).as("cached on B").isEqualTo("designer");

        Res changed = adminA.send("PATCH", "/api/v1/users/frank", new JsonObject().put("role", "viewer").encode(),
            "application/json");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        Res afterChange = anonymousB.send("GET", "/api/v1/auth/me", null, null, "Cookie", cookie);
        assertThat(afterChange.status()).as("the role change ended the session, on B at once").isEqualTo(401);

        Res again = login(anonymousB, "frank", "a long enough password");
        String cookie2 = again.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        assertThat(anonymousB.send("GET", "/api/v1/auth/me", null, null, "Cookie", cookie2).json().getString("role"))
            .isEqualTo("viewer");
        Res out = anonymousA.send("POST", "/api/v1/auth/logout", null, null, "Cookie", cookie2,
            "X-CSRF-Token", again.json().getString("csrfToken"));
        assertThat(out.status()).as(out.body()).isEqualTo(204);
        assertThat(anonymousB.send("GET", "/api/v1/auth/me", null, null, "Cookie", cookie2).status())
            .as("logged out on A: refused on B at once").isEqualTo(401);
    }
}
