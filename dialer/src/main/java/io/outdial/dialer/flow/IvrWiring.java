package io.outdial.dialer.flow;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.ivr.tts.TtsRegistry;

import java.util.function.Supplier;

/**
 * Adds the IVR parts to a node: {@link PromptMedia} (the call engine's {@code PromptResolver} and the media routes)
 * and {@link FlowRoutes} (flow API and store), sharing one {@link TtsRegistry} built once on first use.
 *
 * @param media the prompt resolver and media routes
 * @param flows the flow API; {@code flows.store()} once the node has started
 */
public record IvrWiring(PromptMedia media, FlowRoutes flows) {

    /** Installs both components on {@code app} (before {@code start()}) and makes the media its prompt resolver. */
    public static IvrWiring install(DialerApp app) {
        Supplier<TtsRegistry> voices = once(TtsRegistry::defaults);
        PromptMedia media = PromptMedia.install(app, voices);
        // say and prompt: nodes of every call on this node resolve through it (sound:http://<node>/media/...)
        app.telephony().usePromptResolver(media);
        FlowRoutes flows = new FlowRoutes(app.vertx(), app.database(), app.clock(), voices);
        app.add(flows);
        return new IvrWiring(media, flows);
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
