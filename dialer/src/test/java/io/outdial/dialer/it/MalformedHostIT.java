package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestAuth;
import io.outdial.dialer.support.TestConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node answers a request whose {@code Host} header is no host name at all ({@code [::1].example}, {@code [::1},
 * {@code [zz]:80}, {@code host:99999}, empty) with 400 {@code malformed_host} on every route, the operations routes
 * and the API's public and guarded ones included, never with a 500; a well-formed foreign name keeps its 403 from the
 * API's Host guard, and the node's own names keep working. Over real HTTP/1.1 on loopback.
 */
@Timeout(180)
class MalformedHostIT {
    @TempDir
    static Path dataDir;
    static DialerApp app;
    static String admin;

    static final List<String> MALFORMED = List.of("[::1].example", "[::1", "[zz]:80", "host:99999", "", "[::1]x",
        "localhost:", "localhost:80:80", "a b", "[::1]:-1",
        "exa%mple", "[]");
    static final List<String> ROUTES = List.of("/health", "/ready", "/metrics", "/api/v1/campaigns",
        "/api/v1/openapi.json", "/api/v1/auth/me", "/hooks/whatsapp", "/no-such-page");

    @BeforeAll
    static void start() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        app.add(Wiring.api(app, null));
        app.start().toCompletionStage().toCompletableFuture().join();
        admin = TestAuth.token(app, Role.ADMIN);
    }

    @AfterAll
    static void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void malformedHostHeadersAreBadRequestsOnEveryRoute() throws IOException {
        for (String route : ROUTES) {
            for (String host : MALFORMED) {
                String answer = get(route, "Host: " + host + "\r\n");
                assertThat(answer).as("GET %s with Host \"%s\"", route, host).startsWith("HTTP/1.1 400")
                    .contains("malformed_host");
            }
        }
        assertThat(get("/health", "Host: local\u0001host\r\n")).as("a control character: refused by the HTTP decoder")
            .startsWith("HTTP/1.1 400");
        assertThat(raw("GET /health HTTP/1.1\r\nConnection: close\r\n\r\n")).as("no Host header")
            .startsWith("HTTP/1.1 400").contains("malformed_host");
        String post = raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: [::1].example\r\nContent-Type: application/json"
            + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertThat(post).startsWith("HTTP/1.1 400").contains("malformed_host");
    }

    @Test
    void wellFormedHostsKeepTheirAnswers() throws IOException {
        int port = app.httpPort();
        for (String host : List.of("localhost", "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "[::1]",
            "LocalHost")) {
            assertThat(get("/health", "Host: " + host + "\r\n")).as(host).startsWith("HTTP/1.1 200");
            assertThat(get("/api/v1/campaigns", "Host: " + host + "\r\n")).as(host).startsWith("HTTP/1.1 200");
        }
        assertThat(get("/api/v1/campaigns", "Host: rebound.example:" + port + "\r\n")).startsWith("HTTP/1.1 403")
            .contains("host_not_allowed");
        assertThat(get("/health", "Host: rebound.example\r\n")).as("the operations routes answer any name")
            .startsWith("HTTP/1.1 200");
    }

    private static String get(String route, String hostLine) throws IOException {
        return raw("GET " + route + " HTTP/1.1\r\n" + hostLine + "Authorization: Bearer " + admin
            + "\r\nConnection: close\r\n\r\n");
    }

    private static String raw(String request) throws IOException {
        return Http.raw(app.httpPort(), request);
    }
}
