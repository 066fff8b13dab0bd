package io.outdial.dialer.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The real Asterisk 22 ARI transcripts on the classpath ({@code /asterisk-reference/events/*.jsonl}). */
public final class Transcripts {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DIR = "/asterisk-reference/events";

    private Transcripts() { }

    /** File names (e.g. {@code 102.jsonl}) of every transcript, sorted. */
    public static List<String> names() {
        URL url = Transcripts.class.getResource(DIR);
        if (url == null) {
            throw new IllegalStateException(DIR + " is not on the test classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return list(fs.getPath(DIR));
                }
            }
            return list(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).sorted().toList();
        }
    }

    /** Every line of a transcript as JSON. */
    public static List<JsonNode> lines(String name) {
        try (var in = Transcripts.class.getResourceAsStream(DIR + "/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + name + " under " + DIR);
            }
            List<JsonNode> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(MAPPER.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw JSON text of every {@code event} line of a transcript, in order. */
    public static List<String> eventJson(String name) {
        return lines(name).stream().filter(n -> n.has("event")).map(n -> n.get("event").toString()).toList();
    }

    /** The id of the originated channel: the first originate reply's body id, else the first StasisStart's. */
    public static String originatedChannelId(String name) {
        for (JsonNode n : lines(name)) {
            JsonNode o = n.get("originate");
            if (o != null && o.path("body").has("id")) {
                return o.path("body").path("id").asText();
            }
        }
        for (JsonNode n : lines(name)) {
            JsonNode e = n.get("event");
            if (e != null && "StasisStart".equals(e.path("type").asText())) {
                return e.path("channel").path("id").asText();
            }
        }
        return null;
    }
}
