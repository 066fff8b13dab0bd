package io.outdial.dialer.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI's texts ({@code TEXTS} in web/i18n.js and each screen module's {@code addTexts}): every key is given once per
 * language over all the modules (a second one silently replaces the first, as a {@code thisNode} of the outcomes
 * once replaced the nodes table's), and English and Russian have the same keys.
 */
class UiTextsTest {
    private static final Path WEB = Path.of("src/main/resources/web");
    private static final Pattern LANG = Pattern.compile("\\b(en|ru)\\s*:\\s*\\{");

    @Test
    void everyKeyIsGivenOncePerLanguageAndInBothLanguages() throws IOException {
        Map<String, Map<String, List<String>>> where = new TreeMap<>(); // language → key → files
        try (Stream<Path> files = Files.list(WEB)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".js")).sorted().toList()) {
                String js = Files.readString(f);
                Matcher m = LANG.matcher(js);
                while (m.find()) {
                    for (String key : keys(js, m.end() - 1)) {
                        where.computeIfAbsent(m.group(1), l -> new TreeMap<>())
                            .computeIfAbsent(key, k -> new ArrayList<>()).add(f.getFileName().toString());
                    }
                }
            }
        }
        assertThat(where).containsOnlyKeys("en", "ru");
        assertThat(where.get("en")).as("English texts").hasSizeGreaterThan(100);
        where.forEach((lang, keys) -> assertThat(keys).as("keys given more than once in " + lang)
            .allSatisfy((key, files) -> assertThat(files).as(key).hasSize(1)));
        assertThat(where.get("ru").keySet()).as("Russian keys").isEqualTo(where.get("en").keySet());
    }

    @Test
    void keysAreReadOutsideTheirStrings() {
        assertThat(keys("{ a: 'x: y, b: z', c: \"{d: 1}\", 'e': `f, g: h`, i: 'it\\'s, j: k' }", 0))
            .containsExactly("a", "c", "e", "i");
    }

    /** The keys of the object literal opening at {@code open}, in order (strings skipped, nested objects too). */
    static List<String> keys(String js, int open) {
        List<String> keys = new ArrayList<>();
        int depth = 0;
        boolean expectKey = false;
        for (int i = open; i < js.length(); i++) {
            char c = js.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = endOfString(js, i);
                if (expectKey && depth == 1 && js.substring(end + 1).stripLeading().startsWith(":")) {
                    keys.add(js.substring(i + 1, end));
                }
                expectKey = false;
                i = end;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
                expectKey = depth == 1;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
                if (depth == 0) {
                    return keys;
                }
            } else if (c == ',' && depth == 1) {
                expectKey = true;
            } else if (expectKey && depth == 1 && Character.isJavaIdentifierStart(c)) {
                int end = i;
                while (end < js.length() && Character.isJavaIdentifierPart(js.charAt(end))) {
                    end++;
                }
                keys.add(js.substring(i, end));
                expectKey = false;
                i = end - 1;
            } else if (!Character.isWhitespace(c)) {
                expectKey = false;
            }
        }
        throw new AssertionError("object literal at " + open + " not closed");
    }

    private static int endOfString(String js, int start) {
        char quote = js.charAt(start);
        for (int i = start + 1; i < js.length(); i++) {
            char c = js.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        throw new AssertionError("string at " + start + " not closed");
    }
}
