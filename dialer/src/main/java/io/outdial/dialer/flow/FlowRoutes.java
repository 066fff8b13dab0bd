package io.outdial.dialer.flow;

import io.outdial.dialer.node.Component;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.storage.Database;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.flow.FlowValidator;
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
import java.util.List;
import java.util.concurrent.Callable;
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
 * </ul>
 */
public final class FlowRoutes implements Component {
    private static final int MAX_DOCUMENT = 1024 * 1024;

    private final Vertx vertx;
    private final Database database;
    private final Clock clock;
    private final Supplier<? extends VoiceCatalog> voices;
    private volatile VoiceCatalog catalog;
    private volatile JdbcFlowStore store;
    private volatile FlowResults results;

    /** @param voices built once at start, on a worker (it may probe programs) */
    public FlowRoutes(Vertx vertx, Database database, Clock clock, Supplier<? extends VoiceCatalog> voices) {
        this.vertx = vertx;
        this.database = database;
        this.clock = clock;
        this.voices = voices;
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
            return null;
        }, false);
    }

    /** The store, once started (for campaign code attaching flows). */
    public JdbcFlowStore store() {
        return store;
    }

    @Override
    public void routes(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_DOCUMENT);
        router.post("/api/v1/flows/validate").handler(body).handler(ctx -> reply(ctx, 200, () -> {
            ValidationReport r = FlowValidator.validate(text(ctx), format(ctx), catalog);
            return new JsonObject().put("valid", r.isValid()).put("problems", problems(r.errors()));
        }));
        router.put("/api/v1/flows/:id").handler(body).handler(ctx -> {
            String id = ctx.pathParam("id");
            blocking(() -> store.save(id, text(ctx), format(ctx))).onSuccess(saved -> ctx.response()
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
                throw ProblemException.badRequest("campaign", "query parameter campaign is missing (a campaign id)");
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

    private FlowVersion version(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String raw = ctx.pathParam("version");
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("version", "version \"" + raw + "\" is not a whole number");
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
