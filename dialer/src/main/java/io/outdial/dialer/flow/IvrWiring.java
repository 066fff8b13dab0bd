package io.outdial.dialer.flow;

import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.dialer.storage.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.ivr.tts.TtsRegistry;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Adds the IVR parts to a node: {@link PromptMedia} (the call engine's {@code PromptResolver} and the media routes)
 * and {@link FlowRoutes} (flow API and store), sharing one {@link TtsRegistry} built once on first use.
 */
public final class IvrWiring {
    private final Vertx vertx;
    private final PromptMedia media;
    private final FlowRoutes flows;
    private FlowAttachments attachments;

    private IvrWiring(Vertx vertx, PromptMedia media, FlowRoutes flows) {
        this.vertx = vertx;
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
     * The runner of a stored flow version attached to a campaign: valid versions only, one runner per
     * {@code (flowId, version)} shared by every campaign and call, its static prompts rendered ahead. Fails while
     * the flow store is not started, and for a draft or a missing version.
     */
    public Future<FlowRunner> attach(String flowId, int version) {
        JdbcFlowStore s = store();
        if (s == null) {
            return Future.failedFuture(new IllegalStateException("the flow store is not started"));
        }
        return attachments(s).attach(flowId, version).map(FlowAttachments.Attached::runner);
    }

    private synchronized FlowAttachments attachments(JdbcFlowStore s) {
        if (attachments == null) {
            attachments = new FlowAttachments(vertx, s, media::renderAhead);
        }
        return attachments;
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
        return new IvrWiring(vertx, prompts, new FlowRoutes(vertx, database, clock, voices, prompts::preview));
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
