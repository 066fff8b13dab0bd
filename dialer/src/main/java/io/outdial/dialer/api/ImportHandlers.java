package io.outdial.dialer.api;

import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outdial.dialer.node.DrainTracker;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.contact.ColumnMapping;
import io.outdial.dialer.contact.ContactImporter;
import io.outdial.dialer.contact.ImportReport;
import io.outdial.dialer.contact.NumberSet;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.dialing.CampaignRunner;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Contact imports: {@code POST /api/v1/campaigns/{id}/imports} (multipart or raw body, streamed to a temporary
 * file) answers 202 at once; the import runs on a worker with {@link ContactImporter}, the campaign's region and
 * column mapping (or the request's {@code mapping}) and a snapshot of the global and campaign stop-lists, writing
 * its progress to {@code api_import} while it runs. {@code GET /api/v1/imports/{importId}} polls it,
 * {@code .../rejected.csv} downloads the refused rows, {@code GET /api/v1/campaigns/{id}/imports} lists them.
 */
final class ImportHandlers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<CampaignState> CLOSED = Set.of(CampaignState.FINISHED, CampaignState.ARCHIVED);
    /** Least time between two progress writes of one import. */
    static final long PROGRESS_EVERY_MS = 200;

    private final ApiRoutes api;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Object> campaignLocks = new ConcurrentHashMap<>();

    ImportHandlers(ApiRoutes api) {
        this.api = api;
    }

    void mount(Router router) {
        router.post(ApiRoutes.PREFIX + "/campaigns/:id/imports")
            .handler(Uploads.bodyHandler(api.workDir(), api.maxUpload()))
            .handler(this::start);
        router.get(ApiRoutes.PREFIX + "/campaigns/:id/imports").handler(this::list);
        router.get(ApiRoutes.PREFIX + "/imports/:importId").handler(ctx -> api.reply(ctx, 200,
            () -> view(load(ctx))));
        router.get(ApiRoutes.PREFIX + "/imports/:importId/rejected.csv").handler(this::rejected);
    }

    private ApiImportStore store() {
        return new ApiImportStore(api.ds(), api.clock());
    }

    /** What an import of a campaign needs, read before the upload is accepted. */
    private record Plan(String campaignId, String region, ColumnMapping mapping, String mappingText) { }

    private void start(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String mappingText = ctx.request().getFormAttribute("mapping") != null
            ? ctx.request().getFormAttribute("mapping") : ctx.request().getParam("mapping");
        Optional<DrainTracker.Ticket> ticket;
        try {
            ticket = api.ticket("import into " + id);
        } catch (ProblemException e) {
            Uploads.fail(ctx, e);
            return;
        }
        api.blocking(() -> plan(id, mappingText))
            .compose(plan -> Uploads.receive(api, ctx, "contacts").compose(upload -> api.blocking(() -> {
                long importId = store().create(plan.campaignId(), upload.name(), upload.size(), plan.mappingText(),
                    api.nodeId()).orElseThrow(() -> ProblemException.notFound("no campaign \"" + plan.campaignId()
                    + "\" (it was deleted while the file was uploading)"));
                return new Queued(importId, plan, upload);
            }).onFailure(err -> Uploads.delete(upload.file()))))
            .onSuccess(q -> {
                running.add(q.importId());
                api.longRunning(() -> run(q)).onComplete(ar -> {
                    running.remove(q.importId());
                    ticket.ifPresent(DrainTracker.Ticket::close);
                });
                ctx.response().putHeader("Location", ApiRoutes.PREFIX + "/imports/" + q.importId());
                ApiRoutes.json(ctx, 202, new JsonObject().put("importId", q.importId()).put("campaignId", id)
                    .put("source", q.upload().name()).put("bytes", q.upload().size()).put("state", "QUEUED")
                    .put("status", ApiRoutes.PREFIX + "/imports/" + q.importId()));
            })
            .onFailure(err -> {
                ticket.ifPresent(DrainTracker.Ticket::close);
                Uploads.fail(ctx, err);
            });
    }

    private record Queued(long importId, Plan plan, Uploads.Upload upload) { }

    private Plan plan(String id, String mappingText) {
        Campaign c = new CampaignHandlers(api).campaign(id);
        if (CLOSED.contains(c.state())) {
            throw ProblemException.conflict("campaign " + id + " is " + c.state() + "; contacts can be imported only"
                + " into a campaign that can still dial");
        }
        CampaignFile file;
        try {
            file = CampaignFile.fromStored(id, c.settings());
        } catch (InvalidInput e) {
            throw ProblemException.conflict("campaign " + id + " has no usable definition (" + e.getMessage()
                + "); replace it with PUT /api/v1/campaigns/" + id);
        }
        ColumnMapping mapping = file.columns();
        if (mappingText != null && !mappingText.isBlank()) {
            mapping = mapping(id, mappingText);
        }
        return new Plan(id, file.region(), mapping, mappingText);
    }

    /** A column mapping in the campaign file's {@code columns} format, checked by the same parser. */
    static ColumnMapping mapping(String campaignId, String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem("mapping", "mapping", null,
                "a JSON object", Reason.SYNTAX, "mapping is not valid JSON: " + e.getMessage())), e);
        }
        if (m == null || !m.isObject()) {
            throw InvalidInput.of("mapping", "mapping", text, "a JSON object", Reason.WRONG_TYPE,
                "mapping must be a JSON object such as {\"phones\": [\"mobile\", \"home\"], \"id\": \"customer\"}");
        }
        ObjectNode doc = JSON.createObjectNode().put("id", campaignId);
        doc.set("columns", m);
        try {
            return CampaignFile.parse(doc, null, "mapping").columns();
        } catch (InvalidInput e) {
            // the parameter is the definition's columns: its problems are the mapping's, at the same paths below it
            throw new InvalidInput(e.code(), e.problems().stream().map(p -> new InputProblem("query parameter mapping",
                p.path().startsWith("$.columns") ? "mapping" + p.path().substring("$.columns".length()) : "mapping",
                p.value(), p.expected(), p.reason(), p.message())).toList(), e);
        }
    }

    /** The import itself, on the import worker pool. Never throws: the outcome is stored in the row. */
    private Void run(Queued q) {
        // one import at a time per campaign on this node: the importer merges against the numbers already visible
        synchronized (campaignLocks.computeIfAbsent(q.plan().campaignId(), k -> new Object())) {
            return runAlone(q);
        }
    }

    private Void runAlone(Queued q) {
        ApiImportStore store = store();
        long id = q.importId();
        String campaign = q.plan().campaignId();
        try {
            store.progress(id, "RUNNING", 0, 0, 0);
            PhoneNormalizer normalizer = new PhoneNormalizer(q.plan().region());
            NumberSet blocked = new JdbcStopList(api.ds(), api.clock(), normalizer).snapshot(campaign);
            long[] last = {System.nanoTime()};
            ImportReport r = new ContactImporter(api.ds(), api.clock(), normalizer, api.importReaders(),
                api.importLimits()).importFile(campaign,
                q.upload().file(), q.plan().mapping(), blocked, (read, imported, rejected) -> {
                    long now = System.nanoTime();
                    if (now - last[0] >= PROGRESS_EVERY_MS * 1_000_000) {
                        last[0] = now;
                        try {
                            store.progress(id, "RUNNING", read, imported, rejected);
                        } catch (RuntimeException e) {
                            ApiRoutes.log().warn("import {}: progress not stored: {}", id, e.getMessage());
                        }
                    }
                });
            store.completed(id, r);
            api.contactsChanged(campaign); // new contacts: the node dialing the campaign picks and counts them now
            ApiRoutes.log().info("API import {} ({}) into campaign {}: {} rows read, {} imported, {} rejected", id,
                q.upload().name(), campaign, r.rowsRead(), r.imported(), r.rejected());
        } catch (RuntimeException | Error e) {
            // an Error too (out of memory, a stack overflow, a failing import pool): the import ends FAILED with
            // the reason instead of RUNNING until its node stops
            String message = e instanceof Error ? "the import failed unexpectedly (" + e + ")"
                : e.getMessage() == null ? e.toString() : e.getMessage();
            if (e.getCause() != null && e.getCause().getMessage() != null && !(e instanceof IllegalArgumentException)
                && !message.contains(e.getCause().getMessage())) {
                message = message + ": " + e.getCause().getMessage();
            }
            ApiRoutes.log().warn("API import {} ({}) into campaign {} failed, nothing kept: {}", id,
                q.upload().name(), campaign, message);
            try {
                store.failed(id, message);
            } catch (RuntimeException stored) {
                ApiRoutes.log().error("import {}: its failure could not be stored: {}", id, stored.getMessage());
            }
        } finally {
            Uploads.delete(q.upload().file());
        }
        return null;
    }

    /** Marks this node's running imports alive (see {@link ApiImportStore#ABANDONED_AFTER}). */
    void heartbeat() {
        List<Long> ids = new ArrayList<>(running);
        if (!ids.isEmpty()) {
            api.blocking(() -> {
                store().touch(ids);
                return null;
            }).onFailure(e -> ApiRoutes.log().warn("import heartbeat failed: {}", e.getMessage()));
        }
    }

    /** On stop: imports still running here are marked FAILED (their rows stay invisible and are cleaned). */
    Future<Void> interrupted() {
        List<Long> ids = new ArrayList<>(running);
        if (ids.isEmpty()) {
            return Future.succeededFuture();
        }
        return api.blocking(() -> {
            ApiImportStore store = store();
            for (long id : ids) {
                store.failed(id, "interrupted: the node stopped during the import; upload the file again");
            }
            return null;
        }).mapEmpty();
    }

    private void list(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        api.reply(ctx, 200, () -> {
            ApiRoutes.Page page = ApiRoutes.Page.of(ctx);
            new CampaignHandlers(api).campaign(id);
            ApiImportStore store = store();
            JsonArray items = new JsonArray();
            store.ofCampaign(id, page.limit(), page.offset()).forEach(i -> items.add(view(i)));
            return page.wrap(items, store.countOfCampaign(id));
        });
    }

    private void rejected(RoutingContext ctx) {
        api.csv(ctx, "import-" + ctx.pathParam("importId") + "-rejected.csv", () -> {
            ApiImportStore.ApiImport i = load(ctx);
            if (!i.state().equals("COMPLETED") || i.contactImportId() == null) {
                throw ProblemException.conflict("import " + i.id() + " is " + i.state() + (i.state().equals("FAILED")
                    ? ": nothing of it was kept (" + i.error() + ")" : "; its rejected rows can be downloaded when it"
                    + " has COMPLETED"));
            }
            Path out = api.tempFile("rejected-", ".csv");
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                store().writeRejectedCsv(i.contactImportId(), w);
            } catch (RuntimeException | IOException e) {
                deleteQuietly(out);
                throw e;
            }
            return out;
        });
    }

    private ApiImportStore.ApiImport load(RoutingContext ctx) {
        String raw = ctx.pathParam("importId");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw InvalidInput.of("path parameter", "importId", raw, "a whole number", Reason.WRONG_TYPE,
                "import id \"" + raw + "\" is not a number");
        }
        return store().get(id).orElseThrow(() -> ProblemException.notFound("no import " + id));
    }

    static JsonObject view(ApiImportStore.ApiImport i) {
        JsonObject j = new JsonObject().put("importId", i.id()).put("campaignId", i.campaignId())
            .put("source", i.source()).put("state", i.state()).put("bytes", i.bytes()).put("rowsRead", i.rowsRead())
            .put("imported", i.imported()).put("merged", i.merged()).put("stopListed", i.stopListed())
            .put("rejected", i.rejected()).put("error", i.error())
            .put("createdAt", CampaignHandlers.str(i.createdAt())).put("updatedAt", CampaignHandlers.str(i.updatedAt()))
            .put("finishedAt", CampaignHandlers.str(i.finishedAt()));
        if (i.state().equals("COMPLETED")) {
            j.put("rejectedCsv", ApiRoutes.PREFIX + "/imports/" + i.id() + "/rejected.csv");
        }
        return j;
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            ApiRoutes.log().warn("temporary file {} not deleted: {}", p.getFileName(), e.getMessage());
        }
    }
}
