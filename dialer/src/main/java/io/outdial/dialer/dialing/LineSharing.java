package io.outdial.dialer.dialing;

import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineUsage;
import io.outdial.dialer.pacing.Pacer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Shares the lines of the shared levels (global, trunk) between the campaigns of a node by priority and weight
 * ({@link FairShare}). A runner asks {@link #claim} how many lines it may take now; the answer is reserved for
 * it until it {@link #settle}s (after taking its leases), so two runners asking at once never count the same free
 * line. A runner that got nothing is <em>waiting</em>: whenever a line frees up anywhere (any campaign's call
 * end, via {@link Pacer#onRelease}) or a claim is settled, the waiting campaigns that {@link FairShare} would give
 * a line to now are woken. Thread-safe; wake-ups run outside the lock.
 *
 * <p>Demand: a campaign wants lines while its last pick found due contacts (a full batch); a pick that came back
 * short, or a rate limit, marks it without demand until its next claim, so it does not hold lines back from
 * others.
 */
final class LineSharing {
    /** The most lines one campaign is counted as wanting (keeps {@link FairShare#allocate} bounded). */
    private static final int MAX_WANTS = 100_000;

    private final Pacer lines;
    private final Map<String, Member> members = new LinkedHashMap<>();

    private static final class Member {
        final String campaign;
        final String trunk;
        final Runnable wake;
        int priority;
        int weight;
        int reserved;
        boolean demand = true;
        boolean waiting;

        Member(String campaign, String trunk, int priority, int weight, Runnable wake) {
            this.campaign = campaign;
            this.trunk = trunk;
            this.priority = priority;
            this.weight = weight;
            this.wake = wake;
        }
    }

    /** Shares the lines of {@code pacer} and listens to its releases. */
    LineSharing(Pacer pacer) {
        this.lines = pacer;
        pacer.onRelease(this::released);
    }

    /** Adds (or updates) a campaign; {@code wake} runs a round of its runner (must not block). */
    void join(String campaign, String trunk, int priority, int weight, Runnable wake) {
        if (weight < 1) {
            throw new IllegalArgumentException("campaign " + campaign + " weight " + weight + " is below 1");
        }
        synchronized (this) {
            Member old = members.get(campaign);
            Member m = new Member(campaign, trunk, priority, weight, Objects.requireNonNull(wake, "wake"));
            if (old != null) {
                m.reserved = old.reserved;
            }
            members.put(campaign, m);
        }
    }

    /** Changes a campaign's priority and weight (its row changed). */
    void share(String campaign, int priority, int weight) {
        synchronized (this) {
            Member m = members.get(campaign);
            if (m != null) {
                m.priority = priority;
                m.weight = Math.max(1, weight);
            }
        }
        wakeWaiting();
    }

    /** Removes a campaign (its runner stopped); the lines it wanted go to the others. */
    void leave(String campaign) {
        synchronized (this) {
            members.remove(campaign);
        }
        wakeWaiting();
    }

    /**
     * How many lines (0..{@code wanted}) {@code campaign} may take now, reserved for it until {@link #settle}.
     * 0 marks it waiting: it is woken when FairShare would give it a line.
     */
    int claim(String campaign, int wanted) {
        synchronized (this) {
            Member m = members.get(campaign);
            if (m == null || wanted <= 0) {
                return Math.max(0, wanted);
            }
            m.demand = true;
            int grant = Math.min(wanted, allowance(m));
            m.reserved += grant;
            m.waiting = grant == 0;
            return grant;
        }
    }

    /**
     * Ends a claim: the {@code granted} lines are no longer reserved (the leases taken count instead).
     *
     * @param moreDue whether the campaign still has due contacts it could dial now (false after a short pick or a
     *                rate limit)
     */
    void settle(String campaign, int granted, boolean moreDue) {
        synchronized (this) {
            Member m = members.get(campaign);
            if (m != null) {
                m.reserved = Math.max(0, m.reserved - granted);
                m.demand = moreDue;
            }
        }
        wakeWaiting();
    }

    /** A lease was released somewhere: wake the waiting campaigns that would now get a line. */
    void released() {
        wakeWaiting();
    }

    /** The level that kept {@code campaign} from getting a line: full, or given to others by priority/weight. */
    synchronized Optional<LineUsage> blockedBy(String campaign) {
        Member m = members.get(campaign);
        if (m == null) {
            return Optional.empty();
        }
        LineUsage worst = null;
        for (LimitKey k : LimitKey.levelsFor(campaign, m.trunk)) {
            LineUsage u = lines.usage(k);
            if (u.full()) {
                return Optional.of(u);
            }
            if (worst == null || u.max() - u.inUse() < worst.max() - worst.inUse()) {
                worst = u;
            }
        }
        return Optional.ofNullable(worst);
    }

    /** Whether the campaign is waiting for a shared line (tests, status). */
    synchronized boolean waiting(String campaign) {
        Member m = members.get(campaign);
        return m != null && m.waiting;
    }

    private void wakeWaiting() {
        List<Runnable> wake = new ArrayList<>();
        synchronized (this) {
            for (Member m : members.values()) {
                if (m.waiting && allowance(m) > 0) {
                    m.waiting = false;
                    wake.add(m.wake);
                }
            }
        }
        wake.forEach(Runnable::run);
    }

    /** Lines {@code m} may take now: its own free lines, capped by its FairShare at every shared level. */
    private int allowance(Member m) {
        int own = ownFree(m);
        if (own <= 0) {
            return 0;
        }
        int out = own;
        out = Math.min(out, shareAt(LimitKey.GLOBAL, m, null));
        out = Math.min(out, shareAt(LimitKey.trunk(m.trunk), m, m.trunk));
        return out;
    }

    private int ownFree(Member m) {
        LineUsage u = lines.usage(LimitKey.campaign(m.campaign));
        long free = (long) u.max() - u.inUse() - m.reserved;
        return (int) Math.max(0, Math.min(MAX_WANTS, free));
    }

    /** {@code m}'s share of the free lines at {@code level} among the members counting against it. */
    private int shareAt(LimitKey level, Member m, String trunk) {
        LineUsage u = lines.usage(level);
        long free = (long) u.max() - u.inUse();
        List<FairShare.Claim> claims = new ArrayList<>();
        long wants = 0;
        boolean othersWant = false;
        for (Member o : members.values()) {
            if (trunk != null && !trunk.equals(o.trunk)) {
                continue;
            }
            free -= o.reserved;
            int w = o == m || o.demand ? ownFree(o) : 0;
            wants += w;
            othersWant |= o != m && w > 0;
            claims.add(new FairShare.Claim(o.campaign, o.priority, o.weight,
                lines.usage(LimitKey.campaign(o.campaign)).inUse() + o.reserved, w));
        }
        if (free <= 0) {
            return 0;
        }
        int lines = (int) Math.min(free, wants);
        // alone in wanting lines here, m gets every one FairShare would hand out one at a time
        return othersWant ? FairShare.allocate(lines, claims).getOrDefault(m.campaign, 0) : lines;
    }
}
