package io.outdial.dialer.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A blocking HTTP client for tests (never on an event loop). */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(uri(port, path)).GET());
    }

    public static HttpResponse<String> post(int port, String path, String body) {
        return send(HttpRequest.newBuilder(uri(port, path)).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A GET with {@code Authorization: Bearer <token>}. */
    public static HttpResponse<String> get(int port, String path, String token) {
        return send(HttpRequest.newBuilder(uri(port, path)).header("Authorization", "Bearer " + token).GET());
    }

    /** A GET of {@code path} under an ARI base URL ({@code http://host:port/ari}) with HTTP Basic credentials. */
    public static HttpResponse<String> ariGet(String ariBaseUrl, String user, String password, String path) {
        return send(HttpRequest.newBuilder(URI.create(ariBaseUrl + path)).header("Authorization", "Basic "
            + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).GET());
    }

    /** A JSON POST with {@code Authorization: Bearer <token>}. */
    public static HttpResponse<String> post(int port, String path, String body, String token) {
        return send(HttpRequest.newBuilder(uri(port, path)).header("content-type", "application/json")
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Sends {@code request} as written (request line, headers such as a malformed {@code Host} the HTTP client would
     * not send, body) to 127.0.0.1:{@code port} and reads the whole answer, status line and headers included (send
     * {@code Connection: close}).
     */
    public static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
