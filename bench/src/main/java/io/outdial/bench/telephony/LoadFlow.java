package io.outdial.bench.telephony;

import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.ivr.spi.FlowSession;
import io.outdial.ivr.spi.Prompt;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The load's IVR: play one prompt on answer, hang up on the first digit, report when the call is gone. */
final class LoadFlow implements FlowRunner {
    private static final List<Prompt> PROMPT = List.of(new Prompt.Media("sound:hello"));

    @Override
    public FlowSession open(CallInfo call, CallControl control, Consumer<FlowResult> onFinished) {
        return new FlowSession() {
            private boolean finished;
            private String digits = "";

            @Override
            public void start() {
                control.play("p", PROMPT);
            }

            @Override
            public void onEvent(CallEvent event) {
                if (finished) {
                    return;
                }
                if (event instanceof CallEvent.DtmfReceived) {
                    digits += ((CallEvent.DtmfReceived) event).digit();
                    control.hangup(CallControl.HangupReason.NORMAL);
                } else if (event instanceof CallEvent.HungUp) {
                    finished = true;
                    onFinished.accept(new FlowResult("load", 1, List.of("play", "menu"), Map.of("menu", digits),
                        Map.of(), Map.of(), !digits.isEmpty(), null, false, List.of(),
                        FlowResult.Completion.COMPLETED, "menu"));
                }
            }

            @Override
            public boolean isFinished() {
                return finished;
            }
        };
    }
}
