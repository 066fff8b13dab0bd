package io.outdial.dialer.dialing;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.contact.ContactCounts;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineUsage;
import io.outdial.dialer.pacing.Pacer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The node's dialing on {@code /metrics} (Prometheus names; docs/campaigns.md "Metrics"):
 * <ul>
 *   <li>{@code outdial_lines_in_use} / {@code outdial_lines_limit} {level=global|trunk|campaign, name}: line
 *       leases against the limit ({@code +Inf} when unlimited);</li>
 *   <li>{@code outdial_campaign_live_calls} {campaign};</li>
 *   <li>{@code outdial_campaign_contacts} {campaign, state}: the live counters (total, available_now, planned,
 *       in_progress, closed_success, closed_no_success, exhausted, no_valid_number, stop_listed), the last known
 *       values while no runner dials the campaign here;</li>
 *   <li>{@code outdial_campaign_reason} {campaign, reason}: 1 for what the campaign is doing now ({@code dialing}
 *       or the why-not-dialing code), 0 for the other reasons (a Prometheus state set);</li>
 *   <li>{@code outdial_campaign_attempts_total} {campaign, outcome}: attempts ended on this node.</li>
 * </ul>
 * Gauges read the runners when scraped: nothing is pushed on the dialing path.
 */
final class CampaignMetrics {
    /** Every value of the reason state set. */
    static final List<String> REASONS = List.of("dialing", "starting", "stopping", "not_runnable", "elsewhere",
        "draft", "scheduled", "paused", "finished", "archived", "asterisk_down", "trunk_down", "outside_calendar",
        "no_due_contacts", "line_limit", "rate_limit");
    private static final Map<String, Function<ContactCounts, Long>> COUNTS = Map.of(
        "total", ContactCounts::total, "available_now", ContactCounts::availableNow, "planned", ContactCounts::planned,
        "in_progress", ContactCounts::inProgress, "closed_success", ContactCounts::closedSuccess,
        "closed_no_success", ContactCounts::closedNoSuccess, "exhausted", ContactCounts::exhausted,
        "no_valid_number", ContactCounts::noValidNumber, "stop_listed", ContactCounts::stopListed);

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> campaigns = new ConcurrentHashMap<>();
    /** Micrometer holds gauge state weakly: the sources live here as long as their gauges. */
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();
    private final Map<String, Boolean> trunks = new ConcurrentHashMap<>();
    private final List<Meter> node = new ArrayList<>();
    /** Per campaign: the last line limit its runner had (read at its start and at every scrape). */
    private final Map<String, double[]> knownLimits = new ConcurrentHashMap<>();
    private final Map<String, Pacer> pacers = new ConcurrentHashMap<>();

    /** What the metrics read of one campaign. */
    interface Source {
        /** The runner dialing it here now, or null. */
        CampaignRunner runner();

        /** The reason code while no runner dials it here (see {@link #REASONS}). */
        String idleReason();
    }

    /**
     * Per campaign: attempt counts that survive runner restarts. Runners are counted from their start until they
     * have fully stopped (a pausing runner still ends calls), then their counts are folded into {@code ended}.
     */
    private static final class Totals {
        final Map<AttemptOutcome, Integer> ended = new EnumMap<>(AttemptOutcome.class);
        final List<CampaignRunner> running = new ArrayList<>();
        volatile ContactCounts last = ContactCounts.ZERO;

        synchronized void attach(CampaignRunner r) {
            running.add(r);
        }

        synchronized void detach(CampaignRunner r) {
            if (running.remove(r)) {
                r.stats().outcomes().forEach((k, v) -> ended.merge(k, v, Integer::sum));
                last = r.counters(); // its final counters, not the last scraped ones
            }
        }

        synchronized double outcome(AttemptOutcome o) {
            int n = ended.getOrDefault(o, 0);
            for (CampaignRunner r : running) {
                n += r.stats().outcomes().getOrDefault(o, 0);
            }
            return n;
        }
    }

    CampaignMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The node's global line gauges. */
    void node(Pacer pacer) {
        node.addAll(lines(pacer, LimitKey.GLOBAL, "global", "*"));
    }

    /** A trunk's line gauges (once per trunk). */
    void trunk(Pacer pacer, String trunk) {
        if (trunks.putIfAbsent(trunk, Boolean.TRUE) == null) {
            node.addAll(lines(pacer, LimitKey.trunk(trunk), "trunk", trunk));
        }
    }

