package io.outdial.dialer.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped docker-compose.yml and dialer/Dockerfile (no container engine runs here: the files are read): the
 * dialer image is built from source by the compose build (two stages: Maven, then a JRE with espeak-ng), the Asterisk
 * image is a pinned release of a real image, the asterisk-config files are mounted, each node's media base URL is its
 * service name, and the nodes share one media volume (prompts, TTS).
 */
class ComposeDeploymentTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        Map<String, Object> root = new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Object>) root.get("services");
    }

    @Test
    void theDialerImageIsBuiltFromSourceInTwoStagesWithEspeakNg() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("dialer/Dockerfile"));
        List<String> from = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(from).hasSize(2);
        assertThat(from.get(0)).matches("FROM maven:[0-9.]+-eclipse-temurin-17 AS build");
        assertThat(from.get(1)).startsWith("FROM eclipse-temurin:17-jre");
        String build = dockerfile.substring(dockerfile.indexOf(from.get(0)), dockerfile.indexOf(from.get(1)));
        assertThat(build).contains("mvn -B -q -pl dialer -am package -DskipTests", "COPY dialer/src dialer/src");
        String run = dockerfile.substring(dockerfile.indexOf(from.get(1)));
        assertThat(run).contains("apt-get install -y --no-install-recommends espeak-ng")
            .contains("COPY --from=build").doesNotContain("COPY target/");
        // every module the reactor lists is in the build context
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (m.find()) {
            assertThat(build).as("module " + m.group(1)).contains("COPY " + m.group(1) + "/pom.xml");
        }
        assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("**/target/");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeBuildsTheDialerAndWiresAsteriskMediaAndTheSharedVolume() throws IOException {
        Map<String, Object> services = services();
        Map<String, Object> asterisk = (Map<String, Object>) services.get("asterisk");
        String image = String.valueOf(asterisk.get("image"));
        // ${ASTERISK_IMAGE:-andrius/asterisk:<version>}: a pinned Asterisk 22 release of the andrius/asterisk image
        assertThat(image).matches("\\$\\{ASTERISK_IMAGE:-andrius/asterisk:22\\.[0-9]+\\.[0-9]+}");
        assertThat((List<String>) asterisk.get("volumes")).anySatisfy(v ->
            assertThat(v).startsWith("./asterisk-config/"));
        for (String node : List.of("dialer-1", "dialer-2")) {
            Map<String, Object> svc = (Map<String, Object>) services.get(node);
            Map<String, Object> build = (Map<String, Object>) svc.get("build");
            assertThat(build).containsEntry("context", ".").containsEntry("dockerfile", "dialer/Dockerfile");
            Map<String, Object> env = (Map<String, Object>) svc.get("environment");
            assertThat(env).containsEntry("DIALER_MEDIA_BASE_URL", "http://" + node + ":8080")
                .containsEntry("DIALER_MEDIA_DIR", "/app/media")
                .containsEntry("DIALER_CLUSTER_JOIN_ENABLED", "true");
            assertThat((List<String>) svc.get("volumes")).contains("media:/app/media");
        }
        Map<String, Object> root = new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        assertThat((Map<String, Object>) root.get("volumes")).containsKey("media");
    }
}
