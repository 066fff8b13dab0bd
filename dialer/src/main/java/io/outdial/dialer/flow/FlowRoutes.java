package io.outdial.dialer.flow;

import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.storage.Database;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.flow.FlowValidator;
import io.outdial.ivr.flow.Template;
import io.outdial.ivr.flow.Voice;
import io.outdial.ivr.spi.Prompt;
import io.outdial.ivr.tts.AudioException;
import io.outdial.ivr.tts.TtsCache;
import io.outdial.ivr.flow.ValidationError;
import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.ivr.survey.SurveyReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The flow API: save versions (drafts allowed), read them, validate without saving, survey aggregates of a
 * campaign. Problems are the validator's own ({@code severity, nodeId, path, message, text}), as the CLI prints them.
 *
 * <ul>
 *   <li>{@code POST /api/v1/flows/validate}: body JSON or YAML ({@code Content-Type} containing {@code yaml})</li>
 *   <li>{@code PUT /api/v1/flows/{id}}: save; 201 for a new version, 200 when the text did not change</li>
 *   <li>{@code GET /api/v1/flows/{id}}: versions, oldest first</li>
 *   <li>{@code GET /api/v1/flows/{id}/versions/{v}}: one version with its document</li>
 *   <li>{@code GET /api/v1/flows/{id}/versions/{v}/aggregates?campaign=C}: survey aggregates</li>
 *   <li>{@code GET /api/v1/flows}: every stored flow with the campaigns naming it and the version each runs</li>
 *   <li>{@code GET /api/v1/flows/{id}/versions}: versions, oldest first, each with the campaigns running it</li>
 *   <li>{@code POST /api/v1/flows/preview}: {@code {text, voice?, language?}} of a {@code say} node → audio/wav,
 *       rendered by the media component's TTS cache (the same files Asterisk plays)</li>
 * </ul>
 */
final class FlowRoutes implements Component {
    private static final int MAX_DOCUMENT = 1024 * 1024;
    /** Longest text a preview renders (characters, after templates are filled with their defaults). */
    static final int MAX_PREVIEW_TEXT = 1000;
    private static final int MAX_PREVIEW_BODY = 16 * 1024;

    private final Vertx vertx;
    private final Database database;
    private final Clock clock;
    private final Supplier<? extends VoiceCatalog> voices;
    private volatile VoiceCatalog catalog;
    private volatile JdbcFlowStore store;
    private volatile FlowResults results;
    private volatile JdbcCampaignStore campaigns;
    private final Function<Prompt.Tts, Future<byte[]>> preview;

    /** @param voices built once at start, on a worker (it may probe programs) */
    FlowRoutes(Vertx vertx, Database database, Clock clock, Supplier<? extends VoiceCatalog> voices) {
        this(vertx, database, clock, voices, null);
    }

    /**
     * @param voices  built once at start, on a worker (it may probe programs)
     * @param preview renders one text to WAV off the event loop (e.g. {@code PromptMedia::preview}); null: the
     *                preview answers 503
     */
    FlowRoutes(Vertx vertx, Database database, Clock clock, Supplier<? extends VoiceCatalog> voices,
               Function<Prompt.Tts, Future<byte[]>> preview) {
        this.vertx = vertx;
        this.database = database;
        this.clock = clock;
        this.voices = voices;
        this.preview = preview;
    }

    @Override
    public String name() {
        return "flows";
    }

    @Override
    public Future<Void> start() {
        return vertx.executeBlocking(() -> {
            catalog = voices.get();
            store = new JdbcFlowStore(database.dataSource(), clock, catalog);
            results = new FlowResults(database.dataSource());
            campaigns = new JdbcCampaignStore(database.dataSource(), clock);
            return null;
        }, false);
    }

    /** The store, once started (for campaign code attaching flows). */
    JdbcFlowStore store() {
        return store;
    }

