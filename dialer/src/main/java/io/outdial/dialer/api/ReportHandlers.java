package io.outdial.dialer.api;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.reporting.CampaignHistory;
import io.outdial.dialer.reporting.CampaignHistory.Bucket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A campaign's report history from the database ({@link CampaignHistory}): attempts per time bucket by outcome,
 * answer rate and talk time ({@code ?from=&to=&bucket=}), and the distributions of attempts per contact and of
 * talk time. The same on every node and across restarts; JDBC on the API's workers.
 */
final class ReportHandlers {
    /** The range of a timeline without {@code from} when the campaign has no ended attempt yet. */
    static final Duration EMPTY_RANGE = Duration.ofHours(1);
    /** The latest {@code from} or {@code to} accepted. */
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");

    private final ApiRoutes api;

    ReportHandlers(ApiRoutes api) {
        this.api = api;
    }

    void mount(Router router) {
        String base = ApiRoutes.PREFIX + "/campaigns/:id/report";
        router.get(base + "/timeline").handler(this::timeline);
        router.get(base + "/distributions").handler(ctx -> {
            String id = ctx.pathParam("id");
            api.reply(ctx, 200, () -> {
                new CampaignHandlers(api).campaign(id);
                return new CampaignHistory(api.ds()).distributions(id);
            });
        });
    }

    private void timeline(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        api.reply(ctx, 200, () -> {
            Instant to = instant(ctx, "to");
            Instant from = instant(ctx, "from");
            String code = ctx.request().getParam("bucket");
            Bucket given = null;
            if (code != null && !code.isBlank()) {
                given = Bucket.of(code).orElseThrow(() -> InvalidInput.of("query parameter", "bucket", code,
                    "1m, 5m, 15m, 1h or 1d", Reason.NOT_ALLOWED, "bucket \"" + code + "\" is not one of 1m, 5m, 15m,"
                    + " 1h, 1d"));
            }
            new CampaignHandlers(api).campaign(id);
            CampaignHistory history = new CampaignHistory(api.ds());
            if (to == null) {
                to = api.clock().instant();
            }
            if (from == null) {
                Instant end = to;
                from = history.firstEnd(id).filter(f -> f.isBefore(end)).orElse(to.minus(EMPTY_RANGE));
            }
            if (!from.isBefore(to)) {
                throw InvalidInput.of("query parameter", "from", from.toString(), "an instant before to",
                    Reason.OUT_OF_RANGE, "from (" + from + ") must be before to (" + to + ")");
            }
            Bucket bucket = given;
            if (bucket == null) {
                Instant f = from;
                Instant t = to;
                bucket = Bucket.auto(from, to).orElseThrow(() -> InvalidInput.of("query parameter", "from",
                    f.toString(), "a range of at most " + CampaignHistory.MAX_BUCKETS + " days", Reason.OUT_OF_RANGE,
                    "the range " + f + " to " + t + " needs more than " + CampaignHistory.MAX_BUCKETS
                    + " buckets even of 1d; give a shorter range"));
            }
            long n = Bucket.count(bucket, from, to);
            if (n > CampaignHistory.MAX_BUCKETS) {
                throw InvalidInput.of("query parameter", "bucket", bucket.code(), "at most "
                    + CampaignHistory.MAX_BUCKETS + " buckets over the range", Reason.OUT_OF_RANGE, "bucket "
                    + bucket.code() + " gives " + n + " buckets from " + from + " to " + to + " (at most "
                    + CampaignHistory.MAX_BUCKETS + "); give a wider bucket or a shorter range");
            }
            return history.timeline(id, from, to, bucket);
        });
    }

    private static Instant instant(RoutingContext ctx, String name) {
        String raw = ctx.request().getParam(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw InvalidInput.of("query parameter", name, raw, "an ISO-8601 instant such as 2026-11-23T09:00:00Z",
                Reason.INVALID_FORMAT, name + " \"" + raw + "\" is not an ISO-8601 instant such as"
                + " 2026-11-23T09:00:00Z");
        }
        if (at.isBefore(Instant.EPOCH) || at.isAfter(LAST)) {
            throw InvalidInput.of("query parameter", name, raw, "an instant from 1970 to 9999", Reason.OUT_OF_RANGE,
                name + " " + raw + " is not between 1970 and 9999");
        }
        return at;
    }
}
