package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.server.HttpConfig;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node with {@code http.tlsCertificate}/{@code http.tlsKey} (PEM files, made here with the JDK's keytool) speaks
 * HTTPS, marks its session cookie Secure, and with {@code http.metricsToken} keeps {@code /metrics} for holders of
 * that token while {@code /health} stays open.
 */
@Timeout(120)
class TlsAndMetricsIT {
    @TempDir
    Path dir;

    @Test
    void httpsWithPemFilesSecureCookiesAndAMetricsToken() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(cert, key);
        String metricsToken = "metrics-" + UUID.randomUUID();
        DialerApp app = DialerApp.create(TestConfigs.local(dir.resolve("data")).withHttp(new HttpConfig("127.0.0.1", 0)
            .withTls(cert.toString(), key.toString()).withMetricsToken(metricsToken)));
        app.start().toCompletionStage().toCompletableFuture().join();
        try {
            HttpClient client = trustingClient();
            String base = "https://127.0.0.1:" + app.httpPort();
            assertThat(get(client, base + "/health", null).statusCode()).isEqualTo(200);
            assertThat(get(client, base + "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(client, base + "/metrics", "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = get(client, base + "/metrics", "Bearer " + metricsToken);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_");

            app.security().addUser("tls-user", Role.VIEWER, "long enough secret");
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                    .put("username", "tls-user").put("password", "long enough secret").encode())).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).containsIgnoringCase("Secure");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + app.httpPort() + "/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())).as("no plain HTTP on a TLS listener").isInstanceOf(Exception.class);
        } finally {
            app.stop().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static HttpResponse<String> get(HttpClient c, String url, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A self-signed certificate for 127.0.0.1 from keytool, written as PEM certificate and PKCS#8 key. */
    private void selfSigned(Path certPem, Path keyPem) throws Exception {
        Path p12 = dir.resolve("tls.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "node", "-keyalg", "RSA",
            "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit"))
            .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(p12.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey k = (PrivateKey) ks.getKey("node", "changeit".toCharArray());
        X509Certificate c = (X509Certificate) ks.getCertificate("node");
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(c.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(k.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    }

    private static HttpClient trustingClient() throws Exception {
        TrustManager[] all = {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }};
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, all, new SecureRandom());
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm("");
        return HttpClient.newBuilder().sslContext(ssl).sslParameters(params).connectTimeout(Duration.ofSeconds(5))
            .build();
    }
}
