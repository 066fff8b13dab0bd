package io.outdial.dialer.api;

import io.outdial.dialer.auth.ApiSecurity;
import java.util.List;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.stoplist.StopList;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Stop-lists: scope {@code global} (every campaign) or a campaign id. List (paged), add, remove, import a CSV (all or
 * nothing), export as CSV. Numbers are normalised to E.164 with the campaign's region ({@code US} for the global
 * list), or the request's {@code ?region=}.
 */
final class StopListHandlers {
    static final String GLOBAL = "global";

    private final ApiRoutes api;

    StopListHandlers(ApiRoutes api) {
        this.api = api;
    }

    void mount(Router router) {
        String base = ApiRoutes.PREFIX + "/stop-list/:scope";
        router.get(base).handler(this::list);
        router.get(base + "/export.csv").handler(this::export);
        router.post(base + "/import").handler(Uploads.bodyHandler(api.workDir(), api.maxUpload()))
            .handler(this::importCsv);
        router.put(base + "/:phone").handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(this::add);
        router.delete(base + "/:phone").handler(this::remove);
    }

    /** A resolved scope: the stored scope and the normaliser for its numbers. */
    private record Scope(String name, String stored, PhoneNormalizer normalizer) { }

    /** Blocking: a campaign scope must name an existing campaign. */
    private Scope scope(RoutingContext ctx) {
        String raw = ctx.pathParam("scope");
        String region = ctx.request().getParam("region");
        if (GLOBAL.equals(raw)) {
            return new Scope(raw, StopList.GLOBAL, normalizer(region == null ? "US" : region));
        }
        Campaign c = new CampaignHandlers(api).campaign(raw);
        if (region == null) {
            try {
                region = CampaignFile.fromStored(c.id(), c.settings()).region();
            } catch (InvalidInput e) { // a definition that no longer reads: the default region
                region = "US";
            }
        }
        return new Scope(raw, c.id(), normalizer(region));
    }

    private static PhoneNormalizer normalizer(String region) {
        String code = region.toUpperCase(Locale.ROOT);
        if (!PhoneNormalizer.knowsRegion(code)) {
            throw InvalidInput.of("query parameter", "region", region, "an ISO 3166 region code such as UA or US",
                Reason.NOT_ALLOWED, "default region \"" + code + "\" is not an ISO 3166 region code libphonenumber"
                + " knows, such as UA or US");
        }
        return new PhoneNormalizer(code);
    }

    private JdbcStopList stopList(Scope s) {
        return new JdbcStopList(api.ds(), api.clock(), s.normalizer());
    }

    private static String phone(Scope s, RoutingContext ctx) {
        PhoneNormalizer.Result n = s.normalizer().normalize(ctx.pathParam("phone"));
        if (!n.ok()) {
            throw InvalidInput.of("path parameter", "phone", ctx.pathParam("phone"), "a phone number",
                Reason.INVALID_FORMAT, "phone " + n.error());
        }
        return n.e164();
    }

    private void list(RoutingContext ctx) {
        api.reply(ctx, 200, () -> {
            ApiRoutes.Page page = ApiRoutes.Page.of(ctx);
            Scope s = scope(ctx);
            JsonArray items = new JsonArray();
            stopList(s).page(s.stored(), page.limit(), page.offset()).forEach(e -> items.add(entry(e)));
            return ApiSecurity.maskPhones(ctx, page.wrap(items, stopList(s).count(s.stored())).put("scope", s.name()));
        });
    }

    private void add(RoutingContext ctx) {
        String text = CampaignHandlers.text(ctx);
        String reason = null;
        if (!text.isBlank()) {
            Object r = CampaignHandlers.jsonBody(ctx).getValue("reason");
            if (r != null && !(r instanceof String)) {
                throw InvalidInput.of("request body", "reason", String.valueOf(r), "a text", Reason.WRONG_TYPE,
                    "reason must be a text");
            }
            reason = (String) r;
            if (reason != null && reason.length() > JdbcStopList.MAX_REASON) {
                throw InvalidInput.of("request body", "reason", reason, "at most " + JdbcStopList.MAX_REASON
                    + " characters", Reason.OUT_OF_RANGE, "reason is " + reason.length() + " characters; at most "
                    + JdbcStopList.MAX_REASON);
            }
            if (reason != null && reason.indexOf('\u0000') >= 0) {
                throw InvalidInput.of("request body", "reason", null, "no NUL character", Reason.INVALID_FORMAT,
                    "reason contains a NUL character");
            }
        }
        String why = reason;
        api.blocking(() -> {
            Scope s = scope(ctx);
            String e164 = phone(s, ctx);
            boolean added = stopList(s).add(s.stored(), e164, why, "manual");
            JsonObject e = stopList(s).find(s.stored(), e164).orElse(null);
            JsonObject body = e != null ? entry(e) : new JsonObject().put("phone", e164);
            return body.put("scope", s.name()).put("added", added);
        }).onSuccess(json -> ApiRoutes.json(ctx, json.getBoolean("added") ? 201 : 200, json)).onFailure(ctx::fail);
    }

    private void remove(RoutingContext ctx) {
        api.blocking(() -> {
            Scope s = scope(ctx);
            String e164 = phone(s, ctx);
            if (!stopList(s).remove(s.stored(), e164)) {
                throw ProblemException.notFound(e164 + " is not on stop-list " + s.name());
            }
            return null;
        }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private void importCsv(RoutingContext ctx) {
        api.blocking(() -> scope(ctx))
            .compose(s -> Uploads.receive(api, ctx, "stop-list.csv").compose(upload -> api.blocking(() -> {
                try (Reader in = Files.newBufferedReader(upload.file(), StandardCharsets.UTF_8)) {
                    int added = stopList(s).importCsv(s.stored(), in, upload.name());
                    return new JsonObject().put("scope", s.name()).put("added", added)
                        .put("total", stopList(s).count(s.stored()));
                } catch (InvalidInput e) {
                    // the rows of the uploaded file: problems inside the part named file
                    throw new InvalidInput(e.code(), e.problems().stream().map(p -> new InputProblem(p.source(),
                        "file" + p.path(), p.value(), p.expected(), p.reason(), p.message())).toList(), e);
                } catch (java.io.UncheckedIOException | java.nio.charset.MalformedInputException e) {
                    throw new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem(upload.name(),
                        "file", null, "a UTF-8 CSV file", Reason.INVALID_FORMAT, upload.name()
                        + " cannot be read as UTF-8 CSV: " + e.getMessage())), e);
                } finally {
                    Uploads.delete(upload.file());
                }
            })))
            .onSuccess(json -> ApiRoutes.json(ctx, 200, json)).onFailure(err -> Uploads.fail(ctx, err));
    }

    private void export(RoutingContext ctx) {
        api.csv(ctx, "stop-list-" + ctx.pathParam("scope") + ".csv", () -> {
            Scope s = scope(ctx);
            Path out = api.tempFile("stop-list-", ".csv");
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                stopList(s).exportCsv(s.stored(), w);
            } catch (RuntimeException | IOException e) {
                ImportHandlers.deleteQuietly(out);
                throw e;
            }
            return out;
        });
    }

    /** An entry of the store ({@code scope, phone, reason, source, addedAt}) as the API shows it, without scope. */
    static JsonObject entry(JsonObject e) {
        return new JsonObject().put("phone", e.getString("phone")).put("reason", e.getString("reason"))
            .put("source", e.getString("source")).put("addedAt", e.getString("addedAt"));
    }
}