    @Override
    public void routes(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_DOCUMENT);
        router.post("/api/v1/flows/validate").handler(body).handler(ctx -> reply(ctx, 200, () -> {
            ValidationReport r = FlowValidator.validate(text(ctx), format(ctx), catalog);
            return new JsonObject().put("valid", r.isValid()).put("problems", problems(r.errors()));
        }));
        router.get("/api/v1/flows").handler(ctx -> reply(ctx, 200, () -> {
            Map<String, List<JdbcCampaignStore.FlowUse>> uses = uses();
            JsonArray items = new JsonArray();
            for (JdbcFlowStore.FlowSummary f : store.flows()) {
                JsonArray running = new JsonArray();
                for (JdbcCampaignStore.FlowUse u : uses.getOrDefault(f.flowId(), List.of())) {
                    running.add(use(u, f.latestValid()));
                }
                items.add(new JsonObject().put("flowId", f.flowId()).put("latestVersion", f.latest())
                    .put("versions", f.versions()).put("latestValidVersion", f.latestValid())
                    .put("savedAt", f.savedAt().toString()).put("campaigns", running));
            }
            return new JsonObject().put("items", items);
        }));
        router.post("/api/v1/flows/preview").handler(BodyHandler.create(false).setBodyLimit(MAX_PREVIEW_BODY))
            .handler(this::preview);
        router.get("/api/v1/flows/:id/versions").handler(ctx -> reply(ctx, 200, () -> {
            String id = ctx.pathParam("id");
            List<FlowVersion> all = store.versions(id);
            if (all.isEmpty()) {
                throw ProblemException.notFound("no flow \"" + id + "\"");
            }
            Integer latestValid = null;
            for (FlowVersion v : all) {
                if (v.valid()) {
                    latestValid = v.version();
                }
            }
            List<JdbcCampaignStore.FlowUse> mine = uses().getOrDefault(id, List.of());
            JsonArray versions = new JsonArray();
            for (FlowVersion v : all) {
                JsonArray running = new JsonArray();
                for (JdbcCampaignStore.FlowUse u : mine) {
                    JsonObject one = use(u, latestValid);
                    if (Integer.valueOf(v.version()).equals(one.getInteger("version"))) {
                        running.add(one);
                    }
                }
                versions.add(new JsonObject().put("version", v.version()).put("valid", v.valid())
                    .put("createdAt", v.savedAt().toString()).put("problemCount", v.errors().size())
                    .put("campaigns", running));
            }
            return new JsonObject().put("flowId", id).put("versions", versions);
        }));
        router.put("/api/v1/flows/:id").handler(body).handler(ctx -> {
            String id = ctx.pathParam("id");
            if (!FlowVersion.validId(id)) {
                ctx.fail(InvalidInput.of("path parameter", "id", id, "1-64 letters, digits, '_', '.' or '-'",
                    Reason.INVALID_FORMAT, "flow id \"" + id + "\" is not 1-64 letters, digits, '_', '.' or '-'"));
                return;
            }
            blocking(() -> store.saveVersion(id, text(ctx), format(ctx))).onSuccess(saved -> ctx.response()
                    .setStatusCode(saved.created() ? 201 : 200).putHeader("Content-Type", "application/json")
                    .end(summary(saved.version()).put("created", saved.created()).encode()))
                .onFailure(ctx::fail);
        });
        router.get("/api/v1/flows/:id").handler(ctx -> reply(ctx, 200, () -> {
            List<FlowVersion> all = store.versions(ctx.pathParam("id"));
            if (all.isEmpty()) {
                throw ProblemException.notFound("no flow \"" + ctx.pathParam("id") + "\"");
            }
            JsonArray versions = new JsonArray();
            for (FlowVersion v : all) {
                JsonObject item = summary(v);
                item.remove("problems");
                versions.add(item.put("problemCount", v.errors().size()));
            }
            return new JsonObject().put("flowId", ctx.pathParam("id")).put("versions", versions);
        }));
        router.get("/api/v1/flows/:id/versions/:version").handler(ctx -> reply(ctx, 200, () -> {
            FlowVersion v = version(ctx);
            return summary(v).put("format", v.format().name()).put("document", v.document());
        }));
        router.get("/api/v1/flows/:id/versions/:version/aggregates").handler(ctx -> reply(ctx, 200, () -> {
            String campaign = ctx.request().getParam("campaign");
            if (campaign == null || campaign.isBlank()) {
                throw InvalidInput.of("query parameter", "campaign", null, "a campaign id", Reason.MISSING,
                    "query parameter campaign is missing (a campaign id)");
            }
            FlowVersion v = version(ctx);
            if (!v.valid()) {
                throw ProblemException.conflict("flow " + v.flowId() + " v" + v.version()
                    + " is an invalid draft; it never ran, so it has no aggregates");
            }
            SurveyReport report = results.aggregates(store.report(v.flowId(), v.version()).flow(), campaign);
            return JsonObject.mapFrom(report);
        }));
    }

    /** Campaigns naming a stored flow, by flow id. Blocking. */
    private Map<String, List<JdbcCampaignStore.FlowUse>> uses() {
        Map<String, List<JdbcCampaignStore.FlowUse>> out = new HashMap<>();
        for (JdbcCampaignStore.FlowUse u : campaigns.flowUses()) {
            out.computeIfAbsent(u.flowId(), k -> new ArrayList<>()).add(u);
        }
        return out;
    }

    /**
     * A campaign on a flow: the version it runs is its pin once started, else the version its definition names,
     * else (flowVersion 0, not started) the latest valid version, which it would pin at its first start.
     */
    private static JsonObject use(JdbcCampaignStore.FlowUse u, Integer latestValid) {
        Integer version;
        String how;
        if (u.pinned() != null) {
            version = u.pinned();
            how = "pinned";
        } else if (u.flowVersion() > 0) {
            version = u.flowVersion();
            how = "named";
        } else {
            version = latestValid;
            how = "latestValid";
        }
        return new JsonObject().put("id", u.campaignId()).put("name", u.name()).put("state", u.state())
            .put("version", version).put("runs", how);
    }

    private void preview(RoutingContext ctx) {
        if (preview == null || catalog == null) {
            ctx.fail(new ProblemException(503, "not_ready", "no TTS preview on this node (the media component is"
                + " not started)", null));
            return;
        }
        Prompt.Tts tts;
        try {
            tts = previewRequest(ctx, catalog);
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        // Content-Location: the same bytes as cached for Asterisk, which a page can play under its CSP
        preview.apply(tts).onSuccess(wav -> ctx.response().putHeader("Content-Type", "audio/wav")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Location", "/media/tts/" + TtsCache.key(tts) + ".wav")
                .end(io.vertx.core.buffer.Buffer.buffer(wav)))
            .onFailure(e -> ctx.fail(e instanceof AudioException a && a.reason() == AudioException.Reason.UNKNOWN_VOICE
                ? InvalidInput.of("request body", "voice", null, "a voice of " + catalog.voices(), Reason.NOT_ALLOWED,
                    e.getMessage()) : e));
    }

    /** The TTS prompt a preview body asks for; templates are filled with their defaults (or nothing). */
    static Prompt.Tts previewRequest(RoutingContext ctx, VoiceCatalog catalog) {
        JsonObject body;
        try {
            body = ctx.body().buffer() == null ? null : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            throw InvalidInput.of("request body", "$", null, "a JSON object {text, voice?, language?}", Reason.SYNTAX,
                "the request body is not a JSON object: " + e.getMessage());
        }
        if (body == null) {
            throw InvalidInput.of("request body", "$", null, "a JSON object {text, voice?, language?}",
                Reason.MISSING, "the request body is empty; send {\"text\": \"...\"}");
        }
        Object rawText = body.getValue("text");
        if (!(rawText instanceof String raw) || raw.isBlank()) {
            throw InvalidInput.of("request body", "text", null, "the text of a say node", Reason.MISSING,
                "text is missing or blank");
        }
        String text = Template.resolve(raw, ref -> ref.defaultText() == null ? "" : ref.defaultText()).strip();
        if (text.isEmpty()) {
            throw InvalidInput.of("request body", "text", null, "a text that is not blank once its templates are"
                + " filled", Reason.INVALID_VALUE, "text is blank once its templates are filled with their defaults"
                + " (a call would skip this node)");
        }
        if (text.length() > MAX_PREVIEW_TEXT) {
            throw new ProblemException(413, "payload_too_large", "text is " + text.length()
                + " characters; a preview renders at most " + MAX_PREVIEW_TEXT, "text");
        }
        Voice voice = previewVoice(body, catalog);
        return new Prompt.Tts(text, voice.engine(), voice.voice());
    }

    private static Voice previewVoice(JsonObject body, VoiceCatalog catalog) {
        Object v = body.getValue("voice");
        Voice voice = null;
        if (v instanceof JsonObject o && o.getValue("engine") instanceof String e && o.getValue("voice") instanceof String n
            && !e.isBlank() && !n.isBlank()) {
            voice = new Voice(e, n);
        } else if (v instanceof String s && s.indexOf('/') > 0 && s.indexOf('/') < s.length() - 1) {
            voice = new Voice(s.substring(0, s.indexOf('/')), s.substring(s.indexOf('/') + 1));
        } else if (v != null) {
            throw InvalidInput.of("request body", "voice", String.valueOf(v), "{engine, voice} or \"engine/voice\"",
                Reason.WRONG_TYPE, "voice must be {\"engine\": ..., \"voice\": ...} or \"engine/voice\"");
        }
        Object language = body.getValue("language");
        if (voice == null && language instanceof String lang && !lang.isBlank()) {
            String wanted = lang.strip().toLowerCase(java.util.Locale.ROOT);
            for (var e : new java.util.TreeMap<>(catalog.voices()).entrySet()) {
                for (String name : new java.util.TreeSet<>(e.getValue())) {
                    if (voice == null && name.toLowerCase(java.util.Locale.ROOT).equals(wanted)) {
                        voice = new Voice(e.getKey(), name);
                    }
                }
            }
            if (voice == null && wanted.startsWith("en")) {
                voice = Voice.DEFAULT;
            }
            if (voice == null) {
                throw InvalidInput.of("request body", "language", lang, "a language with a voice on this node",
                    Reason.NOT_ALLOWED, "no voice for language \"" + lang + "\"; voices: " + catalog.voices());
            }
        }
        if (voice == null) {
            voice = Voice.DEFAULT;
        }
        if (!catalog.has(voice)) {
            throw InvalidInput.of("request body", "voice", voice.toString(), "a voice of " + catalog.voices(),
                Reason.NOT_ALLOWED, "no voice " + voice + " on this node; voices: " + catalog.voices());
        }
        return voice;
    }

    private FlowVersion version(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String raw = ctx.pathParam("version");
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw InvalidInput.of("path parameter", "version", raw, "a whole number", Reason.WRONG_TYPE,
                "version \"" + raw + "\" is not a whole number");
        }
        return store.load(id, n).orElseThrow(() -> ProblemException.notFound("flow " + id + " has no version " + n));
    }

    private static JsonObject summary(FlowVersion v) {
        return new JsonObject().put("flowId", v.flowId()).put("version", v.version()).put("valid", v.valid())
            .put("savedAt", v.savedAt().toString()).put("problems", new JsonArray(v.errors()));
    }

    private static JsonArray problems(List<ValidationError> errors) {
        JsonArray out = new JsonArray();
        errors.forEach(e -> out.add(new JsonObject().put("severity", e.severity().name()).put("nodeId", e.nodeId())
            .put("path", e.path()).put("message", e.message()).put("text", e.render())));
        return out;
    }

    private static String text(RoutingContext ctx) {
        return ctx.body().buffer() == null ? "" : ctx.body().asString("UTF-8");
    }

    private static FlowDocuments.Format format(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(java.util.Locale.ROOT).contains("yaml")
            ? FlowDocuments.Format.YAML : FlowDocuments.Format.JSON;
    }

    private void reply(RoutingContext ctx, int status, Callable<JsonObject> work) {
        blocking(work).onSuccess(json -> ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json").end(json.encode())).onFailure(ctx::fail);
    }

    private <T> Future<T> blocking(Callable<T> work) {
        if (store == null) {
            return Future.failedFuture(new ProblemException(503, "not_ready", "the flow store is not started", null));
        }
        return vertx.executeBlocking(work, false);
    }
}
