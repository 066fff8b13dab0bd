package io.outdial.dialer.storage;

import io.outdial.dialer.support.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Opening a database that is not there fails fast with the URL and the cause. */
class DatabaseStartFailureTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void unreachablePostgresFailsNamingTheUrlAndTheCause(@TempDir Path dir) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/outdial";
        DatabaseConfig config = new DatabaseConfig(url, "outdial", "secret", dir.toString(), 2, Duration.ofSeconds(2));

        Throwable failure = Await.failure(Database.create(vertx, config).start());

        assertThat(failure).isInstanceOf(StorageException.class);
        assertThat(failure.getMessage()).contains(url).contains("cannot connect").containsIgnoringCase("refused")
            .doesNotContain("secret");
    }

    @Test
    void embeddedH2IsCreatedUnderTheDataDirectory(@TempDir Path dir) {
        DatabaseConfig config = new DatabaseConfig(null, null, null, dir.resolve("nested").toString(), 2,
            Duration.ofSeconds(5));
        Database database = Database.create(vertx, config);

        Await.result(database.start());
        Await.result(database.close());

        assertThat(dir.resolve("nested").resolve("outdial.mv.db")).exists();
    }
}