    /** Registers a campaign's gauges (once; {@link #remove} drops them). */
    void campaign(String id, Pacer pacer, Source source) {
        campaigns.computeIfAbsent(id, k -> {
            sources.put(id, source);
            pacers.put(id, pacer);
            List<Meter> m = new ArrayList<>(lines(pacer, LimitKey.campaign(id), "campaign", id));
            Totals t = new Totals();
            totals.put(id, t);
            Tags tags = Tags.of("campaign", id);
            m.add(Gauge.builder("outdial_campaign_live_calls", source, s -> {
                CampaignRunner r = s.runner();
                return r == null ? 0 : r.stats().live();
            }).tags(tags).description("calls of the campaign not ended yet on this node").register(registry));
            COUNTS.forEach((state, f) -> m.add(Gauge.builder("outdial_campaign_contacts", source, s -> {
                CampaignRunner r = s.runner();
                if (r != null) {
                    t.last = r.counters();
                }
                return f.apply(t.last);
            }).tags(tags.and("state", state)).description("the campaign's live contact counters")
                .register(registry)));
            for (String reason : REASONS) {
                m.add(Gauge.builder("outdial_campaign_reason", source, s -> reason.equals(reason(s)) ? 1 : 0)
                    .tags(tags.and("reason", reason))
                    .description("1 for what the campaign does now: dialing, or why it is not dialing")
                    .register(registry));
            }
            for (AttemptOutcome o : AttemptOutcome.values()) {
                m.add(FunctionCounter.builder("outdial_campaign_attempts", source,
                        s -> t.outcome(o))
                    .tags(tags.and("outcome", o.name().toLowerCase(Locale.ROOT)))
                    .description("attempts of the campaign ended on this node, by outcome").register(registry));
            }
            return m;
        });
    }

    /** Counts a runner of campaign {@code id} that started dialing (after {@link #campaign}). */
    void attach(String id, CampaignRunner runner) {
        Totals t = totals.get(id);
        if (t != null) {
            t.attach(runner);
        }
        Pacer pacer = pacers.get(id);
        int max = pacer == null ? Integer.MAX_VALUE : pacer.usage(LimitKey.campaign(id)).max();
        if (max != Integer.MAX_VALUE) {
            knownLimits.computeIfAbsent(id, k -> new double[1])[0] = max;
        }
    }

    /**
     * Campaign {@code id}'s configured line limit ({@link Integer#MAX_VALUE}: none), shown by its gauge while no
     * runner dials it here (another node of the cluster dials it, or it is not running).
     */
    void limit(String id, int max) {
        knownLimits.computeIfAbsent(id, k -> new double[1])[0] = max == Integer.MAX_VALUE
            ? Double.POSITIVE_INFINITY : max;
    }

    /** Folds in a runner that has fully stopped (paused with no live call, or finished). */
    void detach(String id, CampaignRunner runner) {
        Totals t = totals.get(id);
        if (t != null) {
            t.detach(runner);
        }
    }

    /** Drops a campaign's gauges (it is no longer known to this node). */
    void remove(String id) {
        sources.remove(id);
        totals.remove(id);
        pacers.remove(id);
        knownLimits.remove(id);
        List<Meter> m = campaigns.remove(id);
        if (m != null) {
            m.forEach(registry::remove);
        }
    }

    static String reason(Source s) {
        CampaignRunner r = s.runner();
        if (r == null) {
            return s.idleReason();
        }
        return r.stats().live() > 0 ? "dialing" : r.whyNot().code();
    }

    private List<Meter> lines(Pacer pacer, LimitKey key, String level, String name) {
        Tags tags = Tags.of("level", level, "name", name);
        ToDoubleFunction<Pacer> inUse = p -> p.usage(key).inUse();
        // a campaign's limit is known to the pacer only while its runner dials: after a pause or the end the gauge
        // keeps the configured limit it had (limits.lines), not +Inf
        double[] known = level.equals("campaign") ? knownLimits.computeIfAbsent(name, k -> new double[] {
            Double.POSITIVE_INFINITY}) : new double[] {Double.POSITIVE_INFINITY};
        ToDoubleFunction<Pacer> limit = p -> {
            LineUsage u = p.usage(key);
            if (u.max() != Integer.MAX_VALUE) {
                known[0] = u.max();
                return u.max();
            }
            return level.equals("campaign") ? known[0] : Double.POSITIVE_INFINITY;
        };
        return List.of(
            Gauge.builder("outdial_lines_in_use", pacer, inUse).tags(tags).description("line leases held")
                .register(registry),
            Gauge.builder("outdial_lines_limit", pacer, limit).tags(tags).description("line limit")
                .register(registry));
    }
}
