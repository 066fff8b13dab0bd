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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call simulation's state and entry points: originate, Stasis entry and exit, event emission, channel
 * lookups. The called side runs in {@link Interpreter}, the ways a call ends in {@link Hangups}. Runs on the PBX
 * context only.
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
    final Map<String, Channel> channels = new LinkedHashMap<>();
    final String asteriskId = "02:fc:00:00:00:01";
    Media media;
    Bridges bridges;
    final Interpreter callee;
    final Hangups hangups;
    final Endpoints endpoints;
    volatile boolean stopAnswering;
    /** Doctor faults: unloaded modules, media URLs that cannot be fetched, dialplan contexts removed, clock skew. */
    final Modules modules = new Modules();
    volatile boolean mediaUnreachable;
    final java.util.Set<String> missingContexts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    volatile long clockSkewMillis;
    /** Runs a task on the PBX context (set by the verticle): remote callees act from other threads. */
    volatile java.util.function.Consumer<Runnable> onContext = Runnable::run;
    volatile int liveCalls;
    volatile int liveChannels;
    volatile long originates;
    /** What the PBX saw (originate arrivals, media fetched and played). */
    final io.outdial.sandbox.pbx.PbxLog log = new io.outdial.sandbox.pbx.PbxLog();
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
        this.callee = new Interpreter(this);
        this.hangups = new Hangups(this);
        this.endpoints = new Endpoints(this);
    }

    /** DELETE /channels/{id}. */
    void appHangup(Channel ch, int cause) {
        hangups.appHangup(ch, cause);
    }

    /** A playback or a recording beep on the app side. */
    void mediaFromOrigin(Call call) {
        callee.mediaFromOrigin(call);
    }

    /** Asterisk goes down. */
    void dropAll() {
        hangups.dropAll();
    }

    String timestamp() {
        return TS.format(Instant.ofEpochMilli(clock.nowMillis()));
    }

    JsonObject event(String type) {
        return new JsonObject().put("type", type).put("timestamp", timestamp());
    }

    void emit(Channel ch, JsonObject event) {
        String app = ch.eventApp();
        boolean forwarded = endpoints.forwarded(ch);
        if (apps.listening(app) || forwarded || apps.observed()) {
            deliver(ch, event.put("channel", ch.snapshot()));
        }
    }

    /** Sends a channel event to the channel's app and to the apps subscribed to the channel's endpoint. */
    void deliver(Channel ch, JsonObject event) {
        apps.deliver(ch.eventApp(), event);
        endpoints.forward(ch, event);
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
                     String channelId, String otherChannelId, long timeoutMillis /* -1: none */, String callerId,
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
        Endpoints.Endpoint device = local ? null : endpoints.find(tech, where);
        if (device != null && "offline".equals(device.state)) {
            // chan_pjsip finds no reachable contact: the channel cannot be requested
            LOG.debug("originate {}: endpoint {} is offline", req.endpoint(), device.ref());
            throw new AriError(500, new JsonObject().put("error", "Allocation failed"));
        }
        Dialplan.Program program = program(local, number, where);
        if (stopAnswering && program != null) {
            program = Dialplan.fromScript(CalleeScript.noAnswer(), local);
        }
        Call.Mode mode = req.app() != null ? Call.Mode.APP : Call.Mode.CONTEXT;
        Call call = new Call(mode, req.app(), req.appArgs(), req.context(), req.extension(), req.priority(),
            resource, program == null ? List.of() : program.steps(), program == null ? null : program.amd(), local);
        call.remote = program == null ? null : program.remote();
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
        if (device != null) {
            endpoints.addChannel(device, ch1);
        }
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
                hangups.destroy(ch2, 0);
                hangups.destroy(ch1, 0);
                return reply;
            }
        }
        dial(call, "");
        call.due = clock.nowMillis();
        if (req.timeoutMillis() >= 0) {
            call.timeoutTimer = clock.schedule(req.timeoutMillis(), () -> hangups.timeout(call));
        }
        callee.runNext(call);
        return reply;
    }

    private static final CalleeScript FALLBACK = CalleeScript.answerAfter(java.time.Duration.ofSeconds(1));
    /** Converted scripts, shared by every call to the same script (bounded: scripts are few). */
    private final Map<CalleeScript, Dialplan.Program> trunkPrograms = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CalleeScript, Dialplan.Program> eldest) {
            return size() > 256;
        }
    };

    private Dialplan.Program program(boolean local, String number, String where) {
        if (local && missingContexts.contains(where)) {
            return null;
        }
        if (local && Dialplan.DOCTOR_CONTEXT.equals(where)) {
            return Dialplan.DOCTOR;
        }
        if (local) {
            Dialplan.Program builtin = "callee".equals(where) ? Dialplan.callee(number) : null;
            if (builtin != null) {
                return builtin;
            }
            return scripts.resolveRegistered(number).map(s -> Dialplan.fromScript(s, true)).orElse(null);
        }
        CalleeScript script = scripts.resolve(number).orElse(FALLBACK);
        if (script.remote() != null) {
            return Dialplan.fromScript(script, false); // one handle per call: not cached
        }
        return trunkPrograms.computeIfAbsent(script, s -> Dialplan.fromScript(s, false));
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

    void dial(Call call, String status) {
        Channel ch1 = call.origin;
        deliver(ch1, event("Dial").put("dialstatus", status).put("forward", "")
            .put("dialstring", call.dialstring).put("peer", ch1.snapshot()));
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




    void enterStasis(Channel ch, String app, List<String> args) {
        if (!apps.registered(app)) {
            LOG.warn("Stasis app '{}' doesn't exist: hanging up {}", app, ch.id);
            hangups.appHangup(ch, 16);
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

    void exitStasis(Channel ch) {
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
