package io.outdial.sandbox.pbx.impl;

import io.outdial.sandbox.pbx.CalleeScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference {@code [callee]} dialplan (callee-dialplan.conf of the Asterisk captures) and the conversion of
 * {@link CalleeScript}s into the same kind of steps, so one interpreter runs both.
 */
final class Dialplan {

    /** Steps plus what AMD() concludes when the call runs through {@code dialer-amd}. */
    record Program(List<Step> steps, CalleeScript.Amd amd, io.outdial.sandbox.pbx.RemoteCallee remote) {
        Program {
            steps = List.copyOf(steps);
        }

        Program(List<Step> steps, CalleeScript.Amd amd) {
            this(steps, amd, null);
        }
    }

    /** A "forever" wait: the script never ends the call by itself. */
    static final String FOREVER = "86400";

    private static final Map<String, Program> CALLEE = Map.ofEntries(
        Map.entry("100", answerDigit("1")),
        Map.entry("101", answerDigit("2")),
        Map.entry("102", new Program(List.of(Step.of("Busy", "5")), CalleeScript.Amd.NO_AUDIO)),
        Map.entry("103", new Program(List.of(Step.of("Ringing"), Step.of("Wait", "60"), Step.of("Hangup")),
            CalleeScript.Amd.NO_AUDIO)),
        Map.entry("104", new Program(List.of(Step.of("Congestion", "5")), CalleeScript.Amd.NO_AUDIO)),
        Map.entry("105", new Program(List.of(Step.of("Answer"), Step.of("Wait", "2"), Step.of("Hangup")),
            CalleeScript.Amd.NO_AUDIO)),
        Map.entry("106", new Program(List.of(Step.of("Answer"), Step.of("Wait", "30"), Step.of("Hangup")),
            CalleeScript.Amd.NO_AUDIO)),
        Map.entry("109", new Program(List.of(Step.of("Answer"),
            Step.of("Set", "CALLEE_SAW_CALLERID=${CALLERID(all)}"), Step.of("Set", "CALLEE_SAW_CAMPAIGN=${CAMPAIGN}"),
            Step.of("Wait", "3"), Step.of("Hangup")), CalleeScript.Amd.NO_AUDIO)),
        Map.entry("112", new Program(List.of(Step.of("Hangup", "17")), CalleeScript.Amd.NO_AUDIO)),
        Map.entry("114", new Program(List.of(Step.of("Hangup", "34")), CalleeScript.Amd.NO_AUDIO)),
        Map.entry("120", new Program(List.of(Step.of("Answer"), Step.of("Playback", "hello"),
            Step.of("Playback", "silence/5"), Step.of("Wait", "10"), Step.of("Hangup")), CalleeScript.Amd.HUMAN)),
        Map.entry("121", new Program(List.of(Step.of("Answer"), Step.of("Playback", "vm-intro"),
            Step.of("Playback", "beep"), Step.of("Playback", "silence/10"), Step.of("Hangup")),
            CalleeScript.Amd.MACHINE)),
        Map.entry("123", new Program(List.of(Step.of("Answer"), Step.of("Playback", "silence/10"),
            Step.of("Wait", "5"), Step.of("Hangup")), CalleeScript.Amd.SILENCE)),
        Map.entry("130", new Program(List.of(Step.of("Answer"), Step.of("Wait", "1.5"),
            Step.of("Playback", "tt-weasels"), Step.of("SendDTMF", "#"), Step.of("Wait", "10"), Step.of("Hangup")),
            CalleeScript.Amd.HUMAN)));

    /** The probe context of asterisk-config ({@code [dialer-doctor]}): answers, stays silent, hangs up. */
    static final String DOCTOR_CONTEXT = "dialer-doctor";
    static final Program DOCTOR = new Program(List.of(Step.of("Answer"), Step.of("Wait", "20"), Step.of("Hangup")),
        CalleeScript.Amd.SILENCE);

    private Dialplan() {
    }

    private static Program answerDigit(String digit) {
        return new Program(List.of(Step.of("Answer"), Step.of("Wait", "1"), Step.of("SendDTMF", digit),
            Step.of("Wait", "10"), Step.of("Hangup")), CalleeScript.Amd.NO_AUDIO);
    }

    /** The reference dialplan's program for {@code exten} in context {@code callee}, or null. */
    static Program callee(String exten) {
        return CALLEE.get(exten);
    }

    /**
     * Steps for a script. On a Local channel busy/congestion use Busy()/Congestion() (cause 0 on ;1, as in the
     * captures); on a trunk the cause is a plain hangup cause.
     */
    static Program fromScript(CalleeScript script, boolean local) {
        List<Step> steps = new ArrayList<>();
        long ring = script.ringFor().toMillis();
        if (script.kind() == CalleeScript.Kind.NO_ANSWER) {
            steps.add(Step.of("Ringing"));
            steps.add(Step.of("Wait", FOREVER));
            return new Program(steps, script.amd());
        }
        if (ring > 0) {
            steps.add(Step.of("Ringing"));
            steps.add(Step.of("Wait", secs(ring)));
        }
        if (script.kind() == CalleeScript.Kind.FAIL) {
            int cause = script.failCause();
            if (local && cause == 17) {
                steps.add(Step.of("Busy", "5"));
            } else if (local && cause == 34) {
                steps.add(Step.of("Congestion", "5"));
            } else {
                steps.add(Step.of("Hangup", Integer.toString(cause)));
            }
            return new Program(steps, script.amd());
        }
        steps.add(Step.of("Answer"));
        long cursor = 0;
        long talk = script.talkFor().toMillis();
        if (talk > 0) {
            steps.add(Step.of("Playback", Sounds.TALK_PREFIX + talk));
            cursor = talk;
        }
        for (CalleeScript.DigitAt digit : script.digits()) {
            long at = digit.after().toMillis();
            if (at > cursor) {
                steps.add(Step.of("Wait", secs(at - cursor)));
                cursor = at;
            }
            steps.add(Step.of("SendDTMF", digit.digits()));
            cursor += Engine.DTMF_STEP_MS * digit.digits().length();
        }
        Duration hangup = script.hangupAfter();
        if (hangup == null) {
            steps.add(Step.of("Wait", FOREVER));
        } else if (hangup.toMillis() > cursor) {
            steps.add(Step.of("Wait", secs(hangup.toMillis() - cursor)));
        }
        steps.add(Step.of("Hangup"));
        return new Program(steps, script.amd(), script.remote());
    }

    private static String secs(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
