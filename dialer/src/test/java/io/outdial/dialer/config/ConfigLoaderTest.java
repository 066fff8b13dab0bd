package io.outdial.dialer.config;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.server.HttpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void noFileAndNoEnvironmentGivesTheDocumentedDefaults() {
        DialerConfig config = loader.load(Optional.empty(), Map.of());

        assertThat(config).isEqualTo(DialerConfig.defaults());
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.database().embedded()).isTrue();
        assertThat(config.database().jdbcUrl()).startsWith("jdbc:h2:file:").contains("MODE=PostgreSQL");
        assertThat(config.cluster().joinEnabled()).isFalse();
        assertThat(config.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void yamlFileOverridesOnlyTheKeysItNames(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("dialer.yaml");
        Files.writeString(file, String.join("\n",
            "http:",
            "  port: 9090",
            "database:",
            "  url: jdbc:postgresql://db:5432/outdial",
            "  user: outdial",
            "cluster:",
            "  joinEnabled: true",
            "  members: [10.0.0.2, '10.0.0.3:5702']",
            "shutdown:",
            "  drainTimeout: 2m",
            "asterisk:",
            "  - name: pbx1",
            "    url: http://pbx1:8088/ari",
            "    username: outdial",
            "    password: pw",
            "trunks:",
            "  - name: carrier",
            "    endpointPattern: PJSIP/{number}@carrier",
            "    callerIds: ['+15550001']",
            "    maxLines: 30",
            "    maxCps: 5",
            "    originateTimeout: PT45S",
            ""));

        DialerConfig config = loader.load(Optional.of(file), Map.of());

        assertThat(config.http().host()).as("the default: loopback only").isEqualTo("127.0.0.1");
        assertThat(config.http().port()).isEqualTo(9090);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5432/outdial");
        assertThat(config.database().poolSize()).isEqualTo(10);
        assertThat(config.cluster().members()).containsExactly("10.0.0.2", "10.0.0.3:5702");
        assertThat(config.shutdown().drainTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.asterisk()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("pbx1");
            assertThat(a.app()).isEqualTo("outdial");
        });
        assertThat(config.trunks().get(0).originateTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.trunks().get(0).maxCps()).isEqualTo(5.0);
    }

    @Test
    void jsonFileIsReadToo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("dialer.json");
        Files.writeString(file, "{\"http\": {\"host\": \"127.0.0.1\", \"port\": 0}}");

        assertThat(loader.load(Optional.of(file), Map.of()).http()).isEqualTo(new HttpConfig("127.0.0.1", 0));
    }

    @Test
    void environmentOverridesTheFileWithSectionAndKeyInAnySpelling() {
        DialerConfig config = loader.parse("http:\n  port: 9090\n", "dialer.yaml", Map.of(
            "DIALER_HTTP_PORT", "7070",
            "DIALER_DATABASE_POOL_SIZE", "3",
            "DIALER_DATABASE_URL", "jdbc:postgresql://db/outdial",
            "DIALER_CLUSTER_JOIN_ENABLED", "true",
            "DIALER_CLUSTER_MEMBERS", "10.0.0.2, 10.0.0.3",
            "DIALER_SHUTDOWN_DRAINTIMEOUT", "45s",
            "DIALER_ASTERISK", "[{\"name\":\"pbx\",\"url\":\"http://pbx:8088/ari\",\"username\":\"u\"}]",
            "PATH", "/usr/bin"));

        assertThat(config.http().port()).isEqualTo(7070);
        assertThat(config.database().poolSize()).isEqualTo(3);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db/outdial");
        assertThat(config.cluster().joinEnabled()).isTrue();
        assertThat(config.cluster().members()).containsExactly("10.0.0.2", "10.0.0.3");
        assertThat(config.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.asterisk()).extracting(io.outdial.dialer.ari.AriServerConfig::name).containsExactly("pbx");
    }

    @Test
    void unknownKeyInTheFileIsRejectedNamingTheKeyAndTheKnownOnes() {
        assertThatThrownBy(() -> loader.parse("http:\n  prot: 80\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessage("dialer.yaml: unknown key \"http.prot\" (expected one of: allowedHosts, corsOrigins, host,"
                + " metricsToken, port, sessionTimeout, tlsCertificate, tlsKey, viewersSeePhones)");
    }

    @Test
    void aRefusedKeyIsOneProblemWithItsSourcePathValueExpectedAndReason() {
        assertThatThrownBy(() -> loader.parse("http:\n  port: eighty\n", "dialer.yaml", Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems()).singleElement()
                .isEqualTo(new io.outdial.dialer.input.InputProblem("dialer.yaml", "$.http.port", "eighty",
                    "a whole number", io.outdial.dialer.input.Reason.WRONG_TYPE,
                    "dialer.yaml: http.port: \"eighty\" is not a whole number")));
        assertThatThrownBy(() -> loader.parse("http:\n  prot: 80\n", "dialer.yaml",
            Map.of("DIALER_HTTP_PORT", "81")))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems().get(0).path()).isEqualTo("$.http.prot");
                assertThat(e.problems().get(0).reason()).isEqualTo(io.outdial.dialer.input.Reason.UNKNOWN_KEY);
            });
    }

    @Test
    void unknownSectionIsRejected() {
        assertThatThrownBy(() -> loader.parse("htp:\n  port: 80\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessageStartingWith("dialer.yaml: unknown key \"htp\"");
    }

    @Test
    void wrongTypeIsRejectedNamingTheKeyTheValueAndTheExpectedType() {
        assertThatThrownBy(() -> loader.parse("http:\n  port: eighty\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessage("dialer.yaml: http.port: \"eighty\" is not a whole number");
        assertThatThrownBy(() -> loader.parse("http:\n  port: 80.5\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessageContaining("http.port");
        assertThatThrownBy(() -> loader.parse("shutdown:\n  drainTimeout: soon\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessage("dialer.yaml: shutdown.drainTimeout: \"soon\" is not a duration such as 500ms, 30s, 5m or PT30S");
    }

    @Test
    void wrongTypeFromTheEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> loader.parse("", "dialer.yaml", Map.of("DIALER_HTTP_PORT", "x")))
            .isInstanceOf(InvalidInput.class)
            .hasMessage("DIALER_HTTP_PORT: http.port: \"x\" is not a whole number");
    }

    @Test
    void unknownEnvironmentKeyOrSectionIsRejected() {
        assertThatThrownBy(() -> loader.parse("", "dialer.yaml", Map.of("DIALER_HTTP_PROT", "1")))
            .isInstanceOf(InvalidInput.class)
            .hasMessage("DIALER_HTTP_PROT: unknown key \"prot\" in section http (expected one of: host,"
                + " port, allowedHosts, corsOrigins, tlsCertificate, tlsKey, metricsToken, sessionTimeout, viewersSeePhones)");
        assertThatThrownBy(() -> loader.parse("", "dialer.yaml", Map.of("DIALER_NOPE_X", "1")))
            .isInstanceOf(InvalidInput.class)
            .hasMessageStartingWith("DIALER_NOPE_X: unknown section");
    }

    @Test
    void invalidValueIsRejectedWithTheRecordsOwnExplanation() {
        assertThatThrownBy(() -> loader.parse("http:\n  port: 70000\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessage("dialer.yaml: http.port 70000 is out of range (expected 0..65535)");
        assertThatThrownBy(() -> loader.parse("trunks:\n  - name: t\n    endpointPattern: PJSIP/x\n    maxLines: 1\n"
            + "    maxCps: 1\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessageContaining("trunks[0]").hasMessageContaining("{number}");
    }

    @Test
    void syntaxErrorNamesTheFileAndLine() {
        assertThatThrownBy(() -> loader.parse("http:\n  port: [1,\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessageContaining("dialer.yaml: not valid YAML/JSON at line")
            .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithItsPath() {
        assertThatThrownBy(() -> loader.parse("http:\n  port: 8080\n  host: 127.0.0.1\n  port: 9090\n",
            "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessageContaining("dialer.yaml: not valid YAML/JSON at line 4")
            .hasMessageContaining("duplicate key \"port\" at $.http.port");
        assertThatThrownBy(() -> loader.parse("{\"http\": {}, \"http\": {}}", "dialer.json", Map.of()))
            .hasMessageContaining("duplicate key \"http\" at $.http");
    }

    @Test
    void emptySectionKeepsItsDefaults() {
        assertThat(loader.parse("http:\ndatabase:\n", "dialer.yaml", Map.of())).isEqualTo(DialerConfig.defaults());
    }

    @Test
    void nullForANumberIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> loader.parse("http:\n  port:\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessage("dialer.yaml: http.port: wrong type (expected a whole number)");
    }

    @Test
    void missingFileIsReportedByName(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> loader.load(Optional.of(missing), Map.of()))
            .isInstanceOf(InvalidInput.class)
            .hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void passwordsNeverAppearInToString() {
        DialerConfig config = loader.parse("database:\n  password: s3cret\nasterisk:\n  - name: p\n"
            + "    url: http://p/ari\n    username: u\n    password: s3cret\n", "dialer.yaml", Map.of());
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(DurationDeserializer.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationDeserializer.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationDeserializer.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationDeserializer.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationDeserializer.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationDeserializer.parse("15")).isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> DurationDeserializer.parse("1 fortnight"))
            .hasMessageContaining("expected a duration");
    }

    @Test
    void listSectionRejectsPerKeyVariables() {
        assertThatThrownBy(() -> loader.parse("", "dialer.yaml", Map.of("DIALER_TRUNKS_NAME", "x")))
            .isInstanceOf(InvalidInput.class)
            .hasMessageContaining("DIALER_TRUNKS");
    }
}
