package io.outdial.dialer.cascade;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.server.ProblemException;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import io.outdial.fallback.scheme.SchemeTemplates;
import io.outdial.fallback.store.CostEntry;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.Step;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The scheme and run API of {@link CascadeComponent}:
 * <ul>
 *   <li>{@code POST /api/v1/schemes/validate} (with SMS parts and cost per channel block),
 *       {@code POST /api/v1/schemes/dry-run} ({@link SchemeDryRunRoute}), {@code GET /api/v1/schemes/templates},
 *       {@code GET /api/v1/schemes/templates/{name}}</li>
 *   <li>{@code GET /api/v1/schemes}, {@code PUT/GET /api/v1/schemes/{id}},
 *       {@code GET /api/v1/schemes/{id}/versions/{version}}</li>
 *   <li>{@code GET /api/v1/campaigns/{id}/runs}, {@code GET /api/v1/campaigns/{id}/runs/{contactId}},
 *       {@code POST /api/v1/campaigns/{id}/runs/{contactId}/cancel}</li>
 * </ul>
 */
final class CascadeRoutes {
    private static final int MAX_DOCUMENT = 1024 * 1024;
    private static final com.fasterxml.jackson.databind.ObjectMapper YAML =
        com.fasterxml.jackson.dataformat.yaml.YAMLMapper.builder().build();

    private final Vertx vertx;
    private final CascadeComponent cascade;
    private final SchemeDryRunRoute dryRun;

    CascadeRoutes(Vertx vertx, CascadeComponent cascade) {
        this.vertx = vertx;
        this.cascade = cascade;
        this.dryRun = new SchemeDryRunRoute(vertx, cascade);
    }

