package io.outdial.dialer.dialing;

import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.calendar.ContactZones;
import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.ContactCounts;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.PhoneRule;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.stoplist.StopList;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running campaign's dialing decisions around the call engine: picks due contacts (claimed, checked
 * against the stop-list and the calendar in each contact's zones), re-checks the stop-list just before the
 * originate, hands back contacts that could not start, and applies the attempt rules to each outcome.
 * Blocking (JDBC): call from a worker. One instance per campaign on its owner node.
 */
final class CampaignScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignScheduler.class);

    private final String campaignId;
    private final JdbcContactStore contacts;
    private final StopList stopList;
    private final AttemptRules rules;
    private final CallingCalendar calendar;
    private final PhoneRule phoneRule;
    private final ContactZones zones;
    private final LiveCounters counters;
    private final Clock clock;
    private final String owner;
    private final DialGate gate;

    public CampaignScheduler(String campaignId, JdbcContactStore contacts, StopList stopList, AttemptRules rules,
                             CallingCalendar calendar, PhoneRule phoneRule, ContactZones zones, LiveCounters counters,
                             Clock clock, String owner) {
        this(campaignId, contacts, stopList, rules, calendar, phoneRule, zones, counters, clock, owner, DialGate.OPEN);
    }

    /** As above; contacts {@code gate} holds are not dialed but set HELD. */
    public CampaignScheduler(String campaignId, JdbcContactStore contacts, StopList stopList, AttemptRules rules,
                             CallingCalendar calendar, PhoneRule phoneRule, ContactZones zones, LiveCounters counters,
                             Clock clock, String owner, DialGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.campaignId = Objects.requireNonNull(campaignId, "campaignId");
        this.contacts = Objects.requireNonNull(contacts, "contacts");
        this.stopList = Objects.requireNonNull(stopList, "stopList");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        this.phoneRule = Objects.requireNonNull(phoneRule, "phoneRule");
        this.zones = Objects.requireNonNull(zones, "zones");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** A claimed contact ready to dial on number {@code phoneIndex} ({@code e164}). */
    public record DialTask(Contact contact, int phoneIndex, String e164, List<ZoneId> zones) {
        public DialTask {
            zones = List.copyOf(zones);
        }
    }

    /**
     * The result of a pick.
     *
     * @param tasks contacts to dial now, oldest due first
     * @param stopListed contacts closed because their number is stop-listed
     * @param deferred contacts put back because the calendar is closed for them
     * @param calendarOpensAt the earliest reopening among deferred ones, if any
     */
    public record Pick(List<DialTask> tasks, int stopListed, int deferred, Optional<Instant> calendarOpensAt) {
        public Pick {
            tasks = List.copyOf(tasks);
        }
    }

    /** Claims up to {@code limit} due contacts and filters them (stop-list, calendar, a number to dial). */
    public Pick pick(int limit) {
        Instant now = clock.instant();
        List<Contact> claimed = contacts.pickDue(campaignId, now, limit, owner);
        counters.picked(claimed.size());
        claimed = withoutHeld(claimed);
        List<DialTask> tasks = new ArrayList<>();
        int blocked = 0;
        int deferred = 0;
        Instant opensAt = null;
        int i = 0;
        try {
            for (; i < claimed.size(); i++) {
                Contact c = claimed.get(i);
                List<ZoneId> z = zones.zonesFor(c.timeZone(), c.phones().primary());
                if (!calendar.isOpen(now, z)) {
                    Optional<Instant> next = calendar.nextOpen(now, z);
                    if (next.isEmpty()) {
                        closeContact(c, ContactResult.NO_WINDOW, "no calendar opening left");
                    } else {
                        contacts.unclaim(c.id(), next.get());
                        counters.planned();
                        deferred++;
                        opensAt = opensAt == null || next.get().isBefore(opensAt) ? next.get() : opensAt;
                    }
                    continue;
                }
                Optional<Integer> idx = phoneRule.choose(c.phones(), now.atZone(z.get(0)).toLocalTime());
                if (idx.isEmpty()) {
                    closeContact(c, ContactResult.NO_VALID_NUMBER, "no valid number left");
                    continue;
                }
                String e164 = c.phones().get(idx.get()).e164();
                if (stopList.isBlocked(campaignId, e164)) {
                    closeContact(c, ContactResult.STOP_LISTED, "stop-listed at pick: " + e164);
                    blocked++;
                    continue;
                }
                tasks.add(new DialTask(c, idx.get(), e164, z));
            }
        } catch (RuntimeException e) {
            // The claims are committed: hand back every contact this pick did not settle, so none stays DIALING
            // with no call behind it (nothing else would release it while the node runs).
            List<Long> back = new ArrayList<>();
            tasks.forEach(t -> back.add(t.contact().id()));
            for (int j = i; j < claimed.size(); j++) {
                back.add(claimed.get(j).id());
            }
            List<Long> stuck = new ArrayList<>();
            for (long id : back) {
                try {
                    if (contacts.unclaim(id, now)) {
                        counters.planned();
                    }
                } catch (RuntimeException again) {
                    stuck.add(id);
                }
            }
            throw new PickFailed(e, stuck);
        }
        return new Pick(tasks, blocked, deferred, Optional.ofNullable(opensAt));
    }

    /** The claimed contacts the gate lets through; the others are set HELD (a failure hands them all back). */
    private List<Contact> withoutHeld(List<Contact> claimed) {
        if (claimed.isEmpty()) {
            return claimed;
        }
        DialGate.Verdict verdict;
        try {
            verdict = gate.verdict(campaignId, claimed);
        } catch (RuntimeException e) {
            Instant now = clock.instant();
            claimed.forEach(c -> contacts.unclaim(c.id(), now));
            throw e;
        }
        if (verdict.held().isEmpty() && verdict.closed().isEmpty()) {
            return claimed;
        }
        List<Contact> out = new ArrayList<>();
        for (Contact c : claimed) {
            DialGate.Closing closing = verdict.closed().get(c.id());
            if (closing != null) {
                closeContact(c, closing.result(), closing.reason());
            } else if (!verdict.held().contains(c.id())) {
                out.add(c);
            } else if (contacts.hold(c.id())) {
                counters.planned();
            }
        }
        return out;
    }

    /**
     * Whether the contact's calling window is open at {@code now} in its zones: asked again as the originate request
     * is about to leave, since a request may wait for its rate token past the window's end.
     */
    public boolean inCallingWindow(DialTask task, Instant now) {
        return calendar.isOpen(now, task.zones());
    }

    /**
     * The last check before the originate: false (and the contact closed) if the number was stop-listed since
     * the pick, or the gate closes the contact (its cascade run left the voice block since the pick). The caller
     * then releases the line lease and does not dial.
     */
    public boolean beforeOriginate(DialTask task) {
        return beforeOriginate(null, task);
    }

    /**
     * As {@link #beforeOriginate(DialTask)}, on {@code tx} inside the caller's transaction (the one that writes the
     * attempt row when this answers true); null: connections of its own.
     */
    public boolean beforeOriginate(Connection tx, DialTask task) {
        boolean blocked = tx == null ? stopList.isBlocked(campaignId, task.e164())
                : stopList.isBlocked(tx, campaignId, task.e164());
        if (blocked) {
            closeContact(tx, task.contact(), ContactResult.STOP_LISTED, "stop-listed before originate: "
                    + task.e164());
            return false;
        }
        DialGate.Closing closing = gate.verdict(campaignId, List.of(task.contact())).closed()
                .get(task.contact().id());
        if (closing != null) {
            closeContact(tx, task.contact(), closing.result(), closing.reason());
            return false;
        }
        return true;
    }

    /** The task did not start (line or rate limit, shutdown): it waits again until {@code at}, no attempt counted. */
    public void giveBack(DialTask task, Instant at) {
        giveBack(task.contact().id(), at);
    }

    /** A claimed contact that was not dialed waits again until {@code at} (no attempt counted). */
    public void giveBack(long contactId, Instant at) {
        if (contacts.unclaim(contactId, at)) {
            counters.planned();
        }
    }

    /**
     * As {@link #giveBack(DialTask, Instant)}, on {@code tx} inside the caller's transaction; returns the update of
     * the live counters to run once that transaction has committed.
     */
    public Runnable giveBack(Connection tx, DialTask task, Instant at) {
        boolean unclaimed = contacts.unclaim(tx, task.contact().id(), at);
        return unclaimed ? counters::planned : () -> { };
    }

    /**
     * A pick that failed after its claims were committed. Every claimed contact it did not settle was handed back,
     * except {@link #stuck()}: those could not be (the database is failing); the caller hands them back later.
     */
    public static final class PickFailed extends RuntimeException {
        private final transient List<Long> stuck;

        PickFailed(RuntimeException cause, List<Long> stuck) {
            super("pick failed after claiming: " + cause.getMessage(), cause);
            this.stuck = List.copyOf(stuck);
        }

        /** Contacts still claimed (DIALING) with no call behind them. */
        public List<Long> stuck() {
            return stuck;
        }
    }

    /**
     * Applies the attempt rules to a finished attempt and stores the result.
     *
     * @param attemptEnd when the attempt really ended (retry delays count from it)
     */
    public AttemptRules.Decided complete(DialTask task, AttemptOutcome outcome, String flowResult,
                                         Instant attemptEnd) {
        Completion done = complete(null, task, outcome, flowResult, attemptEnd);
        done.afterCommit().run();
        return done.decision();
    }

    /**
     * What storing an attempt's result decided.
     *
     * @param decision    the rules' decision for the contact (its updated history, the retry time or the result)
     * @param afterCommit the update of the live counters, to run once the transaction that stored it committed
     */
    public record Completion(AttemptRules.Decided decision, Runnable afterCommit) { }

    /**
     * As {@link #complete(DialTask, AttemptOutcome, String, Instant)}, on {@code tx} inside the caller's transaction
     * (the outcome's: call record, contact result and stop-list add commit together); null: a connection of its own.
     * The live counters change only when the caller runs {@link Completion#afterCommit()}.
     */
    public Completion complete(Connection tx, DialTask task, AttemptOutcome outcome, String flowResult,
                               Instant attemptEnd) {
        Contact c = task.contact();
        boolean reached = outcome == AttemptOutcome.ANSWERED_COMPLETED || outcome == AttemptOutcome.LEFT_EARLY
                || outcome == AttemptOutcome.MACHINE || outcome == AttemptOutcome.ANSWERED_NO_GOAL;
        boolean invalid = outcome == AttemptOutcome.INVALID_NUMBER;
        PhoneSet phones = outcome == AttemptOutcome.LOST ? c.phones()
                : c.phones().afterAttempt(task.phoneIndex(), reached, invalid);
        AttemptRules.Decided d = rules.decide(calendar, c.attempts(), outcome, flowResult, attemptEnd, task.zones(),
                phones.otherDialable(task.phoneIndex()));
        String key = flowResult == null ? outcome.name() : outcome.name() + ":" + flowResult;
        Runnable count = () -> { };
        if (contacts.recordAttempt(tx, c.id(), d, phones, key, attemptEnd)) {
            if (d.closedWith().isPresent()) {
                ContactResult closed = d.closedWith().get();
                count = () -> counters.closed(closed);
            } else {
                count = counters::planned;
            }
        } else {
            LOG.warn("campaign {} contact {}: attempt result {} arrived for a contact no longer dialing; ignored",
                    campaignId, c.id(), key);
        }
        LOG.info("campaign {} contact {} number {}: {} -> {}", campaignId, c.id(), task.e164(), key, d.decision());
        return new Completion(d, count);
    }

    private void closeContact(Contact c, ContactResult result, String reason) {
        closeContact(null, c, result, reason);
    }

    private void closeContact(Connection tx, Contact c, ContactResult result, String reason) {
        if (contacts.close(tx, c.id(), result, reason)) {
            counters.closed(result);
        }
        LOG.info("campaign {} contact {}: closed {} ({})", campaignId, c.id(), result, reason);
    }

    public String campaignId() {
        return campaignId;
    }

    /** The campaign's live counters now. */
    public ContactCounts counters() {
        return counters.snapshot();
    }

    /** {@code n} planned contacts became due since the last read ({@link JdbcContactStore#becameDue}). */
    public void countersBecameDue(long n) {
        counters.becameDue(n);
    }

    /** Replaces the live counters with a fresh database snapshot ({@link JdbcContactStore#counts}). */
    public void resyncCounters(ContactCounts fromStore) {
        counters.resync(fromStore);
    }
}
