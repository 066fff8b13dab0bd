package io.outdial.dialer.api;

import io.outdial.dialer.secret.Secrets;

import io.outdial.dialer.input.Reason;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.InputProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.outdial.dialer.config.StrictDocuments;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactCounts;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.dialing.CampaignRunner;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.server.ProblemHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/campaigns}: create (JSON or YAML definition, the campaign file format of docs/campaigns.md §13),
 * list, read with live counters and the reason it is not dialing, replace the definition, move through the life
 * cycle, delete a draft.
 */
final class CampaignHandlers {
    private static final int MAX_DEFINITION = 64 * 1024;
    /** Longest stored definition ({@code campaign.settings}). */
    private static final int MAX_STORED = 20_000;
    private static final Set<CampaignState> EDITABLE = EnumSet.of(CampaignState.DRAFT, CampaignState.SCHEDULED,
        CampaignState.PAUSED);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT_JSON = StrictDocuments.strict(new ObjectMapper());
    private static final ObjectMapper STRICT_YAML = StrictDocuments.strict(new YAMLMapper());
    static final String SOURCE = "campaign definition";

    /** Moves that start dialing: checked by the preflight first. */
    private static final Set<CampaignState> STARTS = EnumSet.of(CampaignState.RUNNING, CampaignState.SCHEDULED);

    private final ApiRoutes api;
    private final Preflight preflight;

    CampaignHandlers(ApiRoutes api) {
        this.api = api;
        this.preflight = new Preflight(api);
    }

