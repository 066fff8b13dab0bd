package io.outdial.dialer.api;

import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordStore;
import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.stoplist.StopList;
import io.outdial.dialer.reporting.Reports;
import io.outdial.dialer.server.ProblemException;
import io.outdial.ivr.spi.FlowResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A campaign's contacts and results: keyset pages of its contacts ({@code ?state=&after=&limit=}), one contact
 * with every attempt made on it, and the results CSV (the same file as the headless run's {@code --results}).
 */
final class ContactHandlers {
    private final ApiRoutes api;

    ContactHandlers(ApiRoutes api) {
        this.api = api;
    }

    /** At most this many contacts answer a number search. */
    static final int SEARCH_LIMIT = 200;

    void mount(Router router) {
        router.get(ApiRoutes.PREFIX + "/contacts").handler(this::search);
        String base = ApiRoutes.PREFIX + "/campaigns/:id";
        router.get(base + "/contacts").handler(this::list);
        router.get(base + "/contacts/:contactId").handler(this::one);
        router.get(base + "/results.csv").handler(this::results);
        router.get(base + "/results.xlsx").handler(this::resultsXlsx);
    }

    private void list(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        api.reply(ctx, 200, () -> {
            int limit = (int) ApiRoutes.number(ctx, "limit", ApiRoutes.DEFAULT_LIMIT, 1, ApiRoutes.MAX_LIMIT);
            long after = ApiRoutes.number(ctx, "after", 0, 0, Long.MAX_VALUE);
            ContactState state = state(ctx.request().getParam("state"));
            new CampaignHandlers(api).campaign(id);
            List<JdbcContactStore.Listed> page = new JdbcContactStore(api.ds()).page(id, state, after, limit);
            JsonArray items = new JsonArray();
            page.forEach(l -> items.add(contact(l)));
            Long next = page.size() < limit ? null : page.get(page.size() - 1).contact().id();
            JsonObject body = new JsonObject().put("items", items).put("limit", limit).put("after", after)
                .put("next", next);
            if (next != null) {
                body.put("nextPage", ApiRoutes.PREFIX + "/campaigns/" + id + "/contacts?after=" + next + "&limit="
                    + limit + (state == null ? "" : "&state=" + state));
            }
            return ApiSecurity.maskPhones(ctx, body);
        });
    }

    /**
     * Number search across campaigns: {@code ?phone=} (E.164, or national with {@code &region=}, default US), every
     * visible contact with that primary number or dialed on it, and the number's stop-list entries.
     */
    private void search(RoutingContext ctx) {
        api.reply(ctx, 200, () -> {
            String raw = ctx.request().getParam("phone");
            String region = ctx.request().getParam("region");
            String code = region == null || region.isBlank() ? "US" : region.trim().toUpperCase(Locale.ROOT);
            if (!PhoneNormalizer.knowsRegion(code)) {
                throw InvalidInput.of("query parameter", "region", region, "an ISO 3166 region code such as UA or US",
                    Reason.NOT_ALLOWED, "region \"" + code + "\" is not an ISO 3166 region code libphonenumber knows,"
                    + " such as UA or US");
            }
            if (raw == null || raw.isBlank()) {
                throw InvalidInput.of("query parameter", "phone", raw, "a phone number", Reason.MISSING,
                    "phone is missing: give the number to search, e.g. ?phone=%2B33612345678");
            }
            PhoneNormalizer.Result n = new PhoneNormalizer(code).normalize(raw);
            if (!n.ok()) {
                throw InvalidInput.of("query parameter", "phone", raw, "a phone number", Reason.INVALID_FORMAT,
                    "phone " + n.error());
            }
            List<JdbcContactStore.Listed> found = new JdbcContactStore(api.ds()).withNumber(n.e164(), SEARCH_LIMIT + 1);
            JsonArray items = new JsonArray();
            found.stream().limit(SEARCH_LIMIT).forEach(l -> items.add(contact(l).put("campaignId",
                l.contact().campaignId())));
            JsonArray stopList = new JsonArray();
            new JdbcStopList(api.ds(), api.clock(), new PhoneNormalizer(code)).entriesOf(n.e164()).forEach(e ->
                stopList.add(new JsonObject().put("scope", StopList.GLOBAL.equals(e.getString("scope"))
                    ? StopListHandlers.GLOBAL : e.getString("scope")).put("reason", e.getString("reason"))
                    .put("source", e.getString("source")).put("addedAt", e.getString("addedAt"))));
            return ApiSecurity.maskPhones(ctx, new JsonObject().put("phone", n.e164()).put("items", items)
                .put("truncated", found.size() > SEARCH_LIMIT).put("stopList", stopList));
        });
    }

    private void one(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String raw = ctx.pathParam("contactId");
        api.reply(ctx, 200, () -> {
            long contactId;
            try {
                contactId = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw InvalidInput.of("path parameter", "contactId", raw, "a whole number", Reason.WRONG_TYPE,
                    "contact id \"" + raw + "\" is not a whole number");
            }
            new CampaignHandlers(api).campaign(id);
            JdbcContactStore.Listed l = new JdbcContactStore(api.ds()).find(id, contactId).orElseThrow(() ->
                ProblemException.notFound("campaign " + id + " has no contact " + contactId));
            JsonArray attempts = new JsonArray();
            new CallRecordStore(api.ds()).forContact(id, Long.toString(contactId))
                .forEach(r -> attempts.add(attempt(r)));
            return ApiSecurity.maskPhones(ctx, contact(l).put("attemptHistory", attempts));
        });
    }

    private void results(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        api.csv(ctx, "results-" + id + ".csv", () -> {
            new CampaignHandlers(api).campaign(id);
            Path out = api.tempFile("results-", ".csv");
            try {
                Reports.resultsCsv(api.ds(), id, out);
            } catch (RuntimeException e) {
                ImportHandlers.deleteQuietly(out);
                throw e;
            }
            return out;
        });
    }

    private void resultsXlsx(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        api.download(ctx, "results-" + id + ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", () -> {
                new CampaignHandlers(api).campaign(id);
                Path out = api.tempFile("results-", ".xlsx");
                try {
                    Reports.resultsXlsx(api.ds(), id, api.tempFile("results-", ".csv"), out);
                } catch (RuntimeException e) {
                    ImportHandlers.deleteQuietly(out);
                    throw e;
                }
                return out;
            });
    }

    private static ContactState state(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return ContactState.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("query parameter", "state", raw, "one of " + List.of(ContactState.values()),
                Reason.NOT_ALLOWED, "state \"" + raw + "\" is not one of " + List.of(ContactState.values()));
        }
    }

    static JsonObject contact(JdbcContactStore.Listed l) {
        Contact c = l.contact();
        JsonArray phones = new JsonArray();
        for (Phone p : c.phones().phones()) {
            phones.add(new JsonObject().put("label", p.label()).put("phone", p.e164()).put("failures", p.failures())
                .put("invalid", p.invalid()));
        }
        JsonObject byOutcome = new JsonObject();
        c.attempts().byRule().forEach(byOutcome::put);
        return new JsonObject().put("id", c.id()).put("extId", c.extId()).put("phone", c.phones().primary())
            .put("phones", phones).put("timeZone", c.timeZone())
            .put("fields", new JsonObject(new TreeMap<String, Object>(c.fields())))
            .put("state", c.state().name()).put("result", c.result())
            .put("resultReason", l.resultReason())
            .put("nextAttemptAt", c.state() == ContactState.WAITING ? CampaignHandlers.str(c.nextAttemptAt()) : null)
            .put("attempts", c.attempts().total()).put("attemptsByOutcome", byOutcome)
            .put("lastOutcome", c.lastOutcome()).put("lastAttemptAt", CampaignHandlers.str(c.lastAttemptAt()));
    }

    private static JsonObject attempt(CallRecord r) {
        JsonObject j = new JsonObject().put("attemptId", r.attemptId()).put("phone", r.phone())
            .put("trunk", r.trunk()).put("callerId", r.callerId()).put("server", r.server()).put("state",
                r.state().name()).put("originateAt", CampaignHandlers.str(r.originateAt())).put("ringAt", CampaignHandlers.str(r.ringAt()))
            .put("answerAt", CampaignHandlers.str(r.answerAt())).put("endAt", CampaignHandlers.str(r.endAt()))
            .put("amdStatus", r.amdStatus()).put("dtmf", r.dtmf()).put("recordings", new JsonArray(r.recordings()));
        if (r.outcome() != null) {
            j.put("outcome", r.outcome().kind().name()).put("cause", r.outcome().cause())
                .put("detail", r.outcome().detail());
        }
        FlowResult f = r.flowResult();
        if (f != null) {
            JsonObject answers = new JsonObject();
            new TreeMap<>(f.answers()).forEach(answers::put);
            j.put("flow", new JsonObject().put("flowId", f.flowId()).put("flowVersion", f.flowVersion())
                .put("path", new JsonArray(f.path())).put("answers", answers).put("goalReached", f.goalReached())
                .put("goalName", f.goalName()).put("unsubscribed", f.unsubscribed())
                .put("completion", f.completion() == null ? null : f.completion().name()));
        }
        return j;
    }
}
