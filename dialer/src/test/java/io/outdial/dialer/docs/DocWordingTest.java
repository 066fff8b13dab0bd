package io.outdial.dialer.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and docs/ are written for a reader of the product: they point to no issue tracker entries, no design
 * file outside the repository and no section of one, and no path of the machine they were written on; the
 * README's API tables name every part of the API (each first path segment under {@code /api/v1}).
 */
class DocWordingTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<Pattern> INTERNAL = List.of(
        Pattern.compile("ARCHITECTURE(?:\\.md)? ?§"),
        Pattern.compile("/work/"),
        Pattern.compile("(?i)\\bissues? ?#?\\d+\\b"),
        Pattern.compile("(?i)\\bTODO\\b"));

    @Test
    void theDocsHoldNoInternalReferences() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                for (Pattern p : INTERNAL) {
                    if (p.matcher(lines.get(i)).find()) {
                        found.add(ROOT.relativize(doc) + ":" + (i + 1) + " " + p.pattern());
                    }
                }
            }
        }
        assertThat(found).as("internal references in the README and docs/").isEmpty();
    }

    @Test
    void theReadmesApiTablesNameEveryPartOfTheApi() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        io.vertx.core.json.JsonObject openApi = new io.vertx.core.json.JsonObject(Files.readString(
            ROOT.resolve("dialer/src/main/resources/api/openapi.json")));
        List<String> missing = new ArrayList<>();
        for (String path : openApi.getJsonObject("paths").fieldNames()) {
            String part = "/api/v1/" + path.substring("/api/v1/".length()).split("/")[0];
            if (!readme.contains(part) && !missing.contains(part)) {
                missing.add(part);
            }
        }
        assertThat(missing).as("API paths the README's tables do not list").isEmpty();
    }

    @Test
    void theCheckFindsAnInternalReference() {
        assertThat(INTERNAL.stream().filter(p -> p.matcher("as ARCHITECTURE §4 says (issue 11)").find()))
            .hasSize(2);
    }

    private static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }
}
