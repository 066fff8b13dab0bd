package io.outdial.sandbox;

import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;

/**
 * Runs the sandbox PBX standalone: {@code java io.outdial.sandbox.SandboxMain [port] [timeScale]}
 * (defaults 8088 and 1.0). Credentials come from {@code SANDBOX_ARI_USER}/{@code SANDBOX_ARI_PASSWORD}
 * (default dialer/dialer). Prints the ARI base URL.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "sandbox-logback.xml");
        }
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8088;
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        String user = System.getenv().getOrDefault("SANDBOX_ARI_USER", "dialer");
        String password = System.getenv().getOrDefault("SANDBOX_ARI_PASSWORD", "dialer");
        Vertx vertx = Vertx.vertx();
        SandboxPbxOptions options = SandboxPbxOptions.defaults().withPort(port).withTimeScale(scale)
            .withCredentials(user, password);
        SandboxPbx pbx = SandboxPbx.start(vertx, options).await();
        System.out.println("Sandbox PBX: " + pbx.ariBaseUrl() + " (events: " + pbx.eventsUrl() + "?app=<name>, user "
            + user + ", recordings in " + pbx.recordingsDir() + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> pbx.close().await()));
    }
}
