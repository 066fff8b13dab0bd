package io.outdial.sandbox.pbx.impl;

import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.CalleeScripts;
import io.outdial.sandbox.pbx.PbxClock;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call simulation: originate, the called side's dialplan interpreter, Stasis entry and exit, hangups with
 * the cause codes and event orders of the Asterisk 22 captures. Runs on the PBX context only. This class is long
 * because the event orders of every hangup path are kept side by side, where they can be compared.
 */
final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    static final long DTMF_STEP_MS = 450;
    static final long DTMF_ARRIVAL_MS = 200;
    static final long ANSWER_MEDIA_WAIT_MS = 500;
    private static final DateTimeFormatter TS =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'").withZone(ZoneOffset.UTC);

    final SandboxPbxOptions options;
    final PbxClock clock;
    final Apps apps;
    final CalleeScripts scripts;
    final Map<String, Channel> channels = new java.util.LinkedHashMap<>();
    final String asteriskId = "02:fc:00:00:00:01";
    Media media;
    Bridges bridges;
    volatile boolean stopAnswering;
    volatile int liveCalls;
    volatile int liveChannels;
    volatile long originates;
    private final long epochSecond;
    private long uniqueSeq;
    private int localSeq;
    private int trunkSeq;

    Engine(SandboxPbxOptions options, PbxClock clock, CalleeScripts scripts) {
        this.options = options;
        this.clock = clock;
        this.scripts = scripts;
        this.apps = new Apps(asteriskId, this::timestamp);
        this.epochSecond = clock.nowMillis() / 1000;
    }

    String timestamp() {
        return TS.format(Instant.ofEpochMilli(clock.nowMillis()));
    }

    JsonObject event(String type) {
        return new JsonObject().put("type", type).put("timestamp", timestamp());
    }

    void emit(Channel ch, JsonObject event) {
        apps.deliver(ch.eventApp(), event.put("channel", ch.snapshot()));
    }

    /** Thrown for REST errors that Asterisk reports with a status and a JSON body. */
    static final class AriError extends RuntimeException {
        final int status;
        final JsonObject body;

        AriError(int status, String message) {
            this(status, new JsonObject().put("message", message));
        }

        AriError(int status, JsonObject body) {
            super(body.encode(), null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    /** What the originate REST call asked for. */
    record Originate(String endpoint, String app, String appArgs, String context, String extension, int priority,
                     String channelId, String otherChannelId, long timeoutMillis, String callerId,
                     Map<String, String> variables) {
    }

    // ---------------------------------------------------------------- originate

    JsonObject originate(Originate req) {
        if (req.endpoint() == null || req.endpoint().isEmpty()) {
            throw new AriError(400, "Endpoint must be specified");
        }
        if (req.app() == null && req.extension() == null) {
            throw new AriError(400, "Application or extension must be specified");
        }
        int slash = req.endpoint().indexOf('/');
        String tech = slash < 0 ? req.endpoint() : req.endpoint().substring(0, slash);
        String resource = slash < 0 ? "" : req.endpoint().substring(slash + 1);
        boolean local = "Local".equalsIgnoreCase(tech);
        if (!local && !List.of("PJSIP", "SIP", "IAX2").contains(tech.toUpperCase()) || resource.isEmpty()) {
            throw new AriError(500, new JsonObject().put("error", "Allocation failed"));
        }
        for (String id : new String[] {req.channelId(), req.otherChannelId()}) {
            if (id != null && channels.containsKey(id)) {
                throw new AriError(409, "Channel with given unique ID already exists");
            }
        }
        String target = resource.endsWith("/n") ? resource.substring(0, resource.length() - 2) : resource;
        int at = target.indexOf('@');
        String number = at < 0 ? target : target.substring(0, at);
        String where = at < 0 ? target : target.substring(at + 1);
        Dialplan.Program program = program(local, number, where);
        if (stopAnswering && program != null) {
            program = Dialplan.fromScript(CalleeScript.noAnswer(), local);
        }
        Call.Mode mode = req.app() != null ? Call.Mode.APP : Call.Mode.CONTEXT;
        Call call = new Call(mode, req.app(), req.appArgs(), req.context(), req.extension(), req.priority(),
            resource, program == null ? List.of() : program.steps(), program == null ? null : program.amd(), local);
        String created = timestamp();
        String id1 = req.channelId() != null ? req.channelId() : nextUniqueId();
        String base;
        if (local) {
            base = "Local/" + number + "@" + where + "-" + String.format("%08x", localSeq++);
        } else {
            base = tech + "/" + where + "-" + String.format("%08x", trunkSeq++);
        }
        Channel ch1 = new Channel(id1, local ? base + ";1" : base, call, false, created);
        ch1.dialplan(local ? where : "default", number, 1, "AppDial2", "(Outgoing Line)");
        String[] cid = parseCallerId(req.callerId());
        ch1.callerName = cid[0];
        ch1.callerNumber = cid[1];
        ch1.connectedName = cid[0];
        ch1.connectedNumber = cid[1];
        ch1.variables().putAll(req.variables());
        call.origin = ch1;
        register(ch1);
        if (mode == Call.Mode.APP && apps.registered(req.app())) {
            ch1.app = req.app();
            apps.attach(ch1, req.app());
        }
        liveCalls++;
        originates++;
        JsonObject reply = ch1.snapshot();
        LOG.debug("originate {} -> {} ({})", req.endpoint(), ch1.id, ch1.name);
        if (local) {
            String id2 = req.otherChannelId() != null ? req.otherChannelId() : nextUniqueId();
            Channel ch2 = new Channel(id2, base + ";2", call, true, created);
            ch2.dialplan(where, number, 1, "", "");
            ch2.state = "Ring";
            call.callee = ch2;
            register(ch2);
            if (ch1.app != null) {
                ch2.app = ch1.app;
                apps.attach(ch2, ch1.app);
            }
            for (Map.Entry<String, String> v : req.variables().entrySet()) {
                ch2.variables().put(v.getKey(), v.getValue());
                emit(ch2, event("ChannelVarset").put("variable", v.getKey()).put("value", v.getValue()));
            }
            if (req.callerId() != null) {
                ch2.callerName = cid[0];
                ch2.callerNumber = cid[1];
                ch2.connectedName = cid[0];
                ch2.connectedNumber = cid[1];
                emit(ch2, event("ChannelCallerId").put("caller_presentation", 0)
                    .put("caller_presentation_txt", "Presentation Allowed, Not Screened"));
                emit(ch2, event("ChannelConnectedLine"));
            }
            if (program == null) {
                call.ended = true;
                destroy(ch2, 0);
                destroy(ch1, 0);
                return reply;
            }
        }
        dial(call, "");
        call.due = clock.nowMillis();
        call.timeoutTimer = clock.schedule(req.timeoutMillis(), () -> timeout(call));
        runNext(call);
        return reply;
    }

    private Dialplan.Program program(boolean local, String number, String where) {
        if (local) {
            Dialplan.Program builtin = "callee".equals(where) ? Dialplan.callee(number) : null;
            if (builtin != null) {
                return builtin;
            }
            return scripts.resolveRegistered(number).map(s -> Dialplan.fromScript(s, true)).orElse(null);
        }
        CalleeScript script = scripts.resolve(number).orElse(CalleeScript.answerAfter(java.time.Duration.ofSeconds(1)));
        return Dialplan.fromScript(script, false);
    }

    private String nextUniqueId() {
        return epochSecond + "." + uniqueSeq++;
    }

    private void register(Channel ch) {
        channels.put(ch.id, ch);
        liveChannels = channels.size();
    }

    static String[] parseCallerId(String callerId) {
        if (callerId == null || callerId.isBlank()) {
            return new String[] {"", ""};
        }
        String text = callerId.trim();
        int lt = text.lastIndexOf('<');
        int gt = text.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            String name = text.substring(0, lt).trim();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            return new String[] {name, text.substring(lt + 1, gt).trim()};
        }
        return new String[] {"", text};
    }

    private void dial(Call call, String status) {
        Channel ch1 = call.origin;
        apps.deliver(ch1.eventApp(), event("Dial").put("dialstatus", status).put("forward", "")
            .put("dialstring", call.dialstring).put("peer", ch1.snapshot()));
    }

    // ---------------------------------------------------------------- called side interpreter

    private void runNext(Call call) {
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
                if (!call.ended) {
                    if (call.local) {
                        call.awaitingMedia = true;
                        call.stepTimer = after(call, ANSWER_MEDIA_WAIT_MS, () -> {
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
                busyOrCongestion(call, "BUSY", 17);
                break;
            case "Congestion":
                busyOrCongestion(call, "CONGESTION", 34);
                break;
            case "Hangup":
            default:
                calleeHangup(call, step.data().isEmpty() ? 16 : Integer.parseInt(step.data()));
                break;
        }
    }

    private String expand(Call call, String text) {
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
            out.append(variableValue(call.callee != null ? call.callee : call.origin, text.substring(start + 2, end)));
            i = end + 1;
        }
        return out.toString();
    }

    /** A channel variable or function as GET /channels/{id}/variable and ${...} see it; null when unset. */
    String variableValue(Channel ch, String name) {
        switch (name) {
            case "CALLERID(all)":
                return "\"" + ch.callerName + "\" <" + ch.callerNumber + ">";
            case "CALLERID(num)":
                return ch.callerNumber;
            case "CALLERID(name)":
                return ch.callerName;
            case "CONNECTEDLINE(all)":
                return "\"" + ch.connectedName + "\" <" + ch.connectedNumber + ">";
            case "CONNECTEDLINE(num)":
                return ch.connectedNumber;
            case "CONNECTEDLINE(name)":
                return ch.connectedName;
            default:
                String value = ch.variable(name);
                return value == null ? "" : value;
        }
    }

    private void ringing(Call call) {
        Channel ch1 = call.origin;
        ch1.state = "Ringing";
        emit(ch1, event("ChannelStateChange"));
        dial(call, "RINGING");
    }

    private void answer(Call call) {
        Channel ch1 = call.origin;
        call.answered = true;
        clock.cancel(call.timeoutTimer);
        if (call.callee != null) {
            call.callee.state = "Up";
            emit(call.callee, event("ChannelStateChange"));
        }
        ch1.state = "Up";
        emit(ch1, event("ChannelStateChange"));
        dial(call, "ANSWER");
        if (call.mode == Call.Mode.APP) {
            enterStasis(ch1, call.appName, call.appArgs == null || call.appArgs.isEmpty()
                ? List.of() : List.of(call.appArgs.split(",", -1)));
        } else if ("stasis-entry".equals(call.context)) {
            ch1.dialplan("stasis-entry", call.extension, 1, "Stasis", options.dialplanApp());
            emit(ch1, event("ChannelDialplan").put("dialplan_app", "Stasis")
                .put("dialplan_app_data", options.dialplanApp()));
            enterStasis(ch1, options.dialplanApp(), List.of());
        } else if ("dialer-amd".equals(call.context)) {
            ch1.dialplan("dialer-amd", "s", 1, "AMD", "");
            emit(ch1, event("ChannelDialplan").put("dialplan_app", "AMD").put("dialplan_app_data", ""));
            call.amdTimer = clock.scheduleAt(call.due + call.amd.decisionAfter().toMillis(), () -> amdDecided(call));
        } else {
            LOG.warn("originate into unknown context {} on {}: hanging up", call.context, ch1.id);
            appHangup(ch1, 16);
        }
    }

    private void amdDecided(Call call) {
        if (call.ended) {
            return;
        }
        Channel ch1 = call.origin;
        CalleeScript.Amd amd = call.amd;
        ch1.variables().put("AMDSTATUS", amd.status());
        emit(ch1, event("ChannelVarset").put("variable", "AMDSTATUS").put("value", amd.status()));
        ch1.variables().put("AMDCAUSE", amd.cause());
        emit(ch1, event("ChannelVarset").put("variable", "AMDCAUSE").put("value", amd.cause()));
        String data = options.dialplanApp() + "," + amd.status() + "," + amd.cause();
        ch1.dialplan("dialer-amd", "s", 2, "Stasis", data);
        emit(ch1, event("ChannelDialplan").put("dialplan_app", "Stasis").put("dialplan_app_data", data));
        enterStasis(ch1, options.dialplanApp(), List.of(amd.status(), amd.cause()));
    }

    private void enterStasis(Channel ch, String app, List<String> args) {
        if (!apps.registered(app)) {
            LOG.warn("Stasis app '{}' doesn't exist: hanging up {}", app, ch.id);
            appHangup(ch, 16);
            return;
        }
        StringBuilder data = new StringBuilder(app);
        args.forEach(a -> data.append(',').append(a));
        if (ch.call.mode == Call.Mode.APP) {
            ch.dialplan(ch.context, ch.exten, ch.priority, "Stasis", data.toString());
        }
        ch.variables().put("STASISSTATUS", "");
        emit(ch, event("ChannelVarset").put("variable", "STASISSTATUS").put("value", ""));
        ch.stasisApp = app;
        apps.attach(ch, app);
        emit(ch, event("StasisStart").put("args", new JsonArray(List.copyOf(args))));
    }

    private void exitStasis(Channel ch) {
        if (!ch.inStasis()) {
            return;
        }
        String app = ch.stasisApp;
        emit(ch, event("StasisEnd"));
        ch.stasisApp = null;
        ch.variables().put("STASISSTATUS", "SUCCESS");
        emit(ch, event("ChannelVarset").put("variable", "STASISSTATUS").put("value", "SUCCESS"));
        apps.detach(ch, app);
    }

    private void sendDigits(Call call, String digits) {
        for (int i = 0; i < digits.length(); i++) {
            String digit = digits.substring(i, i + 1);
            clock.scheduleAt(call.due + DTMF_ARRIVAL_MS + i * DTMF_STEP_MS, () -> dtmfToOrigin(call, digit));
        }
        call.stepTimer = after(call, DTMF_STEP_MS * digits.length(), () -> runNext(call));
    }

    private void dtmfToOrigin(Call call, String digit) {
        Channel ch1 = call.origin;
        if (call.ended || ch1.destroyed) {
            return;
        }
        emit(ch1, event("ChannelDtmfReceived").put("digit", digit).put("duration_ms", 100));
        if (ch1.recording != null && ch1.recording.terminatesOn(digit)) {
            media.finishRecording(ch1.recording, "done");
        }
    }

    private void calleePlayback(Call call, String sound) {
        long length = media.sounds.lengthOf(sound);
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
    private long after(Call call, long delay, Runnable task) {
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

    // ---------------------------------------------------------------- hangup paths

    private void stopTimers(Call call) {
        call.ended = true;
        clock.cancel(call.stepTimer);
        clock.cancel(call.timeoutTimer);
        clock.cancel(call.amdTimer);
        if (call.audioSince >= 0) {
            call.audioMillis += clock.nowMillis() - call.audioSince;
            call.audioSince = -1;
        }
    }

    private JsonObject hangupRequest(int cause, boolean soft) {
        JsonObject ev = new JsonObject().put("cause", cause);
        if (soft) {
            ev.put("soft", true);
        }
        return ev.put("type", "ChannelHangupRequest").put("timestamp", timestamp());
    }

    /** Busy()/Congestion() on the ;2 half: cause 0 on ;1, the real cause only on ;2. */
    private void busyOrCongestion(Call call, String status, int cause) {
        stopTimers(call);
        Channel ch1 = call.origin;
        Channel ch2 = call.callee;
        if (ch2 == null) {
            emit(ch1, hangupRequest(cause, false));
            dial(call, status);
            destroy(ch1, cause);
            return;
        }
        ch2.state = "Busy";
        emit(ch2, event("ChannelStateChange"));
        dial(call, status);
        emit(ch2, hangupRequest(0, false));
        destroy(ch1, 0);
        emit(ch2, hangupRequest(16, true));
        destroy(ch2, cause);
    }

    /** The called party hangs up with {@code cause} (Hangup() on ;2, or the remote side on a trunk). */
    private void calleeHangup(Call call, int cause) {
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
            dial(call, Causes.dialStatus(cause));
            destroy(ch1, cause);
        }
    }

    /** The originate timeout expired before an answer: cause 19, no NOANSWER Dial event. */
    private void timeout(Call call) {
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
    private void endOrigin(Channel ch1, int cause, Runnable beforeDestroy) {
        if (ch1.recording != null) {
            media.finishRecording(ch1.recording, "done");
        }
        media.failPlaybacks(ch1);
        if (ch1.bridgeId != null) {
            bridges.leave(ch1);
        }
        exitStasis(ch1);
        if (beforeDestroy != null) {
            beforeDestroy.run();
        }
        destroy(ch1, cause);
    }

    private void destroy(Channel ch, int cause) {
        if (ch.destroyed) {
            return;
        }
        ch.destroyed = true;
        JsonObject snapshot = ch.dialplanSide ? ch.snapshot("", "") : ch.snapshot("AppDial2", "(Outgoing Line)");
        apps.deliver(ch.eventApp(), event("ChannelDestroyed").put("cause", cause).put("cause_txt", Causes.text(cause))
            .put("channel", snapshot));
        if (ch.recording != null) {
            media.finishRecording(ch.recording, "done");
        }
        media.failPlaybacks(ch);
        if (ch.bridgeId != null) {
            bridges.leave(ch);
        }
        channels.remove(ch.id);
        liveChannels = channels.size();
        ch.app = null;
        ch.stasisApp = null;
        apps.detachAll(ch);
        Call call = ch.call;
        if (call.origin.destroyed && (call.callee == null || call.callee.destroyed)) {
            call.ended = true;
            liveCalls--;
        }
    }

    /** Asterisk goes down: every call vanishes without events. */
    void dropAll() {
        for (Channel ch : List.copyOf(channels.values())) {
            stopTimers(ch.call);
            ch.app = null;
            ch.stasisApp = null;
            apps.detachAll(ch);
            if (!ch.destroyed) {
                ch.destroyed = true;
                media.forget(ch);
            }
        }
        channels.clear();
        liveChannels = 0;
        liveCalls = 0;
        bridges.clear();
    }

    Channel channel(String id) {
        Channel ch = channels.get(id);
        if (ch == null) {
            throw new AriError(404, "Channel not found");
        }
        return ch;
    }

    Channel stasisChannel(String id) {
        Channel ch = channel(id);
        if (!ch.inStasis()) {
            throw new AriError(409, "Channel not in Stasis application");
        }
        return ch;
    }

    /** Explicit subscription: the app gets this channel's events from now on. */
    void subscribe(Channel ch, String app) {
        ch.app = app;
        apps.attach(ch, app);
    }

    void unsubscribe(Channel ch, String app) {
        if (app.equals(ch.app)) {
            ch.app = null;
            apps.detach(ch, app);
        }
    }

    void setVariable(Channel ch, String name, String value) {
        ch.variables().put(name, value);
        emit(ch, event("ChannelVarset").put("variable", name).put("value", value));
    }
}
