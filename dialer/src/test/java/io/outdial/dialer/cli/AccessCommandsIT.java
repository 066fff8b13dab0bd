package io.outdial.dialer.cli;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first start through the built command line: {@code serve} without an admin says how to make one;
 * {@code user add} (password from stdin) and {@code token create} (printed once) write to the node's database, and
 * a node on that database then signs the user in and takes the token with its role.
 */
@Timeout(180)
class AccessCommandsIT {
    @TempDir
    Path dir;

    private final CapturedOutput cli = new CapturedOutput();

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DIALER_DATABASE_DATA_DIR", dir.toString());
        env.put("DIALER_HTTP_PORT", "0");
        env.put("DIALER_CLUSTER_PORT", String.valueOf(TestConfigs.freePort()));
        env.put("DIALER_CLUSTER_NAME", "outdial-cli-" + TestConfigs.freePort());
        return env;
    }

    private int run(String stdin, String... args) {
        return cli.run(env(), app -> app.stop(), stdin, args);
    }

    private String out() {
        return cli.out();
    }

    private String err() {
        return cli.err();
    }

    @Test
    void userAddAndTokenCreateMakeWorkingCredentialsAndServeSaysHowToMakeTheFirstAdmin() {
        assertThat(run("", "serve")).as(err()).isZero();
        assertThat(out()).contains("no admin user yet", "user add NAME --role admin");

        assertThat(run("short\n", "user", "add", "alice", "--role", "admin", "--password-stdin")).isEqualTo(2);
        assertThat(err()).contains("shorter than 10 characters");
        assertThat(run("a good long password\n", "user", "add", "alice", "--role", "boss", "--password-stdin"))
            .isEqualTo(2);
        assertThat(err()).contains("not a role");
        assertThat(run("a good long password\n", "user", "add", "alice", "--role", "admin", "--password-stdin"))
            .as(err()).isZero();
        assertThat(out()).contains("user alice added with role admin");
        assertThat(run("another password!!\n", "user", "add", "alice", "--role", "viewer", "--password-stdin"))
            .isEqualTo(1);
        assertThat(err()).contains("exists already");
        assertThat(run("", "user", "role", "alice", "--role", "viewer")).isEqualTo(1);
        assertThat(err()).contains("only admin");
        assertThat(run("", "user", "delete", "alice")).isEqualTo(1);
        assertThat(err()).contains("only admin");
        assertThat(run("a good long password\n", "user", "add", "bob", "--role", "viewer", "--password-stdin"))
            .as(err()).isZero();
        assertThat(run("", "user", "role", "bob", "--role", "designer")).as(err()).isZero();
        assertThat(out()).contains("user bob now has role designer");
        assertThat(run("", "user", "role", "nobody", "--role", "viewer")).isEqualTo(1);
        assertThat(err()).contains("no user nobody");

        assertThat(run("", "token", "create", "nightly", "--role", "supervisor", "--expires", "30d")).as(err())
            .isZero();
        String token = out().trim();
        assertThat(token).startsWith("odt_").doesNotContain("\n");
        assertThat(err()).contains("not shown again", "supervisor");
        assertThat(run("", "token", "create", "x", "--role", "viewer", "--expires", "yesterday")).isEqualTo(2);

        assertThat(run("", "serve")).as(err()).isZero();
        assertThat(out()).doesNotContain("no admin user yet");

        DialerApp app = DialerApp.create(TestConfigs.local(dir));
        app.add(Wiring.api(app, null));
        app.start().toCompletionStage().toCompletableFuture().join();
        try {
            ApiTestClient supervisor = new ApiTestClient(app.httpPort(), token);
            assertThat(supervisor.get("/api/v1/campaigns").status()).isEqualTo(200);
            assertThat(supervisor.get("/api/v1/auth/me").json().getString("role")).isEqualTo("supervisor");
            assertThat(supervisor.get("/api/v1/users").status()).isEqualTo(403);
            Res login = new ApiTestClient(app.httpPort()).postJson("/api/v1/auth/login", new JsonObject()
                .put("username", "alice").put("password", "a good long password"));
            assertThat(login.status()).as(login.body()).isEqualTo(200);
            assertThat(login.json().getString("role")).isEqualTo("admin");
            ApiTestClient admin = new ApiTestClient(app.httpPort(), app.security()
                .createToken("check", io.outdial.dialer.auth.Role.ADMIN, "test", null));
            String audit = admin.get("/api/v1/audit?limit=100").body();
            assertThat(audit).contains("\"actor\":\"cli\"", "user add", "token create");
            assertThat(audit).doesNotContain("a good long password", token);
        } finally {
            app.stop().toCompletionStage().toCompletableFuture().join();
        }
    }
}