    void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_DOCUMENT);
        router.post("/api/v1/schemes/validate").handler(body).handler(ctx -> reply(ctx, () -> {
            SchemeReport r = SchemeDocuments.parse(text(ctx), format(ctx));
            JsonObject out = new JsonObject().put("valid", r.isValid()).put("problems", problems(r));
            if (r.scheme() != null) {
                PricePlan plan = cascade.engineOptions().prices();
                out.put("prices", SchemeDryRunRoute.prices(plan))
                    .put("estimates", SchemeDryRunRoute.estimates(r.scheme(), plan));
            }
            return out;
        }));
        router.post("/api/v1/schemes/dry-run").handler(body).handler(dryRun::handle);
        router.get("/api/v1/schemes/templates").handler(ctx -> reply(ctx, () -> {
            JsonArray items = new JsonArray();
            SchemeTemplates.all().forEach((name, report) -> items.add(new JsonObject().put("name", name)
                .put("description", report.scheme().description()).put("format", "YAML")
                .put("document", SchemeTemplates.text(name))
                .put("json", asJson(SchemeTemplates.text(name), SchemeDocuments.Format.YAML))));
            return new JsonObject().put("items", items);
        }));
        router.get("/api/v1/schemes/templates/:name").handler(ctx -> reply(ctx, () -> {
            String name = ctx.pathParam("name");
            if (!SchemeTemplates.NAMES.contains(name)) {
                throw ProblemException.notFound("no scheme template \"" + name + "\"; there are "
                    + SchemeTemplates.NAMES);
            }
            return new JsonObject().put("name", name).put("format", "YAML").put("document", SchemeTemplates.text(name))
                .put("json", asJson(SchemeTemplates.text(name), SchemeDocuments.Format.YAML));
        }));
        router.get("/api/v1/schemes").handler(ctx -> reply(ctx, () -> {
            int limit = intParam(ctx, "limit", 50, 1, 1000);
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            JsonArray items = new JsonArray();
            cascade.schemes().list(limit, offset).forEach(v -> items.add(summary(v)));
            return new JsonObject().put("items", items).put("total", cascade.schemes().count())
                .put("limit", limit).put("offset", offset);
        }));
        router.put("/api/v1/schemes/:id").handler(body).handler(ctx -> {
            String id = ctx.pathParam("id");
            if (!JdbcSchemeStore.validId(id)) {
                ctx.fail(InvalidInput.of("path parameter", "id", id, "1-64 letters, digits, '_', '.' or '-'",
                    Reason.INVALID_FORMAT, "scheme id \"" + id + "\" is not 1-64 letters, digits, '_', '.' or '-'"));
                return;
            }
            blocking(() -> cascade.schemes().save(id, text(ctx), format(ctx))).onSuccess(saved -> ctx.response()
                    .setStatusCode(saved.created() ? 201 : 200).putHeader("Content-Type", "application/json")
                    .end(summary(saved.version()).put("created", saved.created()).encode()))
                .onFailure(ctx::fail);
        });
        router.get("/api/v1/schemes/:id").handler(ctx -> reply(ctx, () -> {
            String id = ctx.pathParam("id");
            List<JdbcSchemeStore.SchemeVersion> all = cascade.schemes().versions(id);
            if (all.isEmpty()) {
                throw ProblemException.notFound("no scheme \"" + id + "\"");
            }
            JsonArray versions = new JsonArray();
            all.forEach(v -> versions.add(summary(v).put("problemCount", v.errors().size())));
            return new JsonObject().put("schemeId", id).put("versions", versions);
        }));
        router.get("/api/v1/schemes/:id/versions/:version").handler(ctx -> reply(ctx, () -> {
            String id = ctx.pathParam("id");
            int n = intParam(ctx.pathParam("version"), "version");
            JdbcSchemeStore.SchemeVersion v = cascade.schemes().load(id, n)
                .orElseThrow(() -> ProblemException.notFound("scheme " + id + " has no version " + n));
            return summary(v).put("format", v.format().name()).put("document", v.document())
                .put("json", asJson(v.document(), v.format()));
        }));
        router.get("/api/v1/campaigns/:id/runs").handler(ctx -> reply(ctx, () -> {
            String campaign = ctx.pathParam("id");
            int limit = intParam(ctx, "limit", 50, 1, 1000);
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            JsonArray items = new JsonArray();
            for (Run r : cascade.runs().runsOf(campaign, limit, offset)) {
                items.add(runSummary(r).put("path", path(cascade.runs().steps(r.id()))));
            }
            JsonObject states = new JsonObject();
            cascade.runStates(campaign).forEach(states::put);
            return new JsonObject().put("campaignId", campaign).put("items", items)
                .put("total", cascade.runs().runCount(campaign)).put("limit", limit).put("offset", offset)
                .put("states", states).put("cost", cascade.runs().campaignCost(campaign))
                .put("pinned", cascade.schemes().pin(campaign).map(p -> new JsonObject().put("schemeId", p.getKey())
                    .put("version", p.getValue())).orElse(null))
                .put("problem", cascade.problems().get(campaign));
        }));
        router.get("/api/v1/campaigns/:id/runs/:contactId").handler(ctx -> reply(ctx, () -> {
            Run r = run(ctx);
            return detail(r);
        }));
        router.post("/api/v1/campaigns/:id/runs/:contactId/cancel").handler(ctx -> {
            blocking(() -> run(ctx)).compose(r -> cascade.cancel(r.id())
                    .compose(v -> blocking(() -> detail(cascade.runs().run(r.id()).orElseThrow()))))
                .onSuccess(json -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end(json.encode()))
                .onFailure(ctx::fail);
        });
    }

    private Run run(RoutingContext ctx) {
        String campaign = ctx.pathParam("id");
        String contact = ctx.pathParam("contactId");
        return cascade.runs().run(campaign + "/" + contact).orElseThrow(() -> ProblemException.notFound(
            "campaign " + campaign + " has no cascade run for contact " + contact));
    }

    /** A run with its path, messages and their statuses, replies and cost. */
    JsonObject detail(Run r) {
        JdbcRunStore runs = cascade.runs();
        List<Step> steps = runs.steps(r.id());
        JsonArray stepsJson = new JsonArray();
        for (Step st : steps) {
            stepsJson.add(new JsonObject().put("seq", st.seq()).put("block", st.blockId()).put("state", st.state().name())
                .put("enteredAt", st.enteredAt().toString()).put("outcome", st.outcome()).put("next", st.next()));
        }
        JsonArray messages = new JsonArray();
        for (MessageRecord m : runs.messages(r.id())) {
            messages.add(new JsonObject().put("id", m.id()).put("block", m.blockId()).put("channel", m.channel().json())
                .put("state", m.state().name()).put("status", m.status() == null ? null : m.status().json())
                .put("providerIds", new JsonArray(m.providerIds())).put("smsc", cascade.smscOf(m))
                .put("segments", m.segments()).put("cost", m.cost())
                .put("text", m.text()).put("sentAt", m.sentAt() == null ? null : m.sentAt().toString())
                .put("error", m.error()));
        }
        JsonArray replies = new JsonArray();
        runs.replies(r.id()).forEach(rep -> replies.add(new JsonObject().put("from", rep.from()).put("text", rep.text())
            .put("at", rep.at().toString()).put("messageId", rep.messageId())));
        long cost = runs.costs(r.id()).stream().mapToLong(CostEntry::amount).sum();
        return runSummary(r).put("path", path(steps)).put("steps", stepsJson).put("messages", messages)
            .put("replies", replies).put("cost", cost).put("fields", new JsonObject(new java.util.HashMap<>(
                r.recipient().fields())));
    }

    private static JsonObject runSummary(Run r) {
        return new JsonObject().put("runId", r.id()).put("contactId", r.recipient().id())
            .put("address", r.recipient().address()).put("schemeId", r.schemeId()).put("schemeVersion",
                r.schemeVersion()).put("state", r.state().name()).put("block", r.blockId())
            .put("startedAt", r.startedAt().toString()).put("updatedAt", r.updatedAt().toString())
            .put("reason", r.reason());
    }

    /** The blocks a run went through, in order. */
    static JsonArray path(List<Step> steps) {
        JsonArray out = new JsonArray();
        steps.forEach(s -> out.add(s.blockId()));
        return out;
    }

    private static JsonObject summary(JdbcSchemeStore.SchemeVersion v) {
        return new JsonObject().put("schemeId", v.schemeId()).put("version", v.version()).put("valid", v.valid())
            .put("savedAt", v.savedAt().toString()).put("problems", new JsonArray(v.errors()));
    }

    /** A scheme document (JSON or YAML) as a JSON object, for editors; null when it is not an object. */
    static JsonObject asJson(String document, SchemeDocuments.Format format) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = (format == SchemeDocuments.Format.YAML ? YAML
                : SchemeDocuments.json()).readTree(document);
            return node != null && node.isObject() ? new JsonObject(SchemeDocuments.json().writeValueAsString(node))
                : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static JsonArray problems(SchemeReport r) {
        JsonArray out = new JsonArray();
        r.errors().forEach(e -> out.add(new JsonObject().put("blockId", e.blockId()).put("path", e.path())
            .put("message", e.message()).put("text", e.render())));
        return out;
    }

    private static String text(RoutingContext ctx) {
        return ctx.body().buffer() == null ? "" : ctx.body().asString("UTF-8");
    }

    private static SchemeDocuments.Format format(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).contains("yaml")
            ? SchemeDocuments.Format.YAML : SchemeDocuments.Format.JSON;
    }

    private static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
        String raw = ctx.request().getParam(name);
        if (raw == null) {
            return dflt;
        }
        int n = intParam(raw, name);
        if (n < min || n > max) {
            throw InvalidInput.of("query parameter", name, raw, min + ".." + max, Reason.OUT_OF_RANGE,
                "query parameter " + name + " " + raw + " is out of range " + min + ".." + max);
        }
        return n;
    }

    private static int intParam(String raw, String name) {
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw InvalidInput.of("parameter", name, raw, "a whole number", Reason.WRONG_TYPE,
                name + " \"" + raw + "\" is not a whole number");
        }
    }

    private void reply(RoutingContext ctx, Callable<JsonObject> work) {
        blocking(work).onSuccess(json -> ctx.response().setStatusCode(200)
            .putHeader("Content-Type", "application/json").end(json.encode())).onFailure(ctx::fail);
    }

    private <T> Future<T> blocking(Callable<T> work) {
        if (cascade.schemes() == null) {
            return Future.failedFuture(new ProblemException(503, "not_ready", "the cascade store is not started",
                null));
        }
        return vertx.executeBlocking(work, false);
    }
}
