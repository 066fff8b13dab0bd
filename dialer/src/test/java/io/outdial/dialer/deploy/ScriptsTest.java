package io.outdial.dialer.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The scripts a newcomer runs first print only what they mean to. */
class ScriptsTest {
    private static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();

    @Test
    void demoBuildPrintsNoColourCodes() throws Exception {
        String demo = Files.readString(SCRIPTS.resolve("demo.sh"));
        assertThat(demo).contains("set -euo pipefail"); // the filter keeps Maven's exit code
        String mvn = demo.lines().filter(l -> l.startsWith("mvn ")).findFirst().orElseThrow();
        String filter = mvn.substring(mvn.indexOf("| ") + 2);
        // run the script's filter over what such a Maven prints: no escape code is left
        Process p = new ProcessBuilder("bash", "-c", filter).redirectErrorStream(true).start();
        p.getOutputStream().write("\u001b[0m\u001b[0m[ERROR] build failed\n\u001b[0m".getBytes());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo("[ERROR] build failed\n");
    }
}
