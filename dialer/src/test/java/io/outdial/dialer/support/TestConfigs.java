package io.outdial.dialer.support;

import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.server.HttpConfig;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.trunk.TrunkConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Node configurations for tests: loopback only, free ports, H2 under a temporary directory. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** HTTP on 127.0.0.1 port 0, H2 under {@code dataDir}, a single-node cluster on a free port, 5 s drain. */
    public static DialerConfig local(Path dataDir) {
        return DialerConfig.defaults()
            .withHttp(new HttpConfig("127.0.0.1", 0))
            .withDatabase(new DatabaseConfig(null, null, null, dataDir.toString(), 4, Duration.ofSeconds(5)))
            .withCluster(new ClusterConfig("outdial-test-" + freePort(), "127.0.0.1", freePort(), false, List.of()))
            .withDrainTimeout(Duration.ofSeconds(5));
    }

    /**
     * A member of cluster {@code cluster} on the PostgreSQL database at {@code url}, data under {@code data}, dialing
     * the sandbox PBX on {@code pbxPort} through trunk {@code carrier} (10 lines, 10/s, 4 s ring timeout) with its
     * own Stasis application ({@code dialer-<data folder name>}: one application name has one events connection).
     */
    public static DialerConfig clusteredOnPbx(String url, Path data, ClusterConfig cluster, int pbxPort) {
        return local(data)
            .withDatabase(new DatabaseConfig(url, "postgres", "", data.toString(), 4, Duration.ofSeconds(5)))
            .withCluster(cluster)
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbxPort, "dialer", "dialer",
                "dialer-" + data.getFileName())))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                10, 10, Duration.ofSeconds(4), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200)));
    }

    /** A port free on loopback right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e, e);
        }
    }
}
