package io.outdial.dialer.api;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.reporting.Reports;
import io.outdial.dialer.server.ProblemException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Results exports as jobs, for campaigns too big to wait for a streamed download: {@code POST
 * /campaigns/{id}/exports?format=csv|xlsx} starts writing the file ({@link Reports#resultsCsv},
 * {@link Reports#resultsXlsx}: flat memory) on the API's long-work pool and answers 202 at once;
 * {@code GET /exports/{exportId}} tells the rows done out of the total and the percentage;
 * {@code GET /exports/{exportId}/file} downloads the finished file. A finished file is kept {@link #KEEP} (then it
 * and its job are gone: 404); a running export of the same campaign and format is answered instead of starting a
 * second. Jobs and files live on the node that runs them (the work folder, emptied at the node's start).
 */
final class ExportJobs {
    /** How long a finished export (its file, or its failure) is kept. */
    static final Duration KEEP = Duration.ofHours(1);
    private static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final ApiRoutes api;
    private final Duration keep;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    ExportJobs(ApiRoutes api, Duration keep) {
        this.api = api;
        this.keep = keep;
    }

    /** One export: its counters are written by the worker and read by any request. */
    private static final class Job {
        final String id = UUID.randomUUID().toString();
        final String campaignId;
        final String format;
        final Instant startedAt;
        final AtomicLong total = new AtomicLong(-1);
        final AtomicLong rows = new AtomicLong();
        final AtomicLong workbookRows = new AtomicLong();
        volatile String state = "RUNNING";
        volatile String error;
        volatile Instant finishedAt;
        volatile Path file;

        Job(String campaignId, String format, Instant startedAt) {
            this.campaignId = campaignId;
            this.format = format;
            this.startedAt = startedAt;
        }

        boolean xlsx() {
            return format.equals("xlsx");
        }

        JsonObject json(Duration keep) {
            long t = total.get();
            long done = rows.get();
            long work = xlsx() ? 2 * Math.max(t, 0) : Math.max(t, 0);
            long progress = xlsx() ? done + workbookRows.get() : done;
            int percent = state.equals("COMPLETED") ? 100
                : work <= 0 ? 0 : (int) Math.min(99, progress * 100 / work);
            String base = ApiRoutes.PREFIX + "/exports/" + id;
            return new JsonObject().put("exportId", id).put("campaignId", campaignId).put("format", format)
                .put("state", state).put("total", t < 0 ? null : t).put("rowsDone", done)
                .put("workbookRows", xlsx() ? workbookRows.get() : null).put("percent", percent)
                .put("startedAt", startedAt.toString())
                .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
                .put("expiresAt", finishedAt == null ? null : finishedAt.plus(keep).toString())
                .put("error", error).put("status", base)
                .put("file", state.equals("COMPLETED") ? base + "/file" : null);
        }
    }

    void mount(Router router) {
        router.post(ApiRoutes.PREFIX + "/campaigns/:id/exports").handler(this::start);
        router.get(ApiRoutes.PREFIX + "/exports/:exportId").handler(ctx -> ApiRoutes.json(ctx, 200,
            job(ctx).json(keep)));
        router.get(ApiRoutes.PREFIX + "/exports/:exportId/file").handler(this::file);
    }

    private void start(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String raw = ctx.request().getParam("format");
        String format = raw == null || raw.isBlank() ? "csv" : raw.trim().toLowerCase(Locale.ROOT);
        if (!format.equals("csv") && !format.equals("xlsx")) {
            ctx.fail(InvalidInput.of("query parameter", "format", raw, "csv or xlsx", Reason.NOT_ALLOWED,
                "format \"" + raw + "\" is not csv or xlsx"));
            return;
        }
        api.blocking(() -> {
            new CampaignHandlers(api).campaign(id);   // 404 for an unknown campaign
            return Reports.resultRows(api.ds(), id);
        }).onSuccess(total -> {
            Job running = jobs.values().stream().filter(j -> j.campaignId.equals(id) && j.format.equals(format)
                && j.state.equals("RUNNING")).findFirst().orElse(null);
            Job job = running != null ? running : new Job(id, format, api.clock().instant());
            JsonObject answer;
            if (running == null) {
                job.total.set(total);
                jobs.put(job.id, job);
                answer = job.json(keep);   // RUNNING, as started, even should a small export end at once
                run(job);
            } else {
                answer = job.json(keep);
            }
            ctx.response().putHeader("Location", ApiRoutes.PREFIX + "/exports/" + job.id);
            ApiRoutes.json(ctx, 202, answer);
        }).onFailure(ctx::fail);
    }

    private void run(Job job) {
        api.longRunning(() -> {
            Path out = api.tempFile("export-", "." + job.format);
            try {
                if (job.xlsx()) {
                    Reports.resultsXlsx(api.ds(), job.campaignId, api.tempFile("export-", ".csv"), out, job.rows::set,
                        job.workbookRows::set);
                } else {
                    Reports.resultsCsv(api.ds(), job.campaignId, out, job.rows::set);
                }
            } catch (RuntimeException e) {
                ImportHandlers.deleteQuietly(out);
                throw e;
            }
            return out;
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                job.file = ar.result();
                job.total.set(job.rows.get());   // the rows written, should contacts have come in meanwhile
                job.state = "COMPLETED";
            } else {
                job.error = ar.cause().getMessage();
                job.state = "FAILED";
                ApiRoutes.log().warn("export {} of campaign {} failed: {}", job.id, job.campaignId, job.error);
            }
            job.finishedAt = api.clock().instant();
            api.vertx().setTimer(Math.max(1, keep.toMillis()), t -> {
                jobs.remove(job.id);
                Path f = job.file;
                if (f != null) {
                    api.vertx().fileSystem().delete(f.toString());
                }
            });
        });
    }

    private Job job(RoutingContext ctx) {
        String id = ctx.pathParam("exportId");
        Job j = jobs.get(id);
        if (j == null) {
            throw ProblemException.notFound("no export " + id + " on this node (unknown, or finished more than "
                + keep.toMinutes() + " min ago)");
        }
        return j;
    }

    private void file(RoutingContext ctx) {
        Job j = job(ctx);
        Path f = j.file;
        if (!j.state.equals("COMPLETED") || f == null) {
            throw ProblemException.conflict("export " + j.id + " is " + j.state + (j.error == null ? ""
                : " (" + j.error + ")") + "; its file can be downloaded once it is COMPLETED");
        }
        ctx.response().putHeader("Content-Type", j.xlsx() ? XLSX_TYPE : "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"results-" + j.campaignId + "." + j.format
                + "\"").sendFile(f.toString());
    }
}
