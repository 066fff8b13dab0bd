package io.outdial.sandbox.pbx.impl;

import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.PbxClock;
import io.outdial.sandbox.pbx.RemoteCallee;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The called side: runs a call's dialplan steps (the reference [callee] dialplan or a converted script) with the
 * timings of the captures, and what answering does on the originated channel (Stasis, stasis-entry, AMD).
 */
final class Interpreter {

    private static final Logger LOG = LoggerFactory.getLogger(Interpreter.class);
    private final Engine engine;
    private final PbxClock clock;
    private final SandboxPbxOptions options;

    Interpreter(Engine engine) {
        this.engine = engine;
        this.clock = engine.clock;
        this.options = engine.options;
    }

    private JsonObject event(String type) {
        return engine.event(type);
    }

    private void emit(Channel ch, JsonObject event) {
        engine.emit(ch, event);
    }

    void runNext(Call call) {
        if (call.ended) {
            return;
        }
        call.stepTimer = -1;
        int index = ++call.stepIndex;
        Step step = index < call.steps.size() ? call.steps.get(index) : Step.of("Hangup");
        Channel ch2 = call.callee;
        if (ch2 != null) {
            String data = "Set".equals(step.app()) ? expand(call, step.data()) : step.data();
            ch2.dialplan(ch2.context, ch2.exten, index + 1, step.app(), data);
            emit(ch2, event("ChannelDialplan").put("dialplan_app", step.app()).put("dialplan_app_data", data));
        }
        switch (step.app()) {
            case "Answer":
                answer(call);
                if (!call.ended && call.remote != null) {
                    call.remote.attach(remoteLine(call));
                }
                if (!call.ended) {
                    if (call.local) {
                        call.awaitingMedia = true;
                        call.stepTimer = after(call, Engine.ANSWER_MEDIA_WAIT_MS, () -> {
                            call.awaitingMedia = false;
                            runNext(call);
                        });
                    } else {
                        runNext(call);
                    }
                }
                break;
            case "Ringing":
                ringing(call);
                runNext(call);
                break;
            case "Wait":
                call.stepTimer = after(call, step.seconds(), () -> runNext(call));
                break;
            case "SendDTMF":
                sendDigits(call, step.data());
                break;
            case "Playback":
                calleePlayback(call, step.data());
                break;
            case "Set":
                String assignment = expand(call, step.data());
                int eq = assignment.indexOf('=');
                String name = assignment.substring(0, eq);
                String value = assignment.substring(eq + 1);
                if (ch2 != null) {
                    ch2.variables().put(name, value);
                    emit(ch2, event("ChannelVarset").put("variable", name).put("value", value));
                }
                runNext(call);
                break;
            case "Busy":
                engine.hangups.busyOrCongestion(call, "BUSY", 17);
                break;
            case "Congestion":
                engine.hangups.busyOrCongestion(call, "CONGESTION", 34);
                break;
            case "Hangup":
            default:
                engine.hangups.calleeHangup(call, step.data().isEmpty() ? 16 : Integer.parseInt(step.data()));
                break;
        }
    }

