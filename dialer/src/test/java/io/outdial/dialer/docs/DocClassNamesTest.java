package io.outdial.dialer.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java type the README and docs/ name in backticks (a CamelCase word such as {@code CampaignRunner}, also as
 * {@code CampaignRunner.start()} or {@code runner.CampaignRunner}) is declared somewhere in the source tree, so the
 * docs do not describe classes that were renamed or never written. Names of other projects and of Asterisk's
 * events are listed below.
 */
class DocClassNamesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A backticked span, and in it each dotted part that looks like a type name. */
    private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern TYPE = Pattern.compile(
        "(?<![\\w.$-])(?:[a-z][a-z0-9_]*\\.)*([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\\b");
    private static final Pattern DECLARED = Pattern.compile(
        "\\b(?:class|interface|enum|record|@interface)\\s+([A-Z][A-Za-z0-9_]*)");
    /** Types of libraries and tools, and Asterisk/ARI names, that docs may name. */
    private static final Set<String> ELSEWHERE = Set.of(
        // Asterisk and ARI events, channel variables and applications
        "StasisStart", "StasisEnd", "ChannelDtmfReceived", "ChannelStateChange", "ChannelDestroyed",
        "ChannelHangupRequest", "ChannelVarset", "ChannelDialplan", "ChannelCallerId", "ChannelEnteredBridge",
        "ChannelLeftBridge", "ChannelTalkingStarted", "ChannelTalkingFinished", "PlaybackStarted",
        "PlaybackFinished", "PlaybackContinuing", "RecordingStarted", "RecordingFinished", "RecordingFailed",
        "ApplicationReplaced", "BridgeCreated", "BridgeDestroyed", "DeviceStateChanged", "EndpointStateChange",
        "ChannelCreated", "ChannelConnectedLine", "ChannelUserevent", "ContactStatusChange", "PeerStatusChange",
        "BridgeMerged", "BridgeBlindTransfer", "BridgeAttendedTransfer", "ChannelHold", "ChannelUnhold",
        "TextMessageReceived", "ChannelToneDetected", "ApplicationMoveFailed", "ApplicationRegistered",
        "ApplicationUnregistered", "ChannelTransfer", "DialplanApp", "MixMonitor", "WaitForSilence", "NoOp",
        "AMDSTATUS", "AMDCAUSE",
        // libraries and the JDK
        "HikariCP", "HikariDataSource", "HikariConfig", "JdbcConnectionPool", "PostgreSQL", "JUnit", "AssertJ",
        "JsonObject", "JsonArray", "JsonNode", "ObjectMapper", "RoutingContext", "WebClient", "HttpServer",
        "WorkerExecutor", "MeterRegistry", "PrometheusMeterRegistry", "CompletableFuture", "ExecutorService",
        "TimeoutException", "IllegalArgumentException", "IllegalStateException", "NullPointerException",
        "RuntimeException", "BindException", "SQLException", "IOException", "UncheckedIOException",
        "InputStream", "OutputStream", "ByteBuffer", "LocalDate", "LocalTime", "ZoneId", "ZonedDateTime",
        "OffsetDateTime", "DataSource", "ReadStream", "WriteStream", "JsonTypeInfo", "JsonSubTypes", "FreeTTS",
        "SmppSession", "SMPPSession", "DirectoryScanner", "TurboFilter", "ListAppender", "VertxTestContext",
        "MethodSource", "ParameterizedTest", "TempDir", "BodyHandler", "HazelcastInstance", "JavaScript",
        "OpenAPI", "GitHub", "WhatsApp", "JMeter", "TestContainers", "Testcontainers", "AutoCloseable",
        "ThreadLocal", "ConcurrentHashMap", "LinkedHashMap", "HashMap", "ArrayList", "StringBuilder",
        "BufferedReader", "InputStreamReader", "JsonParser", "JsonGenerator", "MicroProfile", "HttpClient",
        "ByteArrayOutputStream", "FileChannel", "AsyncFile", "MessageConsumer", "EventBus", "SharedData",
        "AtomicReference", "AtomicLong", "AtomicInteger", "CountDownLatch", "ShutdownHook", "JsonProperty",
        "UnsupportedOperationException", "ReentrantLock", "ArchUnit", "DateTimeFormatter", "SecureRandom",
        "PrintStream", "PhoneNumberToTimeZonesMapper", "PhoneNumberUtil", "OperatingSystemMXBean",
        "RetryPolicy");

    @Test
    void everyTypeNamedInTheDocsExists() throws IOException {
        Set<String> declared = declaredTypes();
        List<String> missing = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc);
            boolean java = false; // inside a ```java block every line is code
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.strip().startsWith("```")) {
                    java = !java && line.strip().equals("```java");
                    continue;
                }
                Matcher code = CODE.matcher(java ? "`" + line.replace('`', ' ') + "`" : line);
                while (code.find()) {
                    Matcher type = TYPE.matcher(code.group(1));
                    while (type.find()) {
                        String name = type.group(1);
                        if (!declared.contains(name) && !ELSEWHERE.contains(name)) {
                            missing.add(ROOT.relativize(doc) + ":" + (i + 1) + " `" + name + "`");
                        }
                    }
                }
            }
        }
        assertThat(missing).as("types named in the docs but declared nowhere in the source tree").isEmpty();
    }

    @Test
    void theCheckFindsATypeThatDoesNotExist() throws IOException {
        Set<String> declared = declaredTypes();
        assertThat(declared).contains("CampaignRunner", "FlowInterpreter", "SandboxPbx");
        Matcher type = TYPE.matcher("io.outdial.dialer.AriClient.connect()");
        assertThat(type.find()).isTrue();
        assertThat(type.group(1)).isEqualTo("AriClient");
        assertThat(declared).doesNotContain("AriClient");
    }

    private static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    private static Set<String> declaredTypes() throws IOException {
        Set<String> out = new HashSet<>();
        for (String module : List.of("dialer", "ivr", "sandbox", "messaging-fallback", "bench")) {
            Path src = ROOT.resolve(module).resolve("src");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(src)) {
                for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    Matcher m = DECLARED.matcher(Files.readString(p));
                    while (m.find()) {
                        out.add(m.group(1));
                    }
                }
            }
        }
        return new TreeSet<>(out);
    }
}
