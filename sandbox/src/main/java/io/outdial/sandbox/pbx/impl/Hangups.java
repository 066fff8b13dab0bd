package io.outdial.sandbox.pbx.impl;

import io.outdial.sandbox.pbx.PbxClock;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Every way a call ends, each with the event order and causes of the Asterisk captures: Busy()/Congestion(),
 * callee hang-up, originate timeout, DELETE by the app, and Asterisk going down.
 */
final class Hangups {

    private final Engine engine;
    private final PbxClock clock;

    Hangups(Engine engine) {
        this.engine = engine;
        this.clock = engine.clock;
    }

    private JsonObject event(String type) {
        return engine.event(type);
    }

    private void emit(Channel ch, JsonObject event) {
        engine.emit(ch, event);
    }

    void stopTimers(Call call) {
        call.ended = true;
        clock.cancel(call.stepTimer);
        clock.cancel(call.timeoutTimer);
        clock.cancel(call.amdTimer);
        if (call.audioSince >= 0) {
            call.audioMillis += clock.nowMillis() - call.audioSince;
            call.audioSince = -1;
        }
    }

    JsonObject hangupRequest(int cause, boolean soft) {
        JsonObject ev = new JsonObject().put("cause", cause);
        if (soft) {
            ev.put("soft", true);
        }
        return ev.put("type", "ChannelHangupRequest").put("timestamp", engine.timestamp());
    }

    /** Busy()/Congestion() on the ;2 half: cause 0 on ;1, the real cause only on ;2. */
    void busyOrCongestion(Call call, String status, int cause) {
        stopTimers(call);
        Channel ch1 = call.origin;
        Channel ch2 = call.callee;
        if (ch2 == null) {
            emit(ch1, hangupRequest(cause, false));
            engine.dial(call, status);
            destroy(ch1, cause);
            return;
        }
        ch2.state = "Busy";
        emit(ch2, event("ChannelStateChange"));
        engine.dial(call, status);
        emit(ch2, hangupRequest(0, false));
        destroy(ch1, 0);
        emit(ch2, hangupRequest(16, true));
        destroy(ch2, cause);
    }

    /** The called party hangs up with {@code cause} (Hangup() on ;2, or the remote side on a trunk). */
    void calleeHangup(Call call, int cause) {
        stopTimers(call);
        Channel ch1 = call.origin;
        Channel ch2 = call.callee;
        if (ch2 != null) {
            emit(ch2, hangupRequest(16, true));
        }
        emit(ch1, hangupRequest(cause, false));
        if (ch2 != null) {
            destroy(ch2, cause);
        }
        if (call.answered) {
            endOrigin(ch1, cause, null);
        } else {
            engine.dial(call, Causes.dialStatus(cause));
            destroy(ch1, cause);
        }
    }

    /** The originate timeout expired before an answer: cause 19, no NOANSWER Dial event. */
    void timeout(Call call) {
        if (call.ended || call.answered) {
            return;
        }
        stopTimers(call);
        Channel ch2 = call.callee;
        if (ch2 != null) {
            emit(ch2, hangupRequest(19, false));
        }
        destroy(call.origin, 19);
        if (ch2 != null) {
            emit(ch2, hangupRequest(16, true));
            destroy(ch2, 19);
        }
    }

    /** DELETE /channels/{id}: soft hangup (cause 32 on the request), then the Destroyed cause from the reason. */
    void appHangup(Channel ch, int cause) {
        Call call = ch.call;
        if (ch.destroyed) {
            return;
        }
        stopTimers(call);
        Channel ch1 = call.origin;
        Channel ch2 = call.callee;
        if (ch.dialplanSide) {
            emit(ch2, hangupRequest(32, true));
            emit(ch1, hangupRequest(16, false));
            destroy(ch2, cause);
            if (!ch1.destroyed) {
                endOrigin(ch1, 16, null);
            }
            return;
        }
        emit(ch1, hangupRequest(32, true));
        Runnable between = () -> {
            if (ch2 != null && !ch2.destroyed) {
                emit(ch2, hangupRequest(16, false));
            }
            if (call.mode == Call.Mode.CONTEXT) {
                emit(ch1, hangupRequest(16, true));
            }
        };
        if (call.answered) {
            endOrigin(ch1, cause, between);
        } else {
            between.run();
            destroy(ch1, cause);
        }
        if (ch2 != null && !ch2.destroyed) {
            emit(ch2, hangupRequest(16, true));
            destroy(ch2, cause);
        }
    }

    /** The answered originated channel goes away: recordings, prompts and bridge first, then StasisEnd. */
    void endOrigin(Channel ch1, int cause, Runnable beforeDestroy) {
        if (ch1.recording != null) {
            engine.media.finishRecording(ch1.recording, "done");
        }
        engine.media.failPlaybacks(ch1);
        if (ch1.bridgeId != null) {
            engine.bridges.leave(ch1);
        }
        engine.exitStasis(ch1);
        if (beforeDestroy != null) {
            beforeDestroy.run();
        }
        destroy(ch1, cause);
    }

    void destroy(Channel ch, int cause) {
        if (ch.destroyed) {
            return;
        }
        ch.destroyed = true;
        JsonObject snapshot = ch.dialplanSide ? ch.snapshot("", "") : ch.snapshot("AppDial2", "(Outgoing Line)");
        engine.deliver(ch, event("ChannelDestroyed").put("cause", cause).put("cause_txt", Causes.text(cause))
            .put("channel", snapshot));
        if (ch.recording != null) {
            engine.media.finishRecording(ch.recording, "done");
        }
        engine.media.failPlaybacks(ch);
        if (ch.bridgeId != null) {
            engine.bridges.leave(ch);
        }
        engine.channels.remove(ch.id);
        engine.liveChannels = engine.channels.size();
        engine.endpoints.removeChannel(ch);
        ch.app = null;
        ch.stasisApp = null;
        engine.apps.detachAll(ch);
        Call call = ch.call;
        if (call.origin.destroyed && (call.callee == null || call.callee.destroyed)) {
            call.ended = true;
            engine.liveCalls--;
        }
    }

    /**
     * Asterisk shuts down ({@code core stop now}): every channel is soft-hung-up and destroyed with cause 0; the
     * channels in Stasis leave it first (StasisEnd), their prompts and recordings end as on any hangup.
     */
    void shutdownAll() {
        for (Channel ch : List.copyOf(engine.channels.values())) {
            if (ch.destroyed || ch.dialplanSide) {
                continue;
            }
            Call call = ch.call;
            stopTimers(call);
            emit(ch, hangupRequest(0, true));
            if (call.answered) {
                endOrigin(ch, 0, null);
            } else {
                destroy(ch, 0);
            }
            if (call.callee != null && !call.callee.destroyed) {
                emit(call.callee, hangupRequest(0, true));
                destroy(call.callee, 0);
            }
        }
        for (Channel ch : List.copyOf(engine.channels.values())) {
            destroy(ch, 0);
        }
    }

    /** Asterisk goes down: every call vanishes without events. */
    void dropAll() {
        for (Channel ch : List.copyOf(engine.channels.values())) {
            stopTimers(ch.call);
            ch.app = null;
            ch.stasisApp = null;
            engine.apps.detachAll(ch);
            if (!ch.destroyed) {
                ch.destroyed = true;
                engine.media.forget(ch);
            }
            if (ch.endpoint != null) {
                ch.endpoint.channels.remove(ch);
            }
        }
        engine.channels.clear();
        engine.liveChannels = 0;
        engine.liveCalls = 0;
        engine.bridges.clear();
    }
}
