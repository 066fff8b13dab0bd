package io.outdial.dialer.api;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A blocking HTTP client for the API ITs (loopback only, never on an event loop). */
public final class ApiTestClient {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String token;

    /** A client without credentials (the API answers 401). */
    public ApiTestClient(int port) {
        this(port, null);
    }

    /** A client sending {@code Authorization: Bearer <token>} (null: none). */
    public ApiTestClient(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** A client of a started node with a new admin token. */
    public static ApiTestClient admin(io.outdial.dialer.app.DialerApp app) {
        return new ApiTestClient(app.httpPort(), io.outdial.dialer.support.TestAuth.adminToken(app));
    }

    /** The same server with another token. */
    public ApiTestClient withToken(String other) {
        return new ApiTestClient(port, other);
    }

    /** Any request, with extra headers as name, value pairs. */
    public Res send(String method, String path, String body, String type, String... headers) {
        HttpRequest.Builder b = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** The API token it sends, or null. */
    public String token() {
        return token;
    }

    /** The loopback port of the server. */
    public int port() {
        return port;
    }

    /** A response with its body as text and, when it is JSON, as an object. */
    public record Res(int status, String body, String contentType, java.net.http.HttpHeaders headers) {
        public Res(int status, String body, String contentType) {
            this(status, body, contentType, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
        }

        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    public Res get(String path) {
        return send(request(path).GET());
    }

    public Res delete(String path) {
        return send(request(path).DELETE());
    }

    public Res post(String path, String body, String type) {
        return send(request(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Res postJson(String path, JsonObject body) {
        return post(path, body.encode(), "application/json");
    }

    public Res put(String path, String body, String type) {
        return send(request(path).header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Streams a file as the raw request body. */
    public Res postFile(String path, Path file, String type) {
        try {
            return send(request(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofFile(file)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Res postBytes(String path, byte[] body, String type) {
        return send(request(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A multipart/form-data request: one file part {@code file} and text fields given as name, value pairs. */
    public Res postMultipart(String path, String fileName, byte[] content, String... fields) {
        String boundary = "outdial-test-boundary-7c1f";
        StringBuilder head = new StringBuilder();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            head.append("--").append(boundary).append("\r\n").append("Content-Disposition: form-data; name=\"")
                .append(fields[i]).append("\"\r\n\r\n").append(fields[i + 1]).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\n").append("Content-Disposition: form-data; name=\"file\";"
            + " filename=\"").append(fileName).append("\"\r\nContent-Type: text/csv\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] t = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + content.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(content, 0, all, h.length, content.length);
        System.arraycopy(t, 0, all, h.length + content.length, t.length);
        return postBytes(path, all, "multipart/form-data; boundary=" + boundary);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private static Res send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Res(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
