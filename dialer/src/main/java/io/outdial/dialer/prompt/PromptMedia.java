package io.outdial.dialer.prompt;

import io.outdial.dialer.config.MediaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.spi.Prompt;
import io.outdial.ivr.tts.PromptStore;
import io.outdial.ivr.tts.TtsCache;
import io.outdial.ivr.tts.TtsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * TTS and recorded prompts for Asterisk: the {@link PromptResolver} the call engine uses, and the component that
 * serves the audio ({@link MediaRoutes}). Rendering, file checks and conversions run on one named worker pool,
 * never on an event loop; the {@link TtsRegistry} (FreeTTS loaded once) is built at {@link #start()}.
 *
 * <p>Media URIs: {@code sound:<baseUrl>/media/tts/<key>.wav} and {@code sound:<baseUrl>/media/prompts/<id>.wav},
 * or {@code sound:<soundDir>/tts/<key>} and {@code sound:<soundDir>/prompts/<id>} with a shared sound directory.
 */
public final class PromptMedia implements Component, PromptResolver {
    private static final Logger LOG = LoggerFactory.getLogger(PromptMedia.class);
    /** Asterisk's media cache breaks on shorter {@code sound:http} URIs. */
    static final int MIN_HTTP_URI = 28;

    private final Vertx vertx;
    private final MediaConfig config;
    private final Supplier<String> listenerUrl;
    private final Supplier<TtsRegistry> registry;
    private final MeterRegistry meters;
    private final WorkerExecutor worker;
    private volatile TtsCache cache;
    private volatile PromptStore prompts;
    private volatile Path uploads;

    /**
     * @param listenerUrl the HTTP listener's URL (read at first use: the port is bound at start), used when
     *                    {@code media.baseUrl} is empty
     * @param registry    the TTS engines, built on a worker at {@link #start()} (blocking: probes programs)
     * @param meters      where {@code outdial_media_requests_total} is counted; null for none
     */
    public PromptMedia(Vertx vertx, MediaConfig config, Supplier<String> listenerUrl, Supplier<TtsRegistry> registry,
                       MeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        if (config.dir().isEmpty() && !config.usesSoundDir()) {
            throw new IllegalArgumentException("media.dir is empty: pass MediaConfig.withDefaultDir(dataDir)");
        }
        this.listenerUrl = Objects.requireNonNull(listenerUrl, "listenerUrl");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.meters = meters == null ? new SimpleMeterRegistry() : meters;
        this.worker = vertx.createSharedWorkerExecutor("outdial-media", 2);
    }

    @Override
    public String name() {
        return "media";
    }

    @Override
    public void routes(Router router) {
        new MediaRoutes(this).mount(router);
    }

    @Override
    public Future<Void> start() {
        return blocking(() -> {
            Path root = Path.of(config.usesSoundDir() ? config.soundDir() : config.dir());
            TtsRegistry tts = registry.get();
            cache = new TtsCache(root.resolve("tts"), tts);
            prompts = new PromptStore(root.resolve("prompts"));
            uploads = root.resolve("prompt-uploads");
            java.nio.file.Files.createDirectories(uploads);
            try (var old = java.nio.file.Files.list(uploads)) { // uploads cut by a stopped node
                old.forEach(p -> p.toFile().delete());
            }
            LOG.info("media: TTS voices {}, files under {}, served {}", tts.voices().keySet(), root.toAbsolutePath(),
                config.usesSoundDir() ? "from the shared sound directory" : "over HTTP at " + baseUrl());
            return null;
        });
    }

    @Override
    public Future<Void> stop() {
        return worker.close();
    }

    @Override
    public Future<String> resolveTts(String text, String engine, String voice) {
        Prompt.Tts tts = new Prompt.Tts(text, engine, voice);
        return blocking(() -> {
            Path file = cache().render(tts);
            String key = TtsCache.key(tts);
            return config.usesSoundDir() ? soundUri(file, key) : httpUri("/media/tts/" + key + ".wav");
        });
    }

    @Override
    public Future<String> resolveMedia(String uri) {
        if (!uri.startsWith("prompt:")) {
            return Future.succeededFuture(uri);
        }
        String id = uri.substring("prompt:".length());
        return blocking(() -> {
            Path file = promptStore().file(id).orElseThrow(() -> new IllegalArgumentException(
                "media " + uri + ": no uploaded prompt \"" + id + "\" (upload it with POST /api/v1/prompts/" + id + ")"));
            return config.usesSoundDir() ? soundUri(file, id) : httpUri("/media/prompts/" + id + ".wav");
        });
    }

    /**
     * The node's own audio file behind a media URI this component gave out ({@link #resolveTts},
     * {@link #resolveMedia} of an uploaded prompt): a WAV under the TTS cache or the prompt store. Empty for any other
     * URI (an Asterisk sound such as {@code sound:hello-world}, another host's URL). Reads the disk on the media worker.
     */
    public Future<Optional<Path>> localFile(String uri) {
        return blocking(() -> {
            String name = null;
            String http = "sound:" + baseUrl() + "/media/";
            if (!config.usesSoundDir() && uri.startsWith(http)) {
                name = uri.substring(http.length());
                if (name.endsWith(".wav")) {
                    name = name.substring(0, name.length() - 4);
                }
            } else if (config.usesSoundDir() && uri.startsWith("sound:" + config.soundDir())) {
                name = Path.of(config.soundDir()).relativize(Path.of(uri.substring("sound:".length()))).toString();
            }
            if (name == null) {
                return Optional.<Path>empty();
            }
            if (name.startsWith("tts/") && name.substring(4).matches("[0-9a-f]{64}")) {
                return cache().cachedFile(name.substring(4));
            }
            if (name.startsWith("prompts/") && PromptStore.validId(name.substring(8))) {
                return promptStore().file(name.substring(8));
            }
            return Optional.<Path>empty();
        });
    }

    /**
     * The WAV audio of one text as a call would hear it: rendered through the same TTS cache as the prompts sent to
     * Asterisk (a cached text is not rendered again), on the media worker pool.
     */
    public Future<byte[]> preview(Prompt.Tts tts) {
        return blocking(() -> java.nio.file.Files.readAllBytes(cache().render(tts)));
    }

    /** Renders every text of {@code flow} without template references (call when a flow is attached). */
    public Future<TtsCache.RenderAheadReport> renderAhead(Flow flow) {
        return blocking(() -> {
            TtsCache.RenderAheadReport r = cache().renderAhead(flow);
            LOG.info("flow {} v{}: rendered ahead {} prompt(s), {} already cached, {} failure(s) {}", flow.id(),
                flow.version(), r.rendered(), r.alreadyCached(), r.failures().size(), r.failures());
            return r;
        });
    }

    /** The base URL Asterisk fetches from: {@code media.baseUrl}, else the listener's URL. */
    public String baseUrl() {
        return config.baseUrl().isEmpty() ? listenerUrl.get() : config.baseUrl();
    }

    private String httpUri(String path) {
        String uri = "sound:" + baseUrl() + path;
        if (uri.length() < MIN_HTTP_URI) {
            throw new IllegalStateException("media URI " + uri + " is shorter than " + MIN_HTTP_URI
                + " characters, which Asterisk cannot play; set media.baseUrl to a full address");
        }
        return uri;
    }

    private String soundUri(Path file, String name) {
        return "sound:" + file.getParent().toString() + "/" + name;
    }

    TtsCache cache() {
        TtsCache c = cache;
        if (c == null) {
            throw new IllegalStateException("media component not started: no TTS cache yet");
        }
        return c;
    }

    PromptStore promptStore() {
        PromptStore p = prompts;
        if (p == null) {
            throw new IllegalStateException("media component not started: no prompt store yet");
        }
        return p;
    }

    /** A fresh temporary file for a prompt upload (the caller deletes it). Blocking. */
    Path uploadFile() throws java.io.IOException {
        Path dir = uploads;
        if (dir == null) {
            throw new IllegalStateException("media component not started: no upload folder yet");
        }
        return java.nio.file.Files.createTempFile(dir, "prompt-", ".upload");
    }

    Vertx vertx() {
        return vertx;
    }

    MediaConfig config() {
        return config;
    }

    /** Where {@code outdial_media_requests_total{kind, status}} is counted. */
    public MeterRegistry meters() {
        return meters;
    }

    <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
        return worker.executeBlocking(work, false);
    }
}