    void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_DEFINITION);
        String base = ApiRoutes.PREFIX + "/campaigns";
        router.post(base).handler(body).handler(this::create);
        router.get(base).handler(this::list);
        router.get(base + "/:id").handler(ctx -> api.reply(ctx, 200, () -> view(campaign(ctx.pathParam("id")))));
        router.put(base + "/:id").handler(body).handler(this::replace);
        router.post(base + "/:id/state").handler(body).handler(this::move);
        router.get(base + "/:id/preflight").handler(ctx -> api.blocking(() -> campaign(ctx.pathParam("id")))
            .compose(preflight::run).onSuccess(r -> ApiRoutes.json(ctx, 200, r.json())).onFailure(ctx::fail));
        router.delete(base + "/:id").handler(this::delete);
    }

    private JdbcCampaignStore store() {
        return new JdbcCampaignStore(api.ds(), api.clock());
    }

    /** The campaign or a 404 problem. Blocking. */
    Campaign campaign(String id) {
        return store().get(id).orElseThrow(() -> ProblemException.notFound("no campaign \"" + id + "\""));
    }

    private void create(RoutingContext ctx) {
        String text = text(ctx);
        boolean yaml = yaml(ctx);
        api.blocking(() -> {
            CampaignFile file = definition(text, yaml, null);
            storedScheme(file);
            Campaign draft = file.draft(api.clock().instant());
            JdbcCampaignStore store = store();
            if (store.get(draft.id()).isPresent()) {
                throw exists(draft.id());
            }
            try {
                store.create(draft);
            } catch (IllegalArgumentException e) {
                throw exists(draft.id()); // created concurrently
            }
            return view(campaign(draft.id()));
        }).onSuccess(json -> {
            ctx.response().putHeader("Location", ApiRoutes.PREFIX + "/campaigns/" + json.getString("id"));
            ApiRoutes.json(ctx, 201, json);
        }).onFailure(ctx::fail);
    }

    /** The stored scheme a definition names exists, with the version it names (400 naming the field). Blocking. */
    private void storedScheme(CampaignFile file) {
        String scheme = file.scheme();
        if (scheme == null || CampaignFile.isSchemeFile(scheme)) {
            return;
        }
        List<Integer> versions = io.outdial.dialer.cascade.CascadeComponent.storedVersions(api.ds(), api.clock(),
            scheme);
        if (versions.isEmpty()) {
            throw InvalidInput.of(SOURCE, "$.scheme", scheme, "a stored scheme (GET /api/v1/schemes)",
                Reason.INVALID_VALUE, "no stored scheme \"" + scheme + "\"; store it first with PUT /api/v1/schemes/"
                + scheme);
        }
        int version = file.schemeVersion();
        if (version > 0 && !versions.contains(version)) {
            throw InvalidInput.of(SOURCE, "$.schemeVersion", Integer.toString(version), "a version of scheme "
                + scheme + " (1-" + versions.get(versions.size() - 1) + ")", Reason.OUT_OF_RANGE,
                "scheme " + scheme + " has no version " + version);
        }
    }

    private static ProblemException exists(String id) {
        return new ProblemException(409, "exists", "campaign \"" + id + "\" already exists; PUT /api/v1/campaigns/"
            + id + " replaces its definition", "id");
    }

    private void list(RoutingContext ctx) {
        api.reply(ctx, 200, () -> {
            ApiRoutes.Page page = ApiRoutes.Page.of(ctx);
            String state = stateParam(ctx.request().getParam("state"), "state");
            JsonArray items = new JsonArray();
            for (JdbcCampaignStore.CampaignRow r : store().page(state, page.limit(), page.offset())) {
                JsonObject item = new JsonObject().put("id", r.id()).put("name", r.name()).put("state", r.state())
                    .put("priority", r.priority()).put("weight", r.weight()).put("alwaysActive", r.alwaysActive())
                    .put("startsAt", str(r.startsAt())).put("endsAt", str(r.endsAt()))
                    .put("createdAt", str(r.createdAt())).put("updatedAt", str(r.updatedAt()));
                items.add(item);
            }
            return page.wrap(items, store().count(state));
        });
    }

    private void replace(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String text = text(ctx);
        boolean yaml = yaml(ctx);
        api.reply(ctx, 200, () -> {
            CampaignFile file = definition(text, yaml, id, () -> campaign(id).settings());
            storedScheme(file);
            Campaign c = campaign(id);
            if (!EDITABLE.contains(c.state())) {
                throw ProblemException.conflict("campaign " + id + " is " + c.state()
                    + "; its definition can be replaced only in " + EDITABLE + " (pause it first)");
            }
            Campaign d = file.draft(api.clock().instant());
            Campaign updated = new Campaign(id, d.name(), c.state(), d.priority(), d.weight(), d.alwaysActive(),
                d.startsAt(), d.endsAt(), d.settings(), c.createdAt(), c.updatedAt(), c.version());
            if (!store().update(updated, flowChanged(c, file))) {
                throw ProblemException.conflict("campaign " + id + " changed while it was being replaced; try again");
            }
            api.campaignChanged(id); // the owner of a SCHEDULED campaign reads its new start and end times at once
            return view(campaign(id));
        });
    }

    private void move(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        JsonObject body = jsonBody(ctx);
        String target = body.getValue("state") instanceof String s ? s : null;
        if (target == null || target.isBlank()) {
            throw InvalidInput.of("request body", "state", null, "one of " + List.of(CampaignState.values()),
                Reason.MISSING, "field state is missing (one of " + List.of(CampaignState.values()) + ")");
        }
        CampaignState to = CampaignState.valueOf(stateParam(target, "state"));
        String reason = body.getValue("reason") instanceof String s && !s.isBlank() ? s : "by the API";
        boolean force = Boolean.TRUE.equals(body.getValue("force"));
        api.blocking(() -> campaign(id)).compose(c -> {
            if (!STARTS.contains(to) || !c.state().canMoveTo(to)) {
                return Future.succeededFuture((Preflight.Report) null);
            }
            return preflight.run(c);
        }).compose(report -> {
            if (report != null && report.blocking() && !force) {
                ApiRoutes.json(ctx, 409, ProblemHandler.problem("preflight_failed", "campaign " + id + " cannot dial: "
                    + report.checks().stream().filter(ch -> ch.level() == Preflight.Level.ERROR)
                        .map(ch -> ch.name() + ": " + ch.message()).collect(java.util.stream.Collectors.joining("; "))
                    + " (send \"force\": true to move it anyway)", "state").put("preflight", report.json()));
                return Future.succeededFuture();
            }
            return api.blocking(() -> {
                JdbcCampaignStore store = store();
                Campaign c = campaign(id);
                if (!c.state().canMoveTo(to)) {
                    return c;
                }
                Optional<Campaign> moved = store.moveTo(c, to, reason);
                if (moved.isEmpty()) {
                    throw ProblemException.conflict("campaign " + id + " changed while it was being moved; read it"
                        + " and try again");
                }
                api.runner(id).ifPresent(CampaignRunner::wake);
                api.campaignChanged(id);
                return moved.get();
            }).onSuccess(c -> {
                if (c.state() != to) {
                    JsonArray allowed = new JsonArray();
                    c.state().next().forEach(st -> allowed.add(st.name()));
                    ApiRoutes.json(ctx, 409, ProblemHandler.problem("invalid_transition", "campaign " + id + " is "
                        + c.state() + " and cannot move to " + to + "; allowed: " + c.state().next(), "state")
                        .put("state", c.state().name()).put("allowed", allowed));
                    return;
                }
                api.reply(ctx, 200, () -> {
                    JsonObject view = view(c);
                    if (report != null) {
                        view.put("preflight", report.json());
                    }
                    return view;
                });
            }).<Void>mapEmpty();
        }).onFailure(ctx::fail);
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        api.blocking(() -> {
            Campaign c = campaign(id);
            if (c.state() != CampaignState.DRAFT) {
                throw ProblemException.conflict("campaign " + id + " is " + c.state()
                    + "; only a DRAFT campaign can be deleted (finish and archive the others)");
            }
            if (new ApiImportStore(api.ds(), api.clock()).hasActive(id)) { // also stores abandoned imports FAILED
                throw importActive(id);
            }
            // checked again under the campaign's row lock: an import may have started since
            JdbcCampaignStore.DraftDelete done = store().deleteDraft(id,
                api.clock().instant().minus(ApiImportStore.ABANDONED_AFTER));
            if (done == JdbcCampaignStore.DraftDelete.IMPORT_ACTIVE) {
                throw importActive(id);
            }
            if (done != JdbcCampaignStore.DraftDelete.DELETED) {
                throw ProblemException.conflict("campaign " + id + " changed while it was being deleted");
            }
            return null;
        }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private static ProblemException importActive(String id) {
        return ProblemException.conflict("campaign " + id + " has an import queued or running; delete it when the"
            + " import has ended");
    }

    /** The campaign as the API shows it: row fields, definition, live counters, why it is (not) dialing. Blocking. */
    JsonObject view(Campaign c) {
        Instant now = api.clock().instant();
        JsonObject out = new JsonObject().put("id", c.id()).put("name", c.name()).put("state", c.state().name())
            .put("priority", c.priority()).put("weight", c.weight()).put("alwaysActive", c.alwaysActive())
            .put("startsAt", str(c.startsAt())).put("endsAt", str(c.endsAt())).put("createdAt", str(c.createdAt()))
            .put("updatedAt", str(c.updatedAt())).put("version", c.version());
        out.put("definition", definitionJson(c));
        java.util.OptionalInt pin = store().flowPin(c.id());
        out.put("pinnedFlowVersion", pin.isPresent() ? pin.getAsInt() : null);
        Optional<CampaignRunner> runner = api.runner(c.id());
        // a campaign dialing here: the runner's live counters (re-read from the database at least every 10 s);
        // otherwise one count over the campaign's rows
        out.put("counters", counters(runner.isPresent() && c.state() == CampaignState.RUNNING
            ? runner.get().counters() : new JdbcContactStore(api.ds()).counts(c.id(), now)));
        JsonObject why = null;
        boolean dialing = false;
        if (runner.isPresent() && c.state() == CampaignState.RUNNING) {
            JsonObject stats = runner.get().statsJson();
            dialing = stats.getInteger("liveCalls") > 0;
            why = dialing ? null : runner.get().whyNotJson();
            out.put("runner", stats);
        } else if (c.state() == CampaignState.RUNNING) {
            out.put("dialing", false).put("whyNotDialing", new JsonObject().put("code", "starting")
                .put("message", "RUNNING, but no runner dials it on this node yet: a node starts dialing a RUNNING"
                    + " campaign within a few seconds (see /ready, campaign:" + c.id() + ")"));
            return out;
        } else {
            why = CampaignRunner.whyNotJson(c);
        }
        out.put("dialing", dialing).put("whyNotDialing", why);
        return out;
    }

    /** Whether the new definition names another stored flow or version than the stored one (the pin is cleared). */
    private static boolean flowChanged(Campaign c, CampaignFile next) {
        try {
            CampaignFile before = CampaignFile.fromStored(c.id(), c.settings());
            return !java.util.Objects.equals(before.flowId(), next.flowId())
                || before.flowVersion() != next.flowVersion();
        } catch (RuntimeException e) {
            return true; // an unreadable stored definition: nothing to keep
        }
    }

    /** The stored definition as JSON; a row whose settings are not a JSON object shows them as text. */
    private static Object definitionJson(Campaign c) {
        if (c.settings() == null) {
            return null;
        }
        try {
            return Secrets.mask(new JsonObject(c.settings())); // passwords never leave the node
        } catch (RuntimeException e) {
            return Secrets.maskUrls(c.settings());
        }
    }

    static JsonObject counters(ContactCounts n) {
        return new JsonObject().put("total", n.total()).put("availableNow", n.availableNow())
            .put("planned", n.planned()).put("inProgress", n.inProgress()).put("closedSuccess", n.closedSuccess())
            .put("closedNoSuccess", n.closedNoSuccess()).put("exhausted", n.exhausted())
            .put("noValidNumber", n.noValidNumber()).put("stopListed", n.stopListed());
    }

    /**
     * Parses and checks a definition; 400 problems name the field.
     *
     * @param pathId the id in the URL (PUT), or null (POST: the body's id)
     */
    static CampaignFile definition(String text, boolean yaml, String pathId) {
        return definition(text, yaml, pathId, () -> null);
    }

    /**
     * @param stored the stored definition (PUT): a secret sent back as the mask of a GET ({@link Secrets#MASK})
     *               keeps the stored value
     */
    static CampaignFile definition(String text, boolean yaml, String pathId, java.util.function.Supplier<String> stored) {
        if (text == null || text.isBlank()) {
            throw InvalidInput.of("request body", "body", null, "a campaign definition", Reason.MISSING,
                "the request body is empty; send the campaign definition as JSON or YAML (docs/campaigns.md,"
                + " campaign file)");
        }
        JsonNode root;
        try {
            root = (yaml ? STRICT_YAML : STRICT_JSON).readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("malformed_body", List.of(new InputProblem("request body", "body", null,
                yaml ? "YAML" : "JSON", Reason.SYNTAX, "the body is not valid " + (yaml ? "YAML" : "JSON") + " at "
                + StrictDocuments.describe(e))), e);
        }
        if (root instanceof ObjectNode obj) {
            if (obj.has("contacts")) {
                throw InvalidInput.of(SOURCE, "$.contacts", obj.get("contacts").asText(), "no contacts field",
                    Reason.NOT_ALLOWED, SOURCE + ": field contacts (a file on the server) is not accepted through"
                    + " the API; upload the contacts with POST /api/v1/campaigns/{id}/imports");
            }
            if (pathId != null) {
                JsonNode id = obj.get("id");
                if (id == null || id.isNull()) {
                    obj.put("id", pathId);
                } else if (!pathId.equals(id.asText())) {
                    throw InvalidInput.of(SOURCE, "$.id", id.asText(), pathId, Reason.CONFLICT, SOURCE + ": id \""
                        + id.asText() + "\" differs from the campaign in the URL (" + pathId + ")");
                }
            }
        }
        if (root instanceof ObjectNode obj && text.contains(Secrets.MASK)) {
            String before = stored.get();
            JsonNode old = null;
            try {
                old = before == null ? null : STRICT_JSON.readTree(before);
            } catch (JsonProcessingException e) {
                old = null; // an unreadable stored definition: nothing to keep
            }
            restoreMasked(obj, old, "$");
        }
        CampaignFile file = CampaignFile.parse(root, null, SOURCE); // InvalidInput names the path
        if (file.stored().length() > MAX_STORED) {
            throw InvalidInput.of("request body", "body", null, "at most " + MAX_STORED + " characters as stored",
                Reason.OUT_OF_RANGE, SOURCE + " is " + file.stored().length() + " characters as stored; at most "
                + MAX_STORED);
        }
        return file;
    }

    /** Secret fields holding the mask take the stored value at the same place; without one the mask is refused. */
    private static void restoreMasked(ObjectNode obj, JsonNode old, String path) {
        List<String> names = new java.util.ArrayList<>();
        obj.fieldNames().forEachRemaining(names::add);
        for (String f : names) {
            JsonNode v = obj.get(f);
            JsonNode before = old == null ? null : old.get(f);
            if (v instanceof ObjectNode child) {
                restoreMasked(child, before, path + "." + f);
            } else if (v.isTextual() && before != null && before.isTextual() && !Secrets.secretKey(f)
                && v.asText().contains(Secrets.MASK) && Secrets.maskUrls(before.asText()).equals(v.asText())) {
                obj.set(f, before); // a URL whose credentials were masked: the stored URL
            } else if (v.isTextual() && Secrets.isMask(v.asText()) && Secrets.secretKey(f)) {
                if (before == null || !before.isTextual()) {
                    throw InvalidInput.of(SOURCE, path + "." + f, null, "the secret itself", Reason.INVALID_VALUE,
                        SOURCE + ": field " + (path + "." + f).substring(2) + " is the mask " + Secrets.MASK
                        + " but no value is stored to keep; send the secret itself");
                }
                obj.set(f, before);
            }
        }
    }

    /** A state name (any case) or 400; null stays null. */
    static String stateParam(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return CampaignState.valueOf(raw.trim().toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("request", field, raw, "one of " + List.of(CampaignState.values()),
                Reason.NOT_ALLOWED, field + " \"" + raw + "\" is not one of " + List.of(CampaignState.values()));
        }
    }

    static JsonObject jsonBody(RoutingContext ctx) {
        String text = text(ctx);
        if (text.isBlank()) {
            throw InvalidInput.of("request body", "body", null, "a JSON object", Reason.MISSING,
                "the request body is empty; expected a JSON object");
        }
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            throw new InvalidInput("malformed_json", List.of(new InputProblem("request body", "body", null,
                "a JSON object", Reason.SYNTAX, "request body is not a JSON object: " + e.getMessage())), e);
        }
    }

    static String text(RoutingContext ctx) {
        return ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString("UTF-8");
    }

    static boolean yaml(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).contains("yaml");
    }

    static String str(Instant t) {
        return t == null ? null : t.toString();
    }
}
