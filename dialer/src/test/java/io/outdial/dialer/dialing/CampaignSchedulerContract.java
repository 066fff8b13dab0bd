package io.outdial.dialer.dialing;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.calendar.ContactZones;
import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.ContactCounts;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.contact.PhoneRule;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.stoplist.StopList;
import io.outdial.dialer.support.DatabaseTest;
import io.outdial.dialer.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler over real storage: pick, stop-list at both check points, calendar, rules, counters. */
public abstract class CampaignSchedulerContract implements DatabaseTest {
    private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");
    private static final Instant MONDAY_10 = LocalDateTime.parse("2026-11-23T10:00").atZone(KYIV).toInstant();
    private final MutableClock clock = new MutableClock(MONDAY_10);
    private JdbcContactStore contacts;
    private JdbcStopList stopList;
    private LiveCounters counters;
    private CampaignScheduler scheduler;

    @BeforeEach
    void setUp() {
        contacts = new JdbcContactStore(dataSource());
        stopList = new JdbcStopList(dataSource(), clock, new PhoneNormalizer("UA"));
        counters = new LiveCounters(ContactCounts.ZERO);
        CallingCalendar cal = CallingCalendar.builder().weekdays("09:00-18:00").build();
        scheduler = new CampaignScheduler("c1", contacts, stopList, AttemptRules.defaults(), cal,
                PhoneRule.DEFAULT, new ContactZones(KYIV), counters, clock, "node-a");
    }

    private void add(String phone, String zone) {
        contacts.insertAll(List.of(new JdbcContactStore.NewContact("c1", null,
                new PhoneSet(List.of(new Phone("mobile", phone, 0, false))), zone, Map.of(), ContactState.WAITING,
                null, MONDAY_10.minusSeconds(60))));
        counters.imported(1, 0);
    }

    @Test
    void busyContactRetriesInsideCalendarWindowFromTheAttemptEnd() {
        add("+380501111111", null);
        CampaignScheduler.Pick pick = scheduler.pick(10);
        assertThat(pick.tasks()).hasSize(1);
        assertThat(counters.snapshot().inProgress()).isEqualTo(1);
        Instant end = MONDAY_10.plusSeconds(25);
        AttemptRules.Decided d = scheduler.complete(pick.tasks().get(0), AttemptOutcome.BUSY, null, end);
        assertThat(d.closedWith()).isEmpty();
        assertThat(d.retryTime()).contains(end.plus(Duration.ofMinutes(10)));
        clock.set(end.plus(Duration.ofMinutes(9)));
        assertThat(scheduler.pick(10).tasks()).as("not due yet").isEmpty();
        clock.set(end.plus(Duration.ofMinutes(10)));
        CampaignScheduler.Pick again = scheduler.pick(10);
        assertThat(again.tasks()).hasSize(1);
        assertThat(again.tasks().get(0).contact().attempts().total()).isEqualTo(1);
        scheduler.complete(again.tasks().get(0), AttemptOutcome.ANSWERED_COMPLETED, null, clock.instant());
        assertThat(contacts.counts("c1", clock.instant())).isEqualTo(new ContactCounts(1, 0, 0, 0, 1, 0, 0, 0, 0));
        assertThat(counters.snapshot().closedSuccess()).isEqualTo(1);
    }

    @Test
    void stopListedNumberIsNeverHandedOutAtPickOrDialedAfterALateAdd() {
        add("+380501111111", null);
        add("+380502222222", null);
        stopList.add(StopList.GLOBAL, "+380501111111", "asked", "manual");
        CampaignScheduler.Pick pick = scheduler.pick(10);
        assertThat(pick.stopListed()).isEqualTo(1);
        assertThat(pick.tasks()).extracting(CampaignScheduler.DialTask::e164).containsExactly("+380502222222");
        stopList.add("c1", "+380502222222", "ivr unsubscribe", "ivr-unsubscribe");
        assertThat(scheduler.beforeOriginate(pick.tasks().get(0))).isFalse();
        assertThat(contacts.counts("c1", clock.instant()).stopListed()).isEqualTo(2);
        assertThat(counters.snapshot().stopListed()).isEqualTo(2);
    }

