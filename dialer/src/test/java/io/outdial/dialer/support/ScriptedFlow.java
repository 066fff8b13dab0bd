package io.outdial.dialer.support;

import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.ivr.spi.FlowSession;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A test flow: runs {@code onStart} with the CallControl, then {@code onEvent} for each event; finishes when it
 * gets HungUp or when {@link Session#finish} is called. Records everything it saw.
 */
public final class ScriptedFlow implements FlowRunner {
    public final List<CallInfo> infos = new CopyOnWriteArrayList<>();
    public final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private final Consumer<Session> onStart;
    private final BiConsumer<Session, CallEvent> onEvent;

    public ScriptedFlow(Consumer<Session> onStart, BiConsumer<Session, CallEvent> onEvent) {
        this.onStart = onStart;
        this.onEvent = onEvent;
    }

    @Override
    public FlowSession open(CallInfo call, CallControl control, Consumer<FlowResult> onFinished) {
        infos.add(call);
        return new Session(control, onFinished);
    }

    /** One run. */
    public final class Session implements FlowSession {
        public final CallControl control;
        private final Consumer<FlowResult> onFinished;
        private boolean finished;
        public final StringBuilder digits = new StringBuilder();

        Session(CallControl control, Consumer<FlowResult> onFinished) {
            this.control = control;
            this.onFinished = onFinished;
        }

        @Override
        public void start() {
            onStart.accept(this);
        }

        @Override
        public void onEvent(CallEvent event) {
            events.add(event);
            if (event instanceof CallEvent.DtmfReceived) {
                digits.append(((CallEvent.DtmfReceived) event).digit());
            }
            if (event instanceof CallEvent.HungUp) {
                finish(FlowResult.Completion.LEFT_EARLY);
                return;
            }
            onEvent.accept(this, event);
        }

        public void finish(FlowResult.Completion completion) {
            if (!finished) {
                finished = true;
                onFinished.accept(new FlowResult("test", 1, List.of("start"), Map.of("menu", digits.toString()),
                        Map.of(), Map.of(), false, null, false, List.of(), completion, "end"));
            }
        }

        @Override
        public boolean isFinished() {
            return finished;
        }
    }
}
