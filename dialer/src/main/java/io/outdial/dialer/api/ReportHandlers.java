package io.outdial.dialer.api;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.reporting.Reports;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A campaign's report history from the database ({@link Reports}): attempts per time bucket by outcome,
 * answer rate and talk time ({@code ?from=&to=&bucket=}), and the distributions of attempts per contact and of
 * talk time. The same on every node and across restarts; JDBC on the API's workers.
 */
final class ReportHandlers {
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
                return Reports.distributions(api.ds(), id);
            });
        });
    }

    private void timeline(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        api.reply(ctx, 200, () -> {
            Instant to = instant(ctx, "to");
            Instant from = instant(ctx, "from");
            String bucket = ctx.request().getParam("bucket");
            Reports.checkBucket(bucket);
            new CampaignHandlers(api).campaign(id);
            return Reports.timeline(api.ds(), api.clock(), id, from, to, bucket);
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
