package io.outdial.dialer.it;

import io.outdial.dialer.api.ApiRoutes;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.TestAuth;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API's guard on a whole node (every component that mounts {@code /api/v1} routes): every operation of the
 * OpenAPI document refuses a request without credentials (401) and one with a lesser role (403) and lets the right
 * role through; sessions need the CSRF header for changes; revoked and expired tokens are refused; failed logins
 * are throttled; foreign Host and Origin headers and wrong body types are refused; changes land in the audit log.
 */
@Timeout(300)
class ApiSecurityIT {
    @TempDir
    static Path dataDir;
    static DialerApp app;
    static ApiRoutes api;
    static ApiTestClient anonymous;
    static final Map<Role, ApiTestClient> AS = new EnumMap<>(Role.class);

    @BeforeAll
    static void start() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        var ivr = Wiring.ivr(app);
        app.add(Wiring.tries(app, ivr, null)); // the flow try routes, as serve has them (no sandbox: 409)
        CampaignRunners runners = Wiring.campaignRunners(app);
        api = Wiring.api(app, runners);
        app.add(runners).add(api);
        Wiring.cascade(app); // the scheme and run routes, as serve has them
        app.start().toCompletionStage().toCompletableFuture().join();
        anonymous = new ApiTestClient(app.httpPort());
        for (Role r : Role.values()) {
            AS.put(r, new ApiTestClient(app.httpPort(), TestAuth.token(app, r)));
        }
    }

    @AfterAll
    static void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    /** One operation of the document with a request that reaches its handler. */
    record Call(String method, String template, String path, String role, String type, String body) {
        Res send(ApiTestClient c, String... headers) {
            return c.send(method, path, body, type, headers);
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    static List<Call> calls() {
        JsonObject doc = AS.get(Role.ADMIN).get("/api/v1/openapi.json").json();
        List<Call> out = new ArrayList<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String template : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(template);
            for (String m : List.of("get", "put", "post", "delete", "patch")) {
                JsonObject op = item.getJsonObject(m);
                if (op == null) {
                    continue;
                }
                String role = op.getString("x-required-role");
                assertThat(role).as(m + " " + template + " declares its role").isNotNull();
                // numeric ids far from any real one (a revoke of token 1 would revoke a test token)
                String path = template.replaceAll("\\{(tokenId|contactId|importId|version)}", "987654")
                    .replaceAll("\\{[^}]+}", "zz-none");
                String type = null;
                String body = null;
                JsonObject rb = op.getJsonObject("requestBody");
                if (rb != null) {
                    type = rb.getJsonObject("content").fieldNames().iterator().next();
                    body = type.equals("application/json") ? "{}" : "x";
                }
                out.add(new Call(m.toUpperCase(Locale.ROOT), template, path, role, type, body));
            }
        }
        return out;
    }

    /** The roles below {@code role}: they must be refused. */
    static List<Role> below(String role) {
        return switch (role) {
            case "admin" -> List.of(Role.VIEWER, Role.SUPERVISOR, Role.DESIGNER);
            case "designer" -> List.of(Role.VIEWER, Role.SUPERVISOR);
            case "supervisor" -> List.of(Role.VIEWER, Role.DESIGNER);
            default -> List.of();
        };
    }

    @Test
    void everyOperationOfTheDocumentIs401WithoutCredentials403BelowItsRoleAndAllowedWithIt() {
        List<Call> calls = calls();
        assertThat(calls).as("the document lists the API").hasSizeGreaterThan(40);
        List<String> registered = api.registeredRoutes();
        for (Call c : calls) {
            assertThat(registered).as("%s is served", c).contains(c.method() + " " + c.template());
            if (c.role().equals("public")) {
                Res open = c.send(anonymous);
                assertThat(open.status()).as("%s is public: %s", c, open.body()).isNotIn(401, 403);
                continue;
            }
            Res none = c.send(anonymous);
            assertThat(none.status()).as("%s without credentials: %s", c, none.body()).isEqualTo(401);
            assertThat(none.json().getString("error")).isEqualTo("unauthenticated");
            Res badToken = c.send(anonymous, "Authorization", "Bearer odt_not-a-token");
            assertThat(badToken.status()).as("%s with an unknown token", c).isEqualTo(401);
            for (Role lesser : below(c.role())) {
                Res refused = c.send(AS.get(lesser));
                assertThat(refused.status()).as("%s as %s: %s", c, lesser, refused.body()).isEqualTo(403);
                assertThat(refused.json().getString("message")).contains("needs the role " + c.role());
            }
            Role right = Role.parse(c.role(), "test", "role");
            Res allowed = c.send(AS.get(right));
            assertThat(allowed.status()).as("%s as %s: %s", c, right, allowed.body()).isNotIn(401, 403);
            Res admin = c.send(AS.get(Role.ADMIN));
            assertThat(admin.status()).as("%s as admin: %s", c, admin.body()).isNotIn(401, 403);
        }
    }

    @Test
    void aSessionNeedsTheCsrfHeaderForChangesAndEndsOnLogout() {
        AS.get(Role.ADMIN).postJson("/api/v1/users", new JsonObject().put("username", "carol")
            .put("role", "designer").put("password", "correct horse battery"));
        Res login = anonymous.postJson("/api/v1/auth/login", new JsonObject().put("username", "carol")
            .put("password", "correct horse battery"));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie.toLowerCase(Locale.ROOT)).contains("outdial_session=", "httponly", "samesite=strict",
            "path=/").doesNotContain("secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = login.json().getString("csrfToken");
        assertThat(csrf).isNotBlank();

        Res me = anonymous.send("GET", "/api/v1/auth/me", null, null, "Cookie", cookie);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().getString("name")).isEqualTo("carol");
        assertThat(me.json().getString("via")).isEqualTo("session");
        String flow = "{\"id\": \"f\"}";
        Res noCsrf = anonymous.send("POST", "/api/v1/flows/validate", flow, "application/json", "Cookie", cookie);
        assertThat(noCsrf.status()).as(noCsrf.body()).isEqualTo(403);
        assertThat(noCsrf.json().getString("error")).isEqualTo("csrf");
        Res wrongCsrf = anonymous.send("POST", "/api/v1/flows/validate", flow, "application/json", "Cookie", cookie,
            "X-CSRF-Token", "not-it");
        assertThat(wrongCsrf.status()).isEqualTo(403);
        Res withCsrf = anonymous.send("POST", "/api/v1/flows/validate", flow, "application/json", "Cookie", cookie,
            "X-CSRF-Token", csrf);
        assertThat(withCsrf.status()).as(withCsrf.body()).isEqualTo(200);
        Res supervisorOnly = anonymous.send("GET", "/api/v1/telephony/doctor", null, null, "Cookie", cookie);
        assertThat(supervisorOnly.status()).as("a designer is no supervisor").isEqualTo(403);

        Res logoutNoCsrf = anonymous.send("POST", "/api/v1/auth/logout", null, null, "Cookie", cookie);
        assertThat(logoutNoCsrf.status()).isEqualTo(403);
        Res logout = anonymous.send("POST", "/api/v1/auth/logout", null, null, "Cookie", cookie,
            "X-CSRF-Token", csrf);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(anonymous.send("GET", "/api/v1/auth/me", null, null, "Cookie", cookie).status())
            .as("the session ended on the server").isEqualTo(401);
    }

    @Test
    void anAdminChangesAUsersRoleTheirSessionsEndAndTheOnlyAdminKeepsTheRole() {
        ApiTestClient admin = AS.get(Role.ADMIN);
        admin.postJson("/api/v1/users", new JsonObject().put("username", "erin").put("role", "designer")
            .put("password", "correct horse battery"));
        String cookie = sessionCookie("erin");
        Res changed = admin.send("PATCH", "/api/v1/users/erin", "{\"role\": \"supervisor\"}", "application/json");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().getString("role")).isEqualTo("supervisor");
        assertThat(anonymous.send("GET", "/api/v1/auth/me", null, null, "Cookie", cookie).status())
            .as("the old session ended with the old role").isEqualTo(401);
        String again = sessionCookie("erin");
        Res me = anonymous.send("GET", "/api/v1/auth/me", null, null, "Cookie", again);
        assertThat(me.json().getString("role")).isEqualTo("supervisor");
        assertThat(anonymous.send("GET", "/api/v1/telephony/doctor", null, null, "Cookie", again).status())
            .as("a supervisor now").isNotIn(401, 403);
        assertThat(admin.send("PATCH", "/api/v1/users/erin", "{}", "application/json").status()).isEqualTo(400);
        assertThat(admin.send("PATCH", "/api/v1/users/erin", "{\"password\": \"short\"}", "application/json")
            .json().getString("field")).isEqualTo("password");
        assertThat(admin.send("PATCH", "/api/v1/users/nobody", "{\"role\": \"viewer\"}", "application/json")
            .status()).isEqualTo(404);
        Res byDesigner = AS.get(Role.DESIGNER).send("PATCH", "/api/v1/users/erin", "{\"role\": \"admin\"}",
            "application/json");
        assertThat(byDesigner.status()).isEqualTo(403);

        // the only admin user can neither step down nor be deleted: someone must be able to manage users
        admin.postJson("/api/v1/users", new JsonObject().put("username", "frank").put("role", "admin")
            .put("password", "correct horse battery"));
        assertThat(admin.get("/api/v1/users").json().getJsonArray("items").stream().map(o -> (JsonObject) o)
            .filter(u -> "admin".equals(u.getString("role"))).map(u -> u.getString("username")).toList())
            .containsExactly("frank");
        Res stepDown = admin.send("PATCH", "/api/v1/users/frank", "{\"role\": \"viewer\"}", "application/json");
        assertThat(stepDown.status()).as(stepDown.body()).isEqualTo(409);
        assertThat(stepDown.json().getString("message")).contains("only admin");
        assertThat(admin.delete("/api/v1/users/frank").status()).isEqualTo(409);
        assertThat(admin.send("PATCH", "/api/v1/users/erin", "{\"role\": \"admin\"}", "application/json")
            .status()).isEqualTo(200);
        assertThat(admin.send("PATCH", "/api/v1/users/frank", "{\"role\": \"viewer\"}", "application/json")
            .status()).isEqualTo(200);
    }

    private String sessionCookie(String user) {
        Res login = anonymous.postJson("/api/v1/auth/login", new JsonObject().put("username", user)
            .put("password", "correct horse battery"));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void aRevokedOrExpiredTokenIsRefused() {
        ApiTestClient admin = AS.get(Role.ADMIN);
        Res created = admin.postJson("/api/v1/tokens", new JsonObject().put("name", "ci").put("role", "viewer")
            .put("expires", "30d"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().getString("token");
        assertThat(token).startsWith("odt_");
        long id = created.json().getLong("id");
        ApiTestClient ci = admin.withToken(token);
        assertThat(ci.get("/api/v1/campaigns").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/tokens").body()).contains("\"name\":\"ci\"").doesNotContain(token);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/tokens").json().getJsonArray("items")
            .stream().map(o -> (JsonObject) o)
            .anyMatch(t -> t.getLong("id") == id && t.getString("lastUsedAt") != null));

        assertThat(admin.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        Res revoked = ci.get("/api/v1/campaigns");
        assertThat(revoked.status()).as("revoked on this node: refused at once").isEqualTo(401);

        ApiSecurity security = app.security();
        String expired = security.createToken("old", Role.ADMIN, "test", Instant.now().minusSeconds(1));
        assertThat(admin.withToken(expired).get("/api/v1/campaigns").status()).isEqualTo(401);
        String soon = security.createToken("soon", Role.ADMIN, "test", Instant.now().plusSeconds(2));
        assertThat(admin.withToken(soon).get("/api/v1/campaigns").status()).as("cached while valid").isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .until(() -> admin.withToken(soon).get("/api/v1/campaigns").status() == 401);
    }

    @Test
    void failedLoginsOfOneUserAreThrottled() {
        AS.get(Role.ADMIN).postJson("/api/v1/users", new JsonObject().put("username", "dave")
            .put("role", "viewer").put("password", "a long enough password"));
        for (int i = 0; i < 5; i++) {
            Res wrong = anonymous.postJson("/api/v1/auth/login", new JsonObject().put("username", "dave")
                .put("password", "wrong password " + i));
            assertThat(wrong.status()).as(wrong.body()).isEqualTo(401);
        }
        Res throttled = anonymous.postJson("/api/v1/auth/login", new JsonObject().put("username", "dave")
            .put("password", "a long enough password"));
        assertThat(throttled.status()).as("even the right password waits").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        Res audit = AS.get(Role.ADMIN).get("/api/v1/audit?limit=1000");
        assertThat(audit.body()).contains("login failed", "user:dave");
    }

    @Test
    void foreignHostOriginAndBodyTypesAreRefused() throws IOException {
        String answer = raw("GET /api/v1/campaigns HTTP/1.1\r\nHost: rebound.example:" + app.httpPort()
            + "\r\nAuthorization: Bearer " + AS.get(Role.ADMIN).token() + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 403").contains("host_not_allowed");
        String local = raw("GET /api/v1/campaigns HTTP/1.1\r\nHost: localhost:" + app.httpPort()
            + "\r\nAuthorization: Bearer " + AS.get(Role.ADMIN).token() + "\r\nConnection: close\r\n\r\n");
        assertThat(local).startsWith("HTTP/1.1 200");
        for (String host : new String[] {"LocalHost", "[::1]:" + app.httpPort(), "127.0.0.1"}) {
            assertThat(raw("GET /api/v1/campaigns HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
                + AS.get(Role.ADMIN).token() + "\r\nConnection: close\r\n\r\n")).as(host).startsWith("HTTP/1.1 200");
        }
        for (String host : new String[] {"localhost.rebound.example", "127.0.0.1.nip.example:" + app.httpPort(),
            "[::2]:" + app.httpPort(), "localhos"}) {
            assertThat(raw("GET /api/v1/campaigns HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
                + AS.get(Role.ADMIN).token() + "\r\nConnection: close\r\n\r\n")).as(host).startsWith("HTTP/1.1 403");
        }

        ApiTestClient designer = AS.get(Role.DESIGNER);
        Res foreign = designer.send("POST", "/api/v1/flows/validate", "{}", "application/json",
            "Origin", "https://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().getString("error")).isEqualTo("origin_not_allowed");
        Res own = designer.send("POST", "/api/v1/flows/validate", "{}", "application/json",
            "Origin", "http://127.0.0.1:" + app.httpPort());
        assertThat(own.status()).isEqualTo(200);
        assertThat(designer.send("GET", "/api/v1/campaigns", null, null, "Origin", "https://evil.example").status())
            .as("reads are not refused by Origin (CORS keeps their answers from the page)").isEqualTo(200);

        Res text = designer.post("/api/v1/campaigns", "{\"id\": \"c\"}", "text/plain");
        assertThat(text.status()).as(text.body()).isEqualTo(415);
        Res form = AS.get(Role.SUPERVISOR).post("/api/v1/campaigns/x/state", "state=RUNNING",
            "application/x-www-form-urlencoded");
        assertThat(form.status()).isEqualTo(415);
        Res login = anonymous.post("/api/v1/auth/login", "{\"username\":\"a\",\"password\":\"b\"}", "text/plain");
        assertThat(login.status()).isEqualTo(415);
        assertThat(anonymous.get("/api/v1/users").headers().firstValue("Access-Control-Allow-Origin"))
            .as("CORS off unless configured").isEmpty();
    }

    @Test
    void changesAreInTheAuditLogForAdminsOnly() {
        ApiTestClient designer = AS.get(Role.DESIGNER);
        Res created = designer.postJson("/api/v1/campaigns", new JsonObject().put("id", "audited").put("name", "A")
            .put("region", "UA").put("timeZone", "Europe/Kyiv"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(designer.get("/api/v1/audit").status()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(10)).until(() -> AS.get(Role.ADMIN).get("/api/v1/audit?limit=1000")
            .json().getJsonArray("items").stream().map(o -> (JsonObject) o).anyMatch(e ->
                e.getString("action").equals("POST /api/v1/campaigns") && e.getString("actor").startsWith("token:")
                && e.getInteger("status") == 201));
        Res page = AS.get(Role.ADMIN).get("/api/v1/audit?limit=1&offset=0");
        assertThat(page.json().getJsonArray("items")).hasSize(1);
        assertThat(page.json().getLong("total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aViewerSeesPhoneNumbersMasked() {
        Res added = AS.get(Role.SUPERVISOR).put("/api/v1/stop-list/global/+380501234567", "{}", "application/json");
        assertThat(added.status()).as(added.body()).isIn(200, 201);
        String full = AS.get(Role.SUPERVISOR).get("/api/v1/stop-list/global?limit=1000").body();
        assertThat(full).contains("\"phone\":\"+380501234567\"");
        String masked = AS.get(Role.VIEWER).get("/api/v1/stop-list/global?limit=1000").body();
        assertThat(masked).doesNotContain("+380501234567").contains("\"phone\":\"+\u2022\u2022\u2022\u2022\u2022"
            + "\u2022\u2022\u2022\u2022\u202267\"");
    }

    @Test
    void aSignInLinkWorksOnceFromThisMachine() {
        app.security().addUserWithRandomPassword("linked", Role.ADMIN);
        String link = app.security().issueLink("linked");
        Res first = anonymous.get(link);
        // the client follows no redirect: 303 with the session cookie
        assertThat(first.status()).as(first.body()).isEqualTo(303);
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        Res me = anonymous.send("GET", "/api/v1/auth/me", null, null, "Cookie",
            cookie.substring(0, cookie.indexOf(';')));
        assertThat(me.json().getString("name")).isEqualTo("linked");
        assertThat(anonymous.get(link).status()).as("used once").isEqualTo(404);
    }

    private static String raw(String request) throws IOException {
        return Http.raw(app.httpPort(), request);
    }
}
