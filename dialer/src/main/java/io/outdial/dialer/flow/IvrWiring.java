package io.outdial.dialer.flow;

import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.dialer.storage.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.ivr.tts.TtsRegistry;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Adds the IVR parts to a node: {@link PromptMedia} (the call engine's {@code PromptResolver} and the media routes)
 * and {@link FlowRoutes} (flow API and store), sharing one {@link TtsRegistry} built once on first use.
 */
public final class IvrWiring {
    private final PromptMedia media;
    private final FlowRoutes flows;

    private IvrWiring(PromptMedia media, FlowRoutes flows) {
        this.media = media;
        this.flows = flows;
    }

    /** The prompt resolver and media routes. */
    public PromptMedia media() {
        return media;
    }

    /** The flow API, a component to add to the node; {@link #store()} once it has started. */
    public Component flows() {
        return flows;
    }

    /** The flow store once {@link #flows()} has started (for campaign code attaching flows), else null. */
    public JdbcFlowStore store() {
        return flows.store();
    }

    /**
     * The flow API and store alone, without prompt media (the text preview answers 503): a component to add to a
     * node, with {@code voices} built once at start, on a worker.
     */
    public static Component flowsOnly(Vertx vertx, Database database, Clock clock,
                                      Supplier<? extends VoiceCatalog> voices) {
        return new FlowRoutes(vertx, database, clock, voices);
    }

    /**
     * The IVR parts over the node's services: media from {@code media} served at {@code listenerUrl}, flows in
     * {@code database}. The caller adds both components to the node and makes {@code media()} its prompt resolver.
     */
    public static IvrWiring create(Vertx vertx, Database database, Clock clock, MediaConfig media,
                                   Supplier<String> listenerUrl, MeterRegistry meters) {
        Supplier<TtsRegistry> voices = once(TtsRegistry::defaults);
        PromptMedia prompts = new PromptMedia(vertx, media, listenerUrl, voices, meters);
        return new IvrWiring(prompts, new FlowRoutes(vertx, database, clock, voices, prompts::preview));
    }

    /** A supplier that builds its value on the first call only (calls may come from several worker threads). */
    static <T> Supplier<T> once(Supplier<T> build) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = build.get();
                }
                return value;
            }
        };
    }
}