    String expand(Call call, String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            int end = text.indexOf('}', start);
            out.append(text, i, start);
            out.append(engine.variableValue(call.callee != null ? call.callee : call.origin, text.substring(start + 2, end)));
            i = end + 1;
        }
        return out.toString();
    }

    void ringing(Call call) {
        Channel ch1 = call.origin;
        ch1.state = "Ringing";
        emit(ch1, event("ChannelStateChange"));
        engine.dial(call, "RINGING");
    }

    void answer(Call call) {
        Channel ch1 = call.origin;
        call.answered = true;
        clock.cancel(call.timeoutTimer);
        if (call.callee != null) {
            call.callee.state = "Up";
            emit(call.callee, event("ChannelStateChange"));
        }
        ch1.state = "Up";
        emit(ch1, event("ChannelStateChange"));
        engine.dial(call, "ANSWER");
        if (call.mode == Call.Mode.APP) {
            engine.enterStasis(ch1, call.appName, call.appArgs == null || call.appArgs.isEmpty()
                ? List.of() : List.of(call.appArgs.split(",", -1)));
        } else if ("stasis-entry".equals(call.context)) {
            ch1.dialplan("stasis-entry", call.extension, 1, "Stasis", options.dialplanApp());
            emit(ch1, event("ChannelDialplan").put("dialplan_app", "Stasis")
                .put("dialplan_app_data", options.dialplanApp()));
            engine.enterStasis(ch1, options.dialplanApp(), List.of());
        } else if ("dialer-amd".equals(call.context) && !engine.missingContexts.contains(call.context)) {
            if (shippedAmdDialplan(ch1)) {
                // asterisk-config's dialer-amd: priority 1 keeps the answer time for the Stasis args
                String up = String.format(java.util.Locale.ROOT, "%.3f", clock.nowMillis() / 1000.0);
                ch1.dialplan("dialer-amd", "s", 1, "Set", "OUTDIAL_UP=" + up);
                emit(ch1, event("ChannelDialplan").put("dialplan_app", "Set")
                    .put("dialplan_app_data", "OUTDIAL_UP=" + up));
                ch1.variables().put("OUTDIAL_UP", up);
                emit(ch1, event("ChannelVarset").put("variable", "OUTDIAL_UP").put("value", up));
            }
            ch1.dialplan("dialer-amd", "s", shippedAmdDialplan(ch1) ? 2 : 1, "AMD", "");
            emit(ch1, event("ChannelDialplan").put("dialplan_app", "AMD").put("dialplan_app_data", ""));
            call.amdTimer = clock.scheduleAt(call.due + call.amd.decisionAfter().toMillis(), () -> amdDecided(call));
        } else {
            LOG.warn("originate into unknown context {} on {}: hanging up", call.context, ch1.id);
            engine.hangups.appHangup(ch1, 16);
        }
    }

    /**
     * Whether the call runs asterisk-config's dialer-amd (the dialer sets OUTDIAL_APP): it keeps the answer time
     * in OUTDIAL_UP and passes it as a third Stasis arg. The reference captures' dialplan has neither.
     */
    private static boolean shippedAmdDialplan(Channel ch1) {
        return ch1.variable("OUTDIAL_APP") != null && !ch1.variable("OUTDIAL_APP").isEmpty();
    }

    void amdDecided(Call call) {
        if (call.ended) {
            return;
        }
        Channel ch1 = call.origin;
        CalleeScript.Amd amd = call.amd;
        ch1.variables().put("AMDSTATUS", amd.status());
        emit(ch1, event("ChannelVarset").put("variable", "AMDSTATUS").put("value", amd.status()));
        ch1.variables().put("AMDCAUSE", amd.cause());
        emit(ch1, event("ChannelVarset").put("variable", "AMDCAUSE").put("value", amd.cause()));
        // Stasis(${OUTDIAL_APP},...) as in asterisk-config; the reference capture's dialplan names the app itself
        boolean shipped = shippedAmdDialplan(ch1);
        String app = shipped ? ch1.variable("OUTDIAL_APP") : options.dialplanApp();
        List<String> args = shipped ? List.of(amd.status(), amd.cause(), ch1.variable("OUTDIAL_UP"))
            : List.of(amd.status(), amd.cause());
        String data = app + "," + String.join(",", args);
        ch1.dialplan("dialer-amd", "s", shipped ? 3 : 2, "Stasis", data);
        emit(ch1, event("ChannelDialplan").put("dialplan_app", "Stasis").put("dialplan_app_data", data));
        engine.enterStasis(ch1, app, args);
    }

    void sendDigits(Call call, String digits) {
        for (int i = 0; i < digits.length(); i++) {
            String digit = digits.substring(i, i + 1);
            clock.scheduleAt(call.due + Engine.DTMF_ARRIVAL_MS + i * Engine.DTMF_STEP_MS, () -> dtmfToOrigin(call, digit));
        }
        call.stepTimer = after(call, Engine.DTMF_STEP_MS * digits.length(), () -> runNext(call));
    }

    /** The remote callee's hold on its answered call: key presses and the hang-up, run on the PBX context. */
    private RemoteCallee.Line remoteLine(Call call) {
        return new RemoteCallee.Line() {
            @Override
            public void press(String digits) {
                engine.onContext.accept(() -> {
                    if (call.ended) {
                        return;
                    }
                    long start = Math.max(clock.nowMillis(), call.remoteKeysDue);
                    for (int i = 0; i < digits.length(); i++) {
                        String digit = digits.substring(i, i + 1);
                        clock.scheduleAt(start + Engine.DTMF_ARRIVAL_MS + i * Engine.DTMF_STEP_MS,
                            () -> dtmfToOrigin(call, digit));
                    }
                    call.remoteKeysDue = start + digits.length() * Engine.DTMF_STEP_MS;
                });
            }

            @Override
            public void hangUp() {
                engine.onContext.accept(() -> {
                    if (!call.ended) {
                        LOG.debug("remote callee hangs up {}", call.origin.id);
                        engine.hangups.calleeHangup(call, 16);
                    }
                });
            }

            @Override
            public boolean live() {
                return !call.ended;
            }
        };
    }

    void dtmfToOrigin(Call call, String digit) {
        Channel ch1 = call.origin;
        if (call.ended || ch1.destroyed) {
            return;
        }
        emit(ch1, event("ChannelDtmfReceived").put("digit", digit).put("duration_ms", 100));
        if (ch1.recording != null && ch1.recording.terminatesOn(digit)) {
            engine.media.finishRecording(ch1.recording, "done");
        }
    }

    void calleePlayback(Call call, String sound) {
        long length = engine.media.sounds.lengthOf(sound);
        if (length < 0) {
            runNext(call);
            return;
        }
        call.audioSince = call.due;
        call.stepTimer = after(call, length, () -> {
            call.audioMillis += length;
            call.audioSince = -1;
            if (call.callee != null) {
                call.callee.variables().put("PLAYBACKSTATUS", "SUCCESS");
                emit(call.callee, event("ChannelVarset").put("variable", "PLAYBACKSTATUS").put("value", "SUCCESS"));
            }
            runNext(call);
        });
    }

    /** Schedules the call's next step {@code delay} after the current one was due. */
    long after(Call call, long delay, Runnable task) {
        call.due += delay;
        return clock.scheduleAt(call.due, task);
    }

    /** Media from the app side (a playback, a recording beep) ends the called side's Answer() media wait. */
    void mediaFromOrigin(Call call) {
        if (call.awaitingMedia && !call.ended) {
            call.awaitingMedia = false;
            clock.cancel(call.stepTimer);
            call.due = clock.nowMillis();
            call.stepTimer = after(call, 3, () -> runNext(call));
        }
    }
}
