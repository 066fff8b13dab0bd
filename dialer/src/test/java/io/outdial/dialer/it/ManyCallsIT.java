package io.outdial.dialer.it;

import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.Prompt;
import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Hundreds of concurrent calls on one engine context: every attempt ends once, with the right outcome. */
@Timeout(60)
class ManyCallsIT {

    @Test
    void sixHundredConcurrentCallsAllEndWithTheirOutcome() {
        try (SandboxFixture f = new SandboxFixture()) {
            f.pbx.scripts().register("\\+1666\\d{4}0", CalleeScript.answerAfter(Duration.ofMillis(500))
                    .withDigits(Duration.ofMillis(1500), "1").withHangupAfter(Duration.ofSeconds(20)));
            f.pbx.scripts().register("\\+1666\\d{4}1", CalleeScript.busy(Duration.ofMillis(300)));
            f.pbx.scripts().register("\\+1666\\d{4}2", CalleeScript.invalidNumber());
            ScriptedFlow flow = new ScriptedFlow(s -> s.control.play("hi", List.of(new Prompt.Media("sound:beep"))),
                    (s, e) -> {
                        if (e instanceof CallEvent.DtmfReceived) {
                            s.control.hangup(CallControl.HangupReason.NORMAL);
                        }
                    });
            int n = Integer.getInteger("outdial.manycalls", 600) / 3 * 3;
            long t0 = System.nanoTime();
            List<Future<CallRecord>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(f.call(String.format("+1666%04d%d", i, i % 3), flow));
            }
            Future.all(calls).await();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Map<OutcomeKind, Long> byKind = calls.stream().map(c -> c.result().outcome().kind())
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(byKind).containsEntry(OutcomeKind.ANSWERED, n / 3L).containsEntry(OutcomeKind.BUSY, n / 3L)
                    .containsEntry(OutcomeKind.INVALID_NUMBER, n / 3L);
            assertThat(calls).allSatisfy(c -> {
                if (c.result().outcome().kind() == OutcomeKind.ANSWERED) {
                    assertThat(c.result().dtmf()).isEqualTo("1");
                }
            });
            assertThat(f.ended).hasSize(n);
            assertThat(f.engine.activeCalls()).isZero();
            System.out.printf("ManyCallsIT: %d calls ended in %d ms%n", n, ms);
        }
    }
}
