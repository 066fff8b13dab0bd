package io.outdial.dialer.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's .editorconfig check (root pom) covers the repository's source files and never what the dialer
 * writes when it runs: the H2 files in {@code data/} and result CSVs. Otherwise every Maven command fails after
 * the first {@code demo} or {@code run}, and the check's hint ({@code editorconfig:format}) would rewrite them.
 */
class EditorconfigScopeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void filesTheDialerWritesAreNotChecked() throws IOException {
        Scope scope = Scope.read();
        for (String written : List.of("data/outdial.mv.db", "data/outdial.trace.db", "data/demo/contacts-demo.csv",
                "data/demo/campaign-demo.yaml", "out.csv", "demo-results.csv", "results/demo-results.csv",
                "dialer/target/classes/logback.xml", "mydata/outdial.mv.db")) {
            assertThat(scope.checks(written)).as(written).isFalse();
        }
    }

    @Test
    void everySourceFolderFileIsChecked() throws IOException {
        Scope scope = Scope.read();
        List<String> missed = new ArrayList<>();
        for (String folder : List.of("dialer/src", "ivr/src", "sandbox/src", "messaging-fallback/src", "bench/src",
                "docs", "examples", "scripts", "asterisk-config")) {
            Path dir = ROOT.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).map(f -> ROOT.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !scope.checks(f)).forEach(missed::add);
            }
        }
        for (String top : List.of("pom.xml", "README.md", ".editorconfig", "docker-compose.yml", "dialer/Dockerfile")) {
            if (Files.exists(ROOT.resolve(top)) && !scope.checks(top)) {
                missed.add(top);
            }
        }
        assertThat(missed).isEmpty();
    }

    /** The includes and excludes of the editorconfig plugin in the root pom, matched as Ant patterns. */
    private record Scope(List<Pattern> includes, List<Pattern> excludes) {
        static Scope read() throws IOException {
            String pom = Files.readString(ROOT.resolve("pom.xml"));
            int at = pom.indexOf("<artifactId>editorconfig-maven-plugin</artifactId>");
            assertThat(at).as("editorconfig plugin in the root pom").isPositive();
            String plugin = pom.substring(at, pom.indexOf("</plugin>", at));
            return new Scope(patterns(plugin, "include"), patterns(plugin, "exclude"));
        }

        boolean checks(String path) {
            return includes.stream().anyMatch(p -> p.matcher(path).matches())
                && excludes.stream().noneMatch(p -> p.matcher(path).matches());
        }

        private static List<Pattern> patterns(String xml, String tag) {
            List<Pattern> out = new ArrayList<>();
            Matcher m = Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">").matcher(xml);
            while (m.find()) {
                out.add(ant(m.group(1).strip()));
            }
            if (tag.equals("include") && out.isEmpty()) {
                out.add(ant("**"));
            }
            return out;
        }

        /** Ant pattern to regex: {@code **}/ any folders (none included), {@code *} within a name, {@code ?} one. */
        private static Pattern ant(String glob) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (glob.startsWith("**/", i)) {
                    re.append("(?:.*/)?");
                    i += 2;
                } else if (glob.startsWith("**", i)) {
                    re.append(".*");
                    i += 1;
                } else if (c == '*') {
                    re.append("[^/]*");
                } else if (c == '?') {
                    re.append("[^/]");
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(re.toString());
        }
    }
}
