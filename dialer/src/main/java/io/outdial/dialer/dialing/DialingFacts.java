package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineUsage;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runner knows about a campaign at one moment, collected fluently; {@link #whyNot()} turns it into
 * the reason it is not dialing, checked in a fixed order: state, Asterisk, trunk, due contacts, calendar,
 * lines, rate. Not thread-safe: build, ask, drop.
 */
final class DialingFacts {
    private final Campaign campaign;
    private final Instant now;
    private WhyNotDialing asterisk;
    private WhyNotDialing trunk;
    private long dueNow = -1;
    private Instant nextDue;
    private boolean calendarClosed;
    private Instant calendarOpensAt;
    private LineUsage lineBlock;
    private LimitKey rateBlock;
    private Instant rateRetryAt;

    private DialingFacts(Campaign campaign, Instant now) {
        this.campaign = Objects.requireNonNull(campaign, "campaign");
        this.now = Objects.requireNonNull(now, "now");
    }

    public static DialingFacts of(Campaign campaign, Instant now) {
        return new DialingFacts(campaign, now);
    }

    public DialingFacts asteriskDown(String server, String detail) {
        asterisk = new WhyNotDialing.AsteriskDown(server, detail);
        return this;
    }

    public DialingFacts trunkDown(String trunkId, String detail) {
        trunk = new WhyNotDialing.TrunkDown(trunkId, detail);
        return this;
    }

    /** Contacts due by time now, and the next due time when there are none (null: none waiting). */
    public DialingFacts due(long count, Instant next) {
        dueNow = count;
        nextDue = next;
        return this;
    }

    /** The calendar is closed for the due contacts until {@code opensAt} (null: no opening left). */
    public DialingFacts calendarClosed(Instant opensAt) {
        calendarClosed = true;
        calendarOpensAt = opensAt;
        return this;
    }

    public DialingFacts lineBlocked(LineUsage usage) {
        lineBlock = usage;
        return this;
    }

    public DialingFacts rateBlocked(LimitKey key, Instant retryAt) {
        rateBlock = key;
        rateRetryAt = retryAt;
        return this;
    }

    /** The first reason it cannot dial, or empty when it can. */
    public Optional<WhyNotDialing> whyNot() {
        Optional<WhyNotDialing> byState = WhyNotDialing.fromState(campaign);
        if (byState.isPresent()) {
            return byState;
        }
        if (asterisk != null) {
            return Optional.of(asterisk);
        }
        if (trunk != null) {
            return Optional.of(trunk);
        }
        if (dueNow == 0) {
            return Optional.of(new WhyNotDialing.NoDueContacts(nextDue));
        }
        if (calendarClosed && (calendarOpensAt == null || calendarOpensAt.isAfter(now))) {
            return Optional.of(new WhyNotDialing.OutsideCalendar(calendarOpensAt));
        }
        if (lineBlock != null) {
            return Optional.of(new WhyNotDialing.LineLimit(lineBlock));
        }
        if (rateBlock != null) {
            return Optional.of(new WhyNotDialing.RateLimit(rateBlock, rateRetryAt));
        }
        return Optional.empty();
    }
}
