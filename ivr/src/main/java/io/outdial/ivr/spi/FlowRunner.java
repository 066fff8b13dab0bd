package io.outdial.ivr.spi;

import java.util.function.Consumer;

/**
 * Opens flow sessions for answered calls. The dialer holds one per campaign flow version.
 */
public interface FlowRunner {

    /**
     * Opens a session of this runner's flow on a call. The session does nothing until
     * {@link FlowSession#start()}. {@code onFinished} is called exactly once, on the call's context, when
     * the session reaches an end; it also receives side effects the dialer must act on (unsubscribe, goal,
     * messages) through the result.
     */
    FlowSession open(CallInfo call, CallControl control, Consumer<FlowResult> onFinished);
}