    @Test
    void contactsTheGateHoldsAreHeldNotDialedUntilHandedOverAndKeepTheCampaignOpen() {
        add("+380501111111", null);
        add("+380502222222", null);
        Set<Long> handedOver = new HashSet<>();
        CampaignScheduler gated = new CampaignScheduler("c1", contacts, stopList, AttemptRules.defaults(),
                CallingCalendar.builder().weekdays("09:00-18:00").build(), PhoneRule.DEFAULT,
                new ContactZones(KYIV), counters, clock, "node-a", (campaign, claimed) -> claimed.stream()
                .map(Contact::id).filter(id -> !handedOver.contains(id)).collect(Collectors.toSet()));
        assertThat(gated.pick(10).tasks()).as("both held").isEmpty();
        assertThat(contacts.page("c1", ContactState.HELD, 0, 10)).hasSize(2);
        assertThat(contacts.hasOpenContacts("c1")).as("a held contact keeps the campaign open").isTrue();
        assertThat(contacts.counts("c1", clock.instant()).planned()).isEqualTo(2);
        long first = contacts.page("c1", ContactState.HELD, 0, 10).get(0).contact().id();
        assertThat(gated.pick(10).tasks()).as("held contacts are not picked").isEmpty();

        handedOver.add(first);
        assertThat(contacts.release(first, clock.instant())).isTrue();
        assertThat(contacts.release(first, clock.instant())).as("only a held contact is released").isFalse();
        assertThat(gated.pick(10).tasks()).extracting(t -> t.contact().id()).containsExactly(first);
        long second = contacts.page("c1", ContactState.HELD, 0, 10).get(0).contact().id();
        contacts.close(second, ContactResult.FAILURE, "not called");
        assertThat(contacts.page("c1", ContactState.HELD, 0, 10)).isEmpty();
    }

    @Test
    void contactsTheGateClosesAreClosedAtThePickOrBeforeTheOriginateAndNeverDialed() {
        add("+380501111111", null);
        add("+380502222222", null);
        add("+380503333333", null);
        Map<Long, DialGate.Closing> closing = new java.util.concurrent.ConcurrentHashMap<>();
        DialGate gate = new DialGate() {
            @Override
            public Set<Long> held(String campaignId, List<Contact> claimed) {
                return verdict(campaignId, claimed).held();
            }

            @Override
            public Verdict verdict(String campaignId, List<Contact> claimed) {
                return new Verdict(Set.of(), claimed.stream().filter(c -> closing.containsKey(c.id()))
                        .collect(Collectors.toMap(Contact::id, c -> closing.get(c.id()))));
            }
        };
        CampaignScheduler gated = new CampaignScheduler("c1", contacts, stopList, AttemptRules.defaults(),
                CallingCalendar.builder().weekdays("09:00-18:00").build(), PhoneRule.DEFAULT,
                new ContactZones(KYIV), counters, clock, "node-a", gate);
        List<Long> ids = contacts.page("c1", ContactState.WAITING, 0, 10).stream().map(l -> l.contact().id())
                .sorted().collect(Collectors.toList());
        closing.put(ids.get(0), new DialGate.Closing(ContactResult.FAILURE, "not called: left at the pick"));
        CampaignScheduler.Pick pick = gated.pick(10);
        assertThat(pick.tasks()).extracting(t -> t.contact().id()).containsExactly(ids.get(1), ids.get(2));

        // between the pick and the originate the second one's run left its voice block
        closing.put(ids.get(1), new DialGate.Closing(ContactResult.FAILURE, "not called: left before the originate"));
        assertThat(gated.beforeOriginate(pick.tasks().get(0))).isFalse();
        assertThat(gated.beforeOriginate(pick.tasks().get(1))).isTrue();
        assertThat(contacts.get(ids.get(0)).orElseThrow().state()).isEqualTo(ContactState.CLOSED);
        assertThat(contacts.get(ids.get(1)).orElseThrow().state()).isEqualTo(ContactState.CLOSED);
        assertThat(contacts.get(ids.get(1)).orElseThrow().result()).isEqualTo(ContactResult.FAILURE.name());
        assertThat(contacts.get(ids.get(1)).orElseThrow().attempts().total()).isZero();
        assertThat(contacts.counts("c1", clock.instant()).closedNoSuccess()).isEqualTo(2);
        assertThat(counters.snapshot().closedNoSuccess()).isEqualTo(2);
    }

