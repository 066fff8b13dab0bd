package io.outdial.dialer.dialing;

import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LimitedLines;
import io.outdial.dialer.pacing.LimitedRates;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.pacing.PacingBackend;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The limits of one node, changed while calls are live: the global limit (configuration), each trunk's limit
 * (the node's configured trunk, else the tightest definition of the campaigns using it) and each campaign's own
 * limit. Campaigns join when their runner starts and leave when it stops; every change replaces the limits of
 * the same {@link LimitedLines} and {@link LimitedRates} (in memory, or shared by the cluster), so live leases and rate windows are
 * kept (a lowered limit never cuts calls, it only stops new leases). Thread-safe.
 */
final class NodeLimits {
    private final int globalLines;
    private final RateLimit globalRate;
    private final LimitedLines lines;
    private final LimitedRates rates;
    private final Pacer pacer;
    private final Map<String, TrunkLimit> configuredTrunks = new HashMap<>();
    private final Map<String, Joined> campaigns = new LinkedHashMap<>();

    /**
     * A trunk's limits.
     *
     * @param lines concurrent calls
     * @param rate  starts per second / minute
     */
    record TrunkLimit(int lines, RateLimit rate) {
        public TrunkLimit {
            Objects.requireNonNull(rate, "rate");
        }
    }

    /** What a campaign asks for when it joins. */
    private record Joined(String trunk, TrunkLimit trunkLimit, int lines, RateLimit rate) { }

    /**
     * @param globalLines most concurrent calls of the node
     * @param globalRate  most starts of the node per second / minute ({@link RateLimit#NONE}: none)
     */
    NodeLimits(int globalLines, RateLimit globalRate, Clock clock) {
        this(globalLines, globalRate, PacingBackend.local(clock));
    }

    /**
     * As above, the leases and windows kept by {@code backend} (in the node, or shared by the cluster: then
     * {@code globalLines} and {@code globalRate} are the cluster's, and every node should configure the same).
     */
    NodeLimits(int globalLines, RateLimit globalRate, PacingBackend backend) {
        if (globalLines < 1) {
            throw new IllegalArgumentException("global line limit " + globalLines + " must be at least 1");
        }
        this.globalLines = globalLines;
        this.globalRate = Objects.requireNonNull(globalRate, "globalRate");
        this.lines = backend.lines(lineLimits());
        this.rates = backend.rates(rateLimits());
        this.pacer = new Pacer(lines, rates);
        lines.onFreedElsewhere(pacer::freedElsewhere);
    }

    /** The node's pacer (shared by every runner of the node). */
    Pacer pacer() {
        return pacer;
    }

    /** A trunk of the node's configuration: its limits win over any campaign definition's. */
    synchronized NodeLimits configureTrunk(String trunk, TrunkLimit limit) {
        configuredTrunks.put(trunk, Objects.requireNonNull(limit, "limit"));
        apply();
        return this;
    }

    /**
     * Adds or updates a campaign (at its runner's start).
     *
     * @param trunk      the trunk it dials through
     * @param trunkLimit the trunk limits of its definition (used when the node does not configure the trunk)
     * @param lines      the campaign's own line limit
     * @param rate       the campaign's own rate limit
     */
    synchronized void join(String campaign, String trunk, TrunkLimit trunkLimit, int lines, RateLimit rate) {
        campaigns.put(campaign, new Joined(trunk, trunkLimit, lines, rate));
        apply();
    }

    /** Removes a campaign's own limits (its runner stopped); live leases stay counted until released. */
    synchronized void leave(String campaign) {
        if (campaigns.remove(campaign) != null) {
            apply();
        }
    }

    /** The line limit of a trunk now. */
    synchronized int trunkLines(String trunk) {
        return lineLimits().max(LimitKey.trunk(trunk));
    }

    private void apply() {
        lines.setLimits(lineLimits());
        rates.setLimits(rateLimits());
    }

    private Map<String, TrunkLimit> trunkLimits() {
        Map<String, TrunkLimit> out = new HashMap<>();
        campaigns.values().forEach(j -> out.merge(j.trunk(), j.trunkLimit(), NodeLimits::tighter));
        out.putAll(configuredTrunks);
        return out;
    }

    private static TrunkLimit tighter(TrunkLimit a, TrunkLimit b) {
        return new TrunkLimit(Math.min(a.lines(), b.lines()), new RateLimit(min0(a.rate().perSecond(),
            b.rate().perSecond()), min0(a.rate().perMinute(), b.rate().perMinute())));
    }

    /** The smaller limit where 0 means none. */
    private static int min0(int a, int b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    private LineLimits lineLimits() {
        Map<String, Integer> t = new HashMap<>();
        trunkLimits().forEach((k, v) -> t.put(k, v.lines()));
        Map<String, Integer> c = new HashMap<>();
        campaigns.forEach((k, v) -> c.put(k, v.lines()));
        return new LineLimits(globalLines, t, c);
    }

    private RateLimits rateLimits() {
        Map<String, RateLimit> t = new HashMap<>();
        trunkLimits().forEach((k, v) -> t.put(k, v.rate()));
        Map<String, RateLimit> c = new HashMap<>();
        campaigns.forEach((k, v) -> c.put(k, v.rate()));
        return new RateLimits(globalRate, t, c);
    }
}
