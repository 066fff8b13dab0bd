package io.outdial.dialer.cascade;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.server.ProblemException;
import io.outdial.fallback.engine.CascadeDryRun;
import io.outdial.fallback.engine.DryRunBehaviour;
import io.outdial.fallback.engine.DryRunPath;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.engine.SchemeEstimates;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/schemes/dry-run}: a scheme (inline, or a stored version) tried against scripted recipient
 * behaviours with {@link CascadeDryRun}. Nothing is sent and nothing is stored.
 */
final class SchemeDryRunRoute {

    /** Most contact fields a dry run takes. */
    static final int MAX_FIELDS = 100;
    private static final long MAX_PRICE = 1_000_000_000L;

    private final Vertx vertx;
    private final CascadeComponent cascade;

    SchemeDryRunRoute(Vertx vertx, CascadeComponent cascade) {
        this.vertx = vertx;
        this.cascade = cascade;
    }

    /** What the body asks for, read and checked. */
    record Request(Scheme scheme, List<DryRunBehaviour> behaviours, Map<String, String> fields, PricePlan prices) {
    }

    void handle(RoutingContext ctx) {
        vertx.executeBlocking(() -> read(ctx), false).compose(req -> {
            EngineOptions opts = cascade.engineOptions();
            if (req.prices() != null) {
                opts = opts.withPrices(req.prices());
            }
            CascadeDryRun dry = new CascadeDryRun(vertx, opts);
            return dry.run(req.scheme(), req.behaviours(), req.fields()).recover(err -> io.vertx.core.Future
                    .failedFuture(err instanceof IllegalArgumentException
                        ? new ProblemException(400, "invalid_dry_run", err.getMessage(), "behaviours") : err))
                .map(paths -> answer(req, dry.prices(), paths));
        }).onSuccess(json -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .end(json.encode())).onFailure(ctx::fail);
    }