    @Test
    void contactOutsideItsLocalWindowWaitsForItsNextOpening() {
        add("+12125550123", null); // New York: 03:00 local when Kyiv is 10:00
        add("+380501111111", null);
        CampaignScheduler.Pick pick = scheduler.pick(10);
        assertThat(pick.tasks()).extracting(CampaignScheduler.DialTask::e164).containsExactly("+380501111111");
        assertThat(pick.deferred()).isEqualTo(1);
        Instant nyNine = LocalDateTime.parse("2026-11-23T09:00").atZone(ZoneId.of("America/New_York")).toInstant();
        assertThat(pick.calendarOpensAt()).contains(nyNine);
        assertThat(contacts.nextDueAt("c1")).contains(nyNine);
    }

    @Test
    void contactThatCouldNotStartWaitsWithoutAnAttemptCounted() {
        add("+380501111111", null);
        CampaignScheduler.DialTask t = scheduler.pick(1).tasks().get(0);
        scheduler.giveBack(t, clock.instant().plusSeconds(1));
        clock.set(clock.instant().plusSeconds(1));
        CampaignScheduler.DialTask again = scheduler.pick(1).tasks().get(0);
        assertThat(again.contact().attempts().total()).isZero();
        assertThat(counters.snapshot().inProgress()).isEqualTo(1);
    }

    @Test
    void invalidNumberMovesToTheNextNumberThenCloses() {
        contacts.insertAll(List.of(new JdbcContactStore.NewContact("c1", null, new PhoneSet(List.of(
                new Phone("mobile", "+380501111111", 0, false), new Phone("work", "+380442222222", 0, false))), null,
                Map.of(), ContactState.WAITING, null, MONDAY_10)));
        counters.imported(1, 0);
        CampaignScheduler.DialTask first = scheduler.pick(1).tasks().get(0);
        assertThat(first.e164()).isEqualTo("+380501111111");
        AttemptRules.Decided d = scheduler.complete(first, AttemptOutcome.INVALID_NUMBER, null, clock.instant());
        clock.set(d.retryTime().orElseThrow());
        CampaignScheduler.DialTask second = scheduler.pick(1).tasks().get(0);
        assertThat(second.e164()).isEqualTo("+380442222222");
        AttemptRules.Decided last = scheduler.complete(second, AttemptOutcome.INVALID_NUMBER, null, clock.instant());
        assertThat(last.retryTime()).isEmpty();
        assertThat(last.closedWith()).contains(ContactResult.NO_VALID_NUMBER);
        assertThat(contacts.counts("c1", clock.instant()).noValidNumber()).isEqualTo(1);
    }

    @Test
    void aPickThatFailsHalfwayHandsBackEveryContactItClaimed() {
        add("+380501111111", null);
        add("+380502222222", null);
        add("+380503333333", null);
        StopList failing = (campaign, e164) -> {
            if (e164.equals("+380502222222")) {
                throw new IllegalStateException("stop-list read failed (test)");
            }
            return false;
        };
        CallingCalendar cal = CallingCalendar.builder().weekdays("09:00-18:00").build();
        CampaignScheduler broken = new CampaignScheduler("c1", contacts, failing,
                AttemptRules.defaults(), cal, PhoneRule.DEFAULT, new ContactZones(KYIV), counters,
                clock, "node-a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.pick(10))
                .hasMessageContaining("stop-list read failed");
        assertThat(contacts.dialingIds("c1")).as("no contact left DIALING without a call").isEmpty();
        assertThat(contacts.counts("c1", clock.instant()).availableNow()).isEqualTo(3);
        assertThat(scheduler.pick(10).tasks()).as("all three are picked again").hasSize(3);
    }
}
