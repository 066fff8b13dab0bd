package io.outdial.dialer.flowtry;

import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.flow.JdbcFlowStore;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.ivr.engine.FlowInterpreter;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.ivr.spi.FlowSession;
import io.outdial.ivr.spi.Prompt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Try a flow before it goes live" (docs/ui.md, Try a flow): runs a stored flow version on the node's own call
 * engine against a called party the designer drives from the browser ({@link TryLines}: the demo's sandbox PBX).
 * The node keeps a small registry of tries (at most {@link Limits#maxLive()} live, each hung up after
 * {@link Limits#maxDuration()}) and streams each one's events (node entered, prompt started with the URL of its
 * audio, key received, the end with the outcome and the flow's result) as Server-Sent Events at
 * {@code /api/ui/tries/{tryId}/events}. Routes: {@code POST /api/v1/flows/{id}/tries},
 * {@code GET|DELETE /api/v1/tries/{tryId}}, {@code POST /api/v1/tries/{tryId}/dtmf},
 * {@code GET /api/v1/tries/{tryId}/prompts/{n}} (the prompt's audio bytes).
 */
public final class FlowTries implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(FlowTries.class);
    /** Where a try's events are streamed ({@code {tryId}} replaced). */
    public static final String EVENTS_PATH = "/api/ui/tries/:tryId/events";
    /** How long an ended try stays readable (its events and result). */
    static final Duration KEEP_ENDED = Duration.ofMinutes(10);
    /** Ended tries kept at most (the oldest go first). */
    static final int MAX_ENDED = 50;

    /**
     * @param maxLive     live tries on the node at once; one more is refused with 429
     * @param maxDuration a try still live this long after it was placed is hung up
     */
    public record Limits(int maxLive, Duration maxDuration) {
        public Limits {
            if (maxLive < 1 || maxDuration == null || maxDuration.isNegative() || maxDuration.isZero()) {
                throw new IllegalArgumentException("try limits: maxLive " + maxLive + " must be 1 or more and "
                    + "maxDuration " + maxDuration + " positive");
            }
        }

        /** Three live tries, five minutes each. */
        public static Limits defaults() {
            return new Limits(3, Duration.ofMinutes(5));
        }
    }

    private final Vertx vertx;
    private final TelephonyComponent telephony;
    private final Supplier<JdbcFlowStore> flows;
    private final PromptMedia media;
    private final TryLines lines;
    private final Limits limits;
    private final Clock clock;
    private final Map<String, FlowTry> tries = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<RoutingContext> streamCheck = ctx -> { };

    /**
     * @param lines where tries are placed; null on a node without a sandbox PBX (every try is refused with 409)
     */
    public FlowTries(Vertx vertx, TelephonyComponent telephony, Supplier<JdbcFlowStore> flows, PromptMedia media,
                     TryLines lines, Limits limits, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.telephony = Objects.requireNonNull(telephony, "telephony");
        this.flows = Objects.requireNonNull(flows, "flows");
        this.media = Objects.requireNonNull(media, "media");
        this.lines = lines;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Hands each event stream that opens to {@code check} (the API guard's {@code endWhenRefused}: the stream is cut
     * once its credentials are revoked or lose the role).
     */
    public FlowTries withStreamCheck(java.util.function.Consumer<RoutingContext> check) {
        this.streamCheck = Objects.requireNonNull(check, "check");
        return this;
    }

    @Override
    public String name() {
        return "flow-tries";
    }

    @Override
    public Future<Void> start() {
        return Future.succeededFuture();
    }

    /** Hangs up every live try (the drain waits for the telephony's calls). */
    @Override
    public Future<Void> stop() {
        tries.values().stream().filter(t -> !t.ended()).forEach(this::hangUp);
        return Future.succeededFuture();
    }

    /** Live tries now. */
    public int live() {
        return (int) tries.values().stream().filter(t -> !t.ended()).count();
    }

    @Override
    public void routes(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(4096);
        router.post("/api/v1/flows/:id/tries").handler(body).handler(this::create);
        router.get("/api/v1/tries/:tryId").handler(ctx -> json(ctx, 200, find(ctx).snapshot()));
        router.delete("/api/v1/tries/:tryId").handler(ctx -> {
            FlowTry t = find(ctx);
            if (!t.ended()) {
                hangUp(t);
            }
            ctx.response().setStatusCode(204).end();
        });
        router.post("/api/v1/tries/:tryId/dtmf").handler(body).handler(this::dtmf);
        router.get("/api/v1/tries/:tryId/prompts/:n").handler(this::audio);
        router.get(EVENTS_PATH).handler(ctx -> {
            FlowTry t = find(ctx);
            ctx.response().setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("X-Accel-Buffering", "no");
            streamCheck.accept(ctx);
            t.listen(ctx.response());
        });
    }

    // ---- routes

    private void create(RoutingContext ctx) {
        String flowId = ctx.pathParam("id");
        String who = designer(ctx);
        if (!JdbcFlowStore.validId(flowId)) {
            throw InvalidInput.of("path parameter", "id", flowId, "1-64 letters, digits, '_', '.' or '-'",
                Reason.INVALID_FORMAT, "flow id \"" + flowId + "\" is not 1-64 letters, digits, '_', '.' or '-'");
        }
        Integer version = version(ctx);
        if (lines == null) {
            throw new ProblemException(409, "no_try_line", "this node places calls on a real Asterisk only: a flow"
                + " try needs the sandbox PBX of the demo (java -jar dialer.jar demo); try the flow there", null);
        }
        if (live() >= limits.maxLive()) {
            throw new ProblemException(429, "too_many_tries", "there are already " + limits.maxLive()
                + " live tries on this node (the limit); hang one up or wait for it to end", null);
        }
        Telephony tel = telephony.telephony().orElseThrow(() -> ProblemException.conflict(
            "the node's telephony is not started"));
        CallEngine engine = tel.engine(lines.server());
        Trunk trunk = telephony.trunk(lines.trunk()).orElse(null);
        if (engine == null || trunk == null || !engine.server().ready()) {
            throw ProblemException.conflict("the try line (Asterisk " + lines.server() + ", trunk " + lines.trunk()
                + ") is not ready");
        }
        JdbcFlowStore store = flows.get();
        if (store == null) {
            throw new ProblemException(503, "not_ready", "the flow store is not started", null);
        }
        vertx.executeBlocking(() -> load(store, flowId, version), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            if (live() >= limits.maxLive()) {
                ctx.fail(new ProblemException(429, "too_many_tries", "there are already " + limits.maxLive()
                    + " live tries on this node (the limit)", null));
                return;
            }
            FlowTry t = place(engine, trunk, ar.result(), flowId, who);
            json(ctx, 201, new JsonObject().put("tryId", t.id).put("flowId", flowId).put("version", t.version)
                .put("events", EVENTS_PATH.replace(":tryId", t.id)));
        });
    }

    private record Loaded(int version, FlowInterpreter runner) { }

    private static Loaded load(JdbcFlowStore store, String flowId, Integer version) {
        int latest = store.latestValid(flowId);
        if (latest == JdbcFlowStore.NO_FLOW) {
            throw ProblemException.notFound("no flow \"" + flowId + "\"");
        }
        int v;
        if (version != null) {
            v = version;
        } else {
            if (latest == 0) {
                throw ProblemException.conflict("flow " + flowId + " has no valid version to try (only drafts with"
                    + " problems)");
            }
            v = latest;
        }
        return new Loaded(v, store.runnerOrProblem(flowId, v));
    }

    private FlowTry place(CallEngine engine, Trunk trunk, Loaded flow, String flowId, String who) {
        String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        TryLines.TryLine line = lines.open();
        CallRequest request = new CallRequest("try-" + id, null, "try:" + id, line.number(), Map.of(), trunk, 1, null,
            Boolean.FALSE, null, runner(flow.runner()), Map.of());
        FlowTry t = new FlowTry(id, flowId, flow.version(), who, line, request.channelId(), clock);
        trimEnded();
        tries.put(id, t);
        t.emit("dialing", new JsonObject().put("flowId", flowId).put("version", flow.version())
            .put("number", line.number()));
        LOG.info("try {} of flow {} v{} by {}: calling {} through {}", id, flowId, flow.version(), who,
            line.number(), trunk.name());
        long limit = vertx.setTimer(limits.maxDuration().toMillis(), x -> {
            if (!t.ended()) {
                LOG.info("try {}: still live after {}: hanging up", id, limits.maxDuration());
                t.emit("timeLimit", new JsonObject().put("seconds", limits.maxDuration().toSeconds()));
                hangUp(t);
            }
        });
        engine.originate(request).onComplete(ar -> {
            vertx.cancelTimer(limit);
            line.close();
            if (ar.succeeded()) {
                t.ended(ar.result());
                LOG.info("try {}: ended {}", id, ar.result().outcome().kind());
            } else {
                t.emit("ended", new JsonObject().put("outcome", "FAILED").put("detail", String.valueOf(ar.cause())));
            }
            vertx.setTimer(KEEP_ENDED.toMillis(), x -> tries.remove(id));
        });
        return t;
    }

    private void trimEnded() {
        List<FlowTry> ended = tries.values().stream().filter(FlowTry::ended).toList();
        for (int i = 0; i < ended.size() - MAX_ENDED + 1; i++) {
            tries.remove(ended.get(i).id);
        }
    }

    private void dtmf(RoutingContext ctx) {
        FlowTry t = find(ctx);
        JsonObject body = bodyJson(ctx);
        Object raw = body.getValue("digits");
        if (!(raw instanceof String) || !((String) raw).matches("[0-9*#]{1,32}")) {
            throw InvalidInput.of("request body", "digits", raw == null ? null : String.valueOf(raw),
                "1-32 of 0-9 * #", Reason.INVALID_FORMAT, "digits must be 1-32 keys of 0-9 * #");
        }
        if (t.ended()) {
            throw ProblemException.conflict("try " + t.id + " has ended");
        }
        if (!t.line.press((String) raw)) {
            throw ProblemException.conflict("try " + t.id + ": the call is not answered yet");
        }
        t.emit("pressed", new JsonObject().put("digits", raw));
        ctx.response().setStatusCode(202).end();
    }

    private void audio(RoutingContext ctx) {
        FlowTry t = find(ctx);
        int n;
        try {
            n = Integer.parseInt(ctx.pathParam("n"));
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("no prompt " + ctx.pathParam("n") + " in try " + t.id);
        }
        Future<String> uri = t.promptUri(n).orElseThrow(() -> ProblemException.notFound("no prompt " + n
            + " in try " + t.id));
        uri.compose(u -> media.localFile(u).map(f -> Map.entry(u, f))).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ProblemException.notFound("prompt " + n + " of try " + t.id + " could not be prepared: "
                    + ar.cause().getMessage()));
            } else if (ar.result().getValue().isEmpty()) {
                ctx.fail(ProblemException.notFound("prompt " + n + " of try " + t.id + " plays "
                    + ar.result().getKey() + ", audio this node does not serve (an Asterisk sound or another"
                    + " host's file)"));
            } else {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "audio/wav")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=600")
                    .sendFile(ar.result().getValue().get().toString()).onFailure(ctx::fail);
            }
        });
    }

    // ---- the call

    /** Hangs up as the called party when it has answered, else from the node's side. */
    private void hangUp(FlowTry t) {
        if (!t.line.hangUp()) {
            telephony.telephony().map(tel -> tel.engine(lines.server())).ifPresent(e -> e.hangup(t.channelId,
                "normal"));
        }
    }

    /** The stored flow, watched: each node entered, each prompt played, each key and the hang-up become events. */
    private FlowRunner runner(FlowInterpreter flow) {
        return new FlowRunner() {
            private FlowTry t;

            @Override
            public FlowSession open(CallInfo info, CallControl control, Consumer<FlowResult> onFinished) {
                t = tries.values().stream().filter(x -> ("try-" + x.id).equals(info.attemptId())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no try for call " + info.attemptId()));
                t.emit("answered", new JsonObject());
                String[] node = {null};
                FlowSession session = flow.open(info, watched(t, control, node), onFinished,
                    (nodeId, type, answers, vars) -> {
                        node[0] = nodeId;
                        t.emit("node", new JsonObject().put("nodeId", nodeId).put("nodeType", type)
                            .put("answers", new JsonObject(new java.util.HashMap<>(answers)))
                            .put("vars", new JsonObject(new java.util.HashMap<>(vars))));
                    });
                return new FlowSession() {
                    @Override
                    public void start() {
                        session.start();
                    }

                    @Override
                    public void onEvent(CallEvent event) {
                        if (event instanceof CallEvent.DtmfReceived d) {
                            t.emit("dtmf", new JsonObject().put("digit", String.valueOf(d.digit())));
                        } else if (event instanceof CallEvent.HungUp h) {
                            t.emit("hungUp", new JsonObject().put("byCallee", h.byCallee()).put("cause", h.cause()));
                        } else if (event instanceof CallEvent.PlaybackFinished p) {
                            t.emit("promptEnded", new JsonObject().put("playbackId", p.playbackId())
                                .put("status", p.status().name()));
                        }
                        session.onEvent(event);
                    }

                    @Override
                    public boolean isFinished() {
                        return session.isFinished();
                    }
                };
            }
        };
    }

    private CallControl watched(FlowTry t, CallControl control, String[] node) {
        return new CallControl() {
            @Override
            public void play(String playbackId, List<Prompt> prompts) {
                for (Prompt p : prompts) {
                    Future<String> uri = p instanceof Prompt.Tts tts ? media.resolveTts(tts.text(), tts.engine(),
                        tts.voice()) : media.resolveMedia(((Prompt.Media) p).uri());
                    int n = t.prompt(uri);
                    JsonObject e = new JsonObject().put("n", n).put("nodeId", node[0]).put("playbackId", playbackId)
                        .put("audio", "/api/v1/tries/" + t.id + "/prompts/" + n);
                    if (p instanceof Prompt.Tts tts) {
                        e.put("kind", "tts").put("text", tts.text()).put("voice", tts.engine() + "/" + tts.voice());
                    } else {
                        e.put("kind", "media").put("uri", ((Prompt.Media) p).uri());
                    }
                    t.emit("prompt", e);
                }
                control.play(playbackId, prompts);
            }

            @Override
            public void stopPlayback(String playbackId) {
                control.stopPlayback(playbackId);
            }

            @Override
            public void record(String recordingName, RecordOptions options) {
                t.emit("recording", new JsonObject().put("name", recordingName));
                control.record(recordingName, options);
            }

            @Override
            public void transfer(String transferId, TransferRequest request) {
                t.emit("transfer", new JsonObject().put("number", request.number()));
                control.transfer(transferId, request);
            }

            @Override
            public void startTimer(String timerId, Duration delay) {
                control.startTimer(timerId, delay);
            }

            @Override
            public void cancelTimer(String timerId) {
                control.cancelTimer(timerId);
            }

            @Override
            public void hangup(HangupReason reason) {
                control.hangup(reason);
            }
        };
    }

    // ---- helpers

    /** The try of the path, for its owner or an admin; 404 for anyone else (a try's id is not a secret kept). */
    private FlowTry find(RoutingContext ctx) {
        String who = designer(ctx);
        String id = ctx.pathParam("tryId");
        FlowTry t = id == null ? null : tries.get(id);
        if (t == null || (ApiSecurity.callerRole(ctx) != Role.ADMIN && !who.equals(t.owner))) {
            throw ProblemException.notFound("no try \"" + id + "\" (ended tries are kept " + KEEP_ENDED.toMinutes()
                + " minutes)");
        }
        return t;
    }

    /**
     * The name of the signed-in designer (or admin); the event stream is outside the OpenAPI document, so checked
     * here.
     */
    private static String designer(RoutingContext ctx) {
        Role role = ApiSecurity.callerRole(ctx);
        if (role == null || !role.allows(Role.DESIGNER)) {
            throw new ProblemException(403, "forbidden", "flow tries need the designer role", null);
        }
        return ApiSecurity.callerName(ctx);
    }

    private static Integer version(RoutingContext ctx) {
        JsonObject body = bodyJson(ctx);
        Object v = body.getValue("version");
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number) || ((Number) v).intValue() < 1 || ((Number) v).doubleValue() % 1 != 0) {
            throw InvalidInput.of("request body", "version", String.valueOf(v), "a whole number 1 or more",
                Reason.WRONG_TYPE, "version must be a whole number 1 or more");
        }
        return ((Number) v).intValue();
    }

    private static JsonObject bodyJson(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
            return new JsonObject();
        }
        try {
            return ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            throw InvalidInput.of("request body", "body", null, "a JSON object", Reason.INVALID_FORMAT,
                "the body is not a JSON object: " + e.getMessage());
        }
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(body.encode());
    }

    Optional<FlowTry> get(String id) {
        return Optional.ofNullable(tries.get(id));
    }
}