    private Request read(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().buffer() == null ? null : ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw InvalidInput.parameter("body", Reason.SYNTAX, "the body is not a JSON object: " + e.getMessage());
        }
        if (body == null) {
            throw InvalidInput.parameter("body", Reason.MISSING, "the body is empty; expected {scheme | document"
                + " | schemeId, behaviours: [...]}");
        }
        Scheme scheme = scheme(body);
        Object raw = body.getValue("behaviours");
        if (!(raw instanceof JsonArray) || ((JsonArray) raw).isEmpty()
            || ((JsonArray) raw).size() > DryRunBehaviour.MAX_BEHAVIOURS) {
            throw InvalidInput.of("body", "behaviours", raw == null ? null : String.valueOf(raw).length() > 80
                    ? "(" + (raw instanceof JsonArray ? ((JsonArray) raw).size() + " items" : "not a list") + ")"
                    : String.valueOf(raw), "a list of 1.." + DryRunBehaviour.MAX_BEHAVIOURS + " behaviours",
                raw instanceof JsonArray ? Reason.OUT_OF_RANGE : Reason.MISSING,
                "behaviours must be a list of 1.." + DryRunBehaviour.MAX_BEHAVIOURS + " behaviours"
                    + (raw instanceof JsonArray ? ", got " + ((JsonArray) raw).size() : ""));
        }
        List<DryRunBehaviour> behaviours = new ArrayList<>();
        JsonArray list = (JsonArray) raw;
        for (int i = 0; i < list.size(); i++) {
            Object item = list.getValue(i);
            if (!(item instanceof JsonObject)) {
                throw InvalidInput.of("body", "behaviours[" + i + "]", String.valueOf(item), "an object",
                    Reason.WRONG_TYPE, "behaviours[" + i + "] is not an object");
            }
            try {
                behaviours.add(DryRunBehaviour.fromMap(((JsonObject) item).getMap()));
            } catch (IllegalArgumentException e) {
                throw InvalidInput.of("body", "behaviours[" + i + "]", null, null, Reason.INVALID_VALUE,
                    "behaviours[" + i + "]: " + e.getMessage());
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Object contact = body.getValue("contact");
        if (contact != null) {
            if (!(contact instanceof JsonObject) || ((JsonObject) contact).size() > MAX_FIELDS) {
                throw InvalidInput.of("body", "contact", null, "an object of at most " + MAX_FIELDS + " fields",
                    Reason.WRONG_TYPE, "contact must be an object of at most " + MAX_FIELDS + " contact fields");
            }
            ((JsonObject) contact).forEach(e -> fields.put(e.getKey(), e.getValue() == null ? ""
                : String.valueOf(e.getValue())));
        }
        return new Request(scheme, behaviours, fields, prices(body.getValue("prices")));
    }

    private Scheme scheme(JsonObject body) {
        int given = (body.containsKey("scheme") ? 1 : 0) + (body.containsKey("document") ? 1 : 0)
            + (body.containsKey("schemeId") ? 1 : 0);
        if (given != 1) {
            throw InvalidInput.parameter("scheme", Reason.MISSING, "give exactly one of scheme (the scheme as JSON),"
                + " document (its JSON or YAML text, with format) or schemeId (a stored scheme, with an optional"
                + " version)");
        }
        SchemeReport report;
        if (body.containsKey("scheme")) {
            Object s = body.getValue("scheme");
            if (!(s instanceof JsonObject)) {
                throw InvalidInput.of("body", "scheme", null, "an object", Reason.WRONG_TYPE,
                    "scheme must be a JSON object (the document the schemes API stores)");
            }
            report = SchemeDocuments.parse(((JsonObject) s).encode(), SchemeDocuments.Format.JSON);
        } else if (body.containsKey("document")) {
            Object d = body.getValue("document");
            if (!(d instanceof String)) {
                throw InvalidInput.of("body", "document", null, "a text", Reason.WRONG_TYPE,
                    "document must be the scheme's text");
            }
            String format = body.getString("format", "JSON");
            report = SchemeDocuments.parse((String) d, "YAML".equalsIgnoreCase(format)
                ? SchemeDocuments.Format.YAML : SchemeDocuments.Format.JSON);
        } else {
            String id = String.valueOf(body.getValue("schemeId"));
            if (cascade.schemes() == null) {
                throw new ProblemException(503, "not_ready", "the cascade store is not started", null);
            }
            Object v = body.getValue("version");
            JdbcSchemeStore.SchemeVersion stored;
            if (v == null) {
                stored = cascade.schemes().latest(id).orElseThrow(() -> ProblemException.notFound("no scheme \""
                    + id + "\""));
            } else if (v instanceof Integer) {
                stored = cascade.schemes().load(id, (Integer) v).orElseThrow(() -> ProblemException.notFound(
                    "scheme " + id + " has no version " + v));
            } else {
                throw InvalidInput.of("body", "version", String.valueOf(v), "a whole number", Reason.WRONG_TYPE,
                    "version \"" + v + "\" is not a whole number");
            }
            report = SchemeDocuments.parse(stored.document(), stored.format());
        }
        if (!report.isValid()) {
            throw new ProblemException(400, "invalid_scheme", "the scheme is not valid; fix it before a dry run:\n"
                + report.render(), "scheme");
        }
        return report.scheme();
    }

    private static PricePlan prices(Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof JsonObject)) {
            throw InvalidInput.of("body", "prices", null, "an object", Reason.WRONG_TYPE,
                "prices must be an object like {\"sms\": 5, \"payForDelivered\": true}");
        }
        Map<ChannelType, Long> prices = new EnumMap<>(ChannelType.class);
        boolean payForDelivered = false;
        for (Map.Entry<String, Object> e : (JsonObject) raw) {
            if ("payForDelivered".equals(e.getKey())) {
                if (!(e.getValue() instanceof Boolean)) {
                    throw InvalidInput.of("body", "prices.payForDelivered", String.valueOf(e.getValue()), "true or false",
                        Reason.WRONG_TYPE, "prices.payForDelivered must be true or false");
                }
                payForDelivered = (Boolean) e.getValue();
                continue;
            }
            ChannelType c = ChannelType.fromJson(e.getKey());
            if (c == null) {
                throw InvalidInput.of("body", "prices." + e.getKey(), null, "a channel", Reason.UNKNOWN_KEY,
                    "prices." + e.getKey() + " is not a channel (sms, voice, whatsapp, viber, webhook)");
            }
            if (!(e.getValue() instanceof Number) || ((Number) e.getValue()).longValue() < 0
                || ((Number) e.getValue()).longValue() > MAX_PRICE) {
                throw InvalidInput.of("body", "prices." + e.getKey(), String.valueOf(e.getValue()), "0.." + MAX_PRICE,
                    Reason.OUT_OF_RANGE, "prices." + e.getKey() + " must be a price in minor units, 0.." + MAX_PRICE);
            }
            prices.put(c, ((Number) e.getValue()).longValue());
        }
        return new PricePlan(prices, payForDelivered);
    }

    private static JsonObject answer(Request req, PricePlan plan, List<DryRunPath> paths) {
        JsonArray out = new JsonArray();
        for (DryRunPath p : paths) {
            JsonArray steps = new JsonArray();
            for (DryRunPath.PathStep st : p.steps()) {
                JsonObject step = new JsonObject().put("seq", st.seq()).put("block", st.blockId()).put("type", st.type())
                    .put("channel", st.channel()).put("at", st.at().toString())
                    .put("wait", st.waitFor() == null ? null : st.waitFor().toString())
                    .put("outcome", st.outcome()).put("next", st.next());
                DryRunPath.PathMessage m = st.message();
                if (m != null) {
                    step.put("message", new JsonObject().put("text", m.text())
                        .put("content", new JsonObject(new LinkedHashMap<>(m.content())))
                        .put("segments", m.segments()).put("encoding", m.encoding()).put("cost", m.cost())
                        .put("refund", m.refund()).put("status", m.status()).put("reported", new JsonArray(m.reported()))
                        .put("error", m.error()));
                }
                steps.add(step);
            }
            out.add(new JsonObject().put("behaviour", p.behaviour()).put("outcome", p.outcome())
                .put("goals", new JsonArray(p.goals())).put("state", p.state()).put("reason", p.reason())
                .put("totalCost", p.totalCost()).put("duration", p.duration().toString())
                .put("truncated", p.truncated()).put("steps", steps));
        }
        return new JsonObject().put("schemeId", req.scheme().id()).put("version", req.scheme().version())
            .put("prices", prices(plan)).put("estimates", estimates(req.scheme(), plan)).put("paths", out);
    }

    /** A price plan as JSON: {@code {sms: 5, ..., payForDelivered}}. */
    static JsonObject prices(PricePlan plan) {
        JsonObject o = new JsonObject();
        for (ChannelType c : ChannelType.values()) {
            o.put(c.json(), plan.price(c));
        }
        return o.put("payForDelivered", plan.payForDelivered());
    }

    /** Per channel block: SMS parts, alphabet and cost per recipient. */
    static JsonArray estimates(Scheme scheme, PricePlan plan) {
        JsonArray out = new JsonArray();
        SchemeEstimates.of(scheme, plan).forEach(e -> out.add(new JsonObject().put("blockId", e.blockId())
            .put("channel", e.channel()).put("segments", e.segments()).put("encoding", e.encoding())
            .put("units", e.units()).put("placeholders", e.placeholders()).put("cost", e.cost())));
        return out;
    }

}
