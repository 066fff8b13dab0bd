package io.outdial.dialer.cli;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.web.WebUi;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.TestAuth;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node serving on PostgreSQL while the command line changes the same database: a token revoked, a role lowered,
 * a password changed or a user deleted with {@code token}/{@code user} is refused by the running node within its
 * cache's lifetime ({@link ApiSecurity#CACHE_TTL}, at most 5 s), though the node had verified and cached the
 * credentials just before; a new login then carries the lowered role (403 where it needs more). An open live feed
 * stream is cut as well once its token is revoked or its user deleted, by the command line or through the API.
 */
@Timeout(240)
class CliAccessChangesIT {
    private static final Logger LOG = LoggerFactory.getLogger(CliAccessChangesIT.class);
    private static final String PASSWORD = "a long enough password";
    /** Bound of each wait: the cache's lifetime plus room for a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    static Path dir;
    static String url;
    static DialerApp app;

    @BeforeAll
    static void start() {
        url = EmbeddedPostgres.get().createDatabase();
        app = DialerApp.create(TestConfigs.local(dir).withDatabase(new DatabaseConfig(url, "postgres", "",
            dir.toString(), 4, Duration.ofSeconds(5))));
        app.add(Wiring.api(app, null)).add(Wiring.web(app));
        Await.result(app.start(), 180);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            Await.result(app.stop(), 60);
        }
    }

    /** One command line run in this JVM on the node's database: exit code, standard output, standard error. */
    private record Cli(int code, String out, String err) {
        static Cli run(String stdin, String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Map<String, String> env = Map.of("DIALER_DATABASE_URL", url, "DIALER_DATABASE_USER", "postgres",
                "DIALER_DATABASE_DATA_DIR", dir.resolve("cli").toString());
            int code = new Main(new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, a -> a.stop(), false,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))).run(args);
            Cli cli = new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            assertThat(code).as(String.join(" ", args) + ": " + cli.err()).isZero();
            return cli;
        }
    }

    private static String signIn(String user) {
        Res login = new ApiTestClient(app.httpPort()).postJson("/api/v1/auth/login", new JsonObject()
            .put("username", user).put("password", PASSWORD));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private static Res withCookie(String cookie, String path) {
        return new ApiTestClient(app.httpPort()).send("GET", path, null, null, "Cookie", cookie);
    }

    /** Waits until {@code status} reads {@code expected}; returns how long that took after the change (ms). */
    private static long until(long changedAt, java.util.function.IntSupplier status, int expected, String what) {
        await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> status.getAsInt() == expected);
        long ms = (System.nanoTime() - changedAt) / 1_000_000;
        LOG.info("{}: {} ms after the change", what, ms);
        return ms;
    }

    @Test
    void theCacheLivesAtMostFiveSeconds() {
        assertThat(ApiSecurity.CACHE_TTL).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aTokenRevokedByTheCommandLineIsRefusedByTheRunningNode() {
        Cli created = Cli.run("", "token", "create", "nightly", "--role", "supervisor");
        String token = created.out().trim();
        Matcher id = Pattern.compile("token (\\d+) ").matcher(created.err());
        assertThat(id.find()).as(created.err()).isTrue();
        ApiTestClient client = new ApiTestClient(app.httpPort(), token);
        assertThat(client.get("/api/v1/campaigns").status()).as("verified and now cached").isEqualTo(200);

        long revokedAt = System.nanoTime();
        Cli.run("", "token", "revoke", id.group(1));
        until(revokedAt, () -> client.get("/api/v1/campaigns").status(), 401, "revoked token refused");
        assertThat(client.get("/api/v1/auth/me").status()).isEqualTo(401);
    }

    @Test
    void aRoleLoweredByTheCommandLineEndsTheSessionAndTheNextLoginHasTheNewRole() {
        Cli.run(PASSWORD + "\n", "user", "add", "root", "--role", "admin", "--password-stdin");
        Cli.run(PASSWORD + "\n", "user", "add", "alice", "--role", "admin", "--password-stdin");
        String cookie = signIn("alice");
        assertThat(withCookie(cookie, "/api/v1/users").status()).as("an admin, cached").isEqualTo(200);

        long loweredAt = System.nanoTime();
        Cli.run("", "user", "role", "alice", "--role", "viewer");
        until(loweredAt, () -> withCookie(cookie, "/api/v1/users").status(), 401, "session of the lowered user ended");
        String again = signIn("alice");
        assertThat(withCookie(again, "/api/v1/auth/me").json().getString("role")).isEqualTo("viewer");
        Res users = withCookie(again, "/api/v1/users");
        assertThat(users.status()).as(users.body()).isEqualTo(403);
    }

    @Test
    void aPasswordChangedOrAUserDeletedByTheCommandLineEndsTheirSessions() {
        Cli.run(PASSWORD + "\n", "user", "add", "bob", "--role", "designer", "--password-stdin");
        Cli.run(PASSWORD + "\n", "user", "add", "carol", "--role", "supervisor", "--password-stdin");
        String bob = signIn("bob");
        String carol = signIn("carol");
        assertThat(withCookie(bob, "/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(withCookie(carol, "/api/v1/auth/me").status()).isEqualTo(200);

        long changedAt = System.nanoTime();
        Cli.run("another long password\n", "user", "passwd", "bob", "--password-stdin");
        Cli.run("", "user", "delete", "carol");
        until(changedAt, () -> withCookie(bob, "/api/v1/auth/me").status(), 401, "session after a password change");
        until(changedAt, () -> withCookie(carol, "/api/v1/auth/me").status(), 401, "session of a deleted user");
    }

    /** Opens the live feed with {@code headers}; the future completes when the node ends or cuts the stream. */
    private static CompletableFuture<Void> liveFeed(String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
            + WebUi.LIVE_PATH)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            req.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> res = HttpClient.newHttpClient().send(req.build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        InputStream in = res.body();
        assertThat(in.read()).as("the first event").isNotNegative();
        return CompletableFuture.runAsync(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                while (in.read(buf) >= 0) {
                    // events until the stream ends
                }
            } catch (IOException cut) {
                // a reset connection ends the stream too
            }
        });
    }

    @Test
    void openLiveFeedStreamsAreCutWhenTheirCredentialsAreRevoked() throws Exception {
        Cli created = Cli.run("", "token", "create", "wallboard", "--role", "viewer");
        Matcher id = Pattern.compile("token (\\d+) ").matcher(created.err());
        assertThat(id.find()).as(created.err()).isTrue();
        Cli.run(PASSWORD + "\n", "user", "add", "dave", "--role", "viewer", "--password-stdin");
        ApiTestClient admin = new ApiTestClient(app.httpPort(), TestAuth.token(app, Role.ADMIN));
        Res apiToken = admin.postJson("/api/v1/tokens", new JsonObject().put("name", "screen").put("role", "viewer"));
        assertThat(apiToken.status()).as(apiToken.body()).isEqualTo(201);

        CompletableFuture<Void> byCliToken = liveFeed("Authorization", "Bearer " + created.out().trim());
        CompletableFuture<Void> bySession = liveFeed("Cookie", signIn("dave"));
        CompletableFuture<Void> byApiToken = liveFeed("Authorization", "Bearer "
            + apiToken.json().getString("token"));
        await("streams with valid credentials stay open").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
            .until(() -> !byCliToken.isDone() && !bySession.isDone() && !byApiToken.isDone());

        long changedAt = System.nanoTime();
        Cli.run("", "token", "revoke", id.group(1));
        Cli.run("", "user", "delete", "dave");
        long apiAt = System.nanoTime();
        assertThat(admin.delete("/api/v1/tokens/" + apiToken.json().getLong("id")).status()).isEqualTo(204);
        until(apiAt, () -> byApiToken.isDone() ? 1 : 0, 1, "stream of a token revoked through the API cut");
        until(changedAt, () -> byCliToken.isDone() ? 1 : 0, 1, "stream of a token revoked by the command line cut");
        until(changedAt, () -> bySession.isDone() ? 1 : 0, 1, "stream of a deleted user's session cut");
    }
}
