package io.outdial.dialer.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the shipped asterisk-config/ files and docker-compose.yml: syntax and what the dialer relies on. */
class AsteriskConfigFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DIR = ROOT.resolve("asterisk-config");

    /** section name (with its type for pjsip, "name/type") -> lines "key=value" in order. */
    static Map<String, List<String>> parse(String file) throws IOException {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        String currentName = null;
        int n = 0;
        for (String raw : Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8)) {
            n++;
            String line = raw.strip();
            int comment = line.indexOf(';');
            if (comment >= 0) {
                line = line.substring(0, comment).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                assertThat(line).as(file + " line " + n).matches("\\[[A-Za-z0-9_.-]+\\](\\([!A-Za-z0-9_,-]*\\))?");
                currentName = line.substring(1, line.indexOf(']'));
                current = new ArrayList<>();
                sections.put(currentName + "#" + sections.size(), current);
                continue;
            }
            if (line.startsWith("#")) {
                assertThat(line).as(file + " line " + n).matches("#(exec|include|tryinclude) \\S+");
                sections.computeIfAbsent("#directives", k -> new ArrayList<>()).add(line);
                continue;
            }
            assertThat(current).as(file + " line " + n + " is outside any section").isNotNull();
            assertThat(line).as(file + " line " + n + " in [" + currentName + "]")
                    .matches("[A-Za-z0-9_.]+\\s*=>?\\s*.*");
            current.add(line.replaceAll("\\s*(=>?)\\s*", "$1").replaceFirst("=>", "=>"));
        }
        return sections;
    }

    static List<String> section(Map<String, List<String>> sections, String name) {
        List<String> all = new ArrayList<>();
        sections.forEach((k, v) -> {
            if (k.startsWith(name + "#")) {
                all.addAll(v);
            }
        });
        return all;
    }

    @Test
    void dialerAmdContextRunsAmdThenEntersStasisWithStatusAndCause() throws IOException {
        List<String> amd = section(parse("extensions.conf"), "dialer-amd");
        assertThat(amd).startsWith("exten=>s,1,Set(OUTDIAL_UP=${STRFTIME(,,%s.%3q)})", "same=>n,AMD()",
            "same=>n,Stasis(${OUTDIAL_APP},${AMDSTATUS},${AMDCAUSE},${OUTDIAL_UP})");
        assertThat(section(parse("extensions.conf"), "dialer-stasis")).startsWith("exten=>s,1,Stasis(${OUTDIAL_APP})");
    }

    @Test
    void ariIsEnabledWithItsUserFromTheEnvironmentOnly() throws IOException, InterruptedException {
        var ari = parse("ari.conf");
        assertThat(section(ari, "general")).contains("enabled=yes");
        // a relative include: Asterisk resolves it in its configuration directory; no #exec of an absolute path
        assertThat(ari.get("#directives")).containsExactly("#tryinclude ari-user.conf");
        assertThat(section(parse("asterisk.conf"), "options")).noneMatch(l -> l.startsWith("execincludes"));
        assertThat(ari.values().stream().flatMap(List::stream)).noneMatch(l -> l.startsWith("password"));
        Path script = DIR.resolve("ari-user.sh");
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString());
        pb.environment().put("ARI_USERNAME", "dialer");
        pb.environment().put("ARI_PASSWORD", "s3cret");
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("[dialer]", "type = user", "password = s3cret", "password_format = plain");
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(compose).contains("target: /etc/asterisk/ari-user.conf", "password = ${ARI_PASSWORD:?");
    }

    @Test
    void httpServerListensOn8088() throws IOException {
        assertThat(section(parse("http.conf"), "general")).contains("enabled=yes", "bindport=8088");
    }

    @Test
    void modulesLoadOnlyAnExplicitListWithWhatTheDialerUses() throws IOException {
        List<String> modules = section(parse("modules.conf"), "modules");
        assertThat(modules).contains("autoload=no", "load=app_amd.so", "load=app_stasis.so", "load=res_ari.so",
                "load=res_ari_channels.so", "load=res_ari_bridges.so", "load=res_ari_playbacks.so",
                "load=res_ari_recordings.so", "load=res_ari_applications.so", "load=res_ari_asterisk.so",
                "load=res_http_websocket.so", "load=res_websocket_client.so", "load=chan_pjsip.so", "load=res_pjsip_outbound_registration.so",
                "load=res_http_media_cache.so", "load=pbx_config.so", "load=bridge_simple.so", "load=format_wav.so");
        assertThat(modules).doesNotHaveDuplicates();
    }

    @Test
    void pjsipHasTheIpTrunkAndAOutcommentedRegisteringExample() throws IOException {
        var pjsip = parse("pjsip.conf");
        List<String> carrier = section(pjsip, "carrier");
        assertThat(carrier).contains("aors=carrier", "type=aor", "contact=sip:203.0.113.10:5060", "type=identify",
                "endpoint=carrier");
        assertThat(section(pjsip, "trunk-endpoint")).contains("type=endpoint", "dtmf_mode=rfc4733",
                "context=from-carrier");
        assertThat(Files.readString(DIR.resolve("pjsip.conf"))).contains(";type = registration",
                ";outbound_auth = carrier-reg-auth");
    }

    @Test
    void composeMountsEveryConfigFileAndPublishesTheRtpRangeOfRtpConf() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".conf")).toList()) {
                String name = f.getFileName().toString();
                assertThat(compose).as(name).contains("./asterisk-config/" + name + ":/etc/asterisk/" + name + ":ro");
            }
        }
        List<String> rtp = section(parse("rtp.conf"), "general");
        String start = rtp.stream().filter(l -> l.startsWith("rtpstart=")).findFirst().orElseThrow().substring(9);
        String end = rtp.stream().filter(l -> l.startsWith("rtpend=")).findFirst().orElseThrow().substring(7);
        assertThat(compose).contains("\"" + start + "-" + end + ":" + start + "-" + end + "/udp\"");
        assertThat(Files.readString(ROOT.resolve(".env.example"))).contains("ARI_PASSWORD=", "POSTGRES_PASSWORD=");
        assertThat(Files.readString(ROOT.resolve("dialer/Dockerfile"))).contains("FROM eclipse-temurin:17-jre",
                "COPY --from=build --chown=outdial:outdial /dialer.jar /app/dialer.jar");
    }

    /** Every DIALER_* variable of each dialer service is a real configuration key and the values load. */
    @Test
    @SuppressWarnings("unchecked")
    void composeDialerEnvironmentLoadsAsAValidConfigurationWithOneAppNamePerNode() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> root = new org.yaml.snakeyaml.Yaml().load(compose);
        Map<String, Object> services = (Map<String, Object>) root.get("services");
        List<String> apps = new ArrayList<>();
        for (String node : List.of("dialer-1", "dialer-2")) {
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(node)).get("environment");
            Map<String, String> vars = new LinkedHashMap<>();
            env.forEach((k, v) -> vars.put(k, interpolate(String.valueOf(v))));
            assertThat(vars).containsKeys("DIALER_ASTERISK", "DIALER_DATABASE_URL", "DIALER_TRUNKS");
            io.outdial.dialer.config.DialerConfig config = io.outdial.dialer.config.DialerConfig
                .load(java.util.Optional.empty(), vars);
            assertThat(config.database().url()).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(config.asterisk()).singleElement().satisfies(a -> {
                assertThat(a.ariBase()).isEqualTo("http://asterisk:8088/ari");
                assertThat(a.password()).isEqualTo("pw-from-env");
                apps.add(a.app());
            });
            assertThat(config.trunks()).singleElement().satisfies(t ->
                assertThat(t.endpointPattern()).isEqualTo("PJSIP/{number}@carrier"));
            assertThat(config.cluster().joinEnabled()).isTrue();
            assertThat(config.cluster().members()).contains(config.cluster().host());
        }
        assertThat(apps).containsExactly("dialer-1", "dialer-2");
    }

    /** Compose's ${VAR:-default} / ${VAR:?message} with the defaults, and a stand-in for required secrets. */
    private static String interpolate(String value) {
        return java.util.regex.Pattern.compile("\\$\\{([A-Z_0-9]+)(?::-([^}]*)|:\\?[^}]*)?}").matcher(value)
            .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(2) != null ? m.group(2) : "pw-from-env"));
    }
}
