package io.outdial.sandbox.pbx.it;

import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A PBX leaves no temporary recordings folder behind; a folder the caller named stays. */
class RecordingsFolderIT {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void temporaryRecordingsFolderGoesWithThePbx() throws Exception {
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withHost("127.0.0.1")).await();
        Path dir = pbx.recordingsDir();
        Files.writeString(dir.resolve("left.wav"), "RIFF");
        assertThat(dir).isDirectory();

        pbx.close().await();

        assertThat(dir).doesNotExist();
    }

    @Test
    void namedRecordingsFolderIsKept(@TempDir Path tmp) {
        Path dir = tmp.resolve("recordings");
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withHost("127.0.0.1")
            .withRecordingsDir(dir)).await();

        pbx.close().await();

        assertThat(dir).isDirectory();
    }
}
