package io.outdial.dialer.dialing;

import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.calendar.ContactZones;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.dialing.CampaignScheduler.DialTask;
import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.ContactCounts;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.contact.PhoneRule;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.support.TestDatabases;
import io.outdial.ivr.spi.FlowResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An attempt's outcome is one transaction: the final call record, the contact's result and the stop-list add of a
 * flow's unsubscribe commit together, and a failure in the middle leaves none of them written.
 */
class AttemptOutcomeWriteTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final String PHONE = "+380501111111";
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    /** The parts one outcome touches, on one database. */
    private record Parts(CallRecordWriter records, JdbcContactStore contacts, JdbcStopList stopList,
                         LiveCounters counters, CampaignScheduler scheduler) { }

    private Parts parts(TestDatabases.TestDatabase db) {
        Database.migrate(db.dataSource());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        JdbcContactStore contacts = new JdbcContactStore(db.dataSource());
        JdbcStopList stopList = new JdbcStopList(db.dataSource(), clock, new PhoneNormalizer("UA"));
        LiveCounters counters = new LiveCounters(ContactCounts.ZERO);
        CallingCalendar always = CallingCalendar.builder().everyDay("00:00-24:00").build();
        CampaignScheduler scheduler = new CampaignScheduler("c1", contacts, stopList,
                AttemptRules.defaults(), always, PhoneRule.DEFAULT, new ContactZones(ZoneOffset.UTC),
                counters, clock, "node-a");
        contacts.insertAll(List.of(new JdbcContactStore.NewContact("c1", null,
                new PhoneSet(List.of(new Phone("mobile", PHONE, 0, false))), null, Map.of(), ContactState.WAITING,
                null, NOW.minusSeconds(60))));
        counters.imported(1, 0);
        return new Parts(new CallRecordWriter(Database.open(vertx, db.dataSource(), db.engine(), 4)), contacts,
                stopList, counters, scheduler);
    }

    private static CallRecord unsubscribedCall(DialTask task) {
        FlowResult flow = new FlowResult("f1", 1, List.of("start"), Map.of(), Map.of(), Map.of(), false, null, true,
                List.of(), FlowResult.Completion.COMPLETED, "bye");
        return new CallRecord("c1-" + task.contact().id() + "-1", "c1", Long.toString(task.contact().id()),
                task.e164(), "carrier", null, "ast1", "ch-1", CallState.ENDED, NOW, NOW.plusSeconds(1),
                NOW.plusSeconds(2), NOW.plusSeconds(30),
                new CallOutcome(OutcomeKind.ANSWERED, 16, "answered", flow), null, null, "", List.of());
    }

    private static <T> Future<T> settled(Future<T> f) {
        await().atMost(Duration.ofSeconds(10)).until(f::isComplete);
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.outdial.dialer.support.TestDatabases#both")
    void aFailureInTheMiddleOfTheOutcomeLeavesNothingHalfWritten(TestDatabases.TestDatabase db) {
        try (db) {
            Parts p = parts(db);
            DialTask task = p.scheduler().pick(1).tasks().get(0);
            CallRecord rec = unsubscribedCall(task);
            // the record and the contact's result are written in the transaction, then the stop-list add fails
            DialTask broken = new DialTask(task.contact(), task.phoneIndex(), "not a number", task.zones());
            ContactCounts before = p.counters().snapshot();

            Future<CampaignScheduler.Completion> failed = settled(AttemptOutcomeWrite.store(p.records(),
                    p.scheduler(), p.stopList(), broken, rec, OutcomeMapping.map(rec.outcome()), rec.endAt()));

            assertThat(failed.failed()).isTrue();
            assertThat(p.records().store().find(rec.attemptId())).as("call record rolled back").isEmpty();
            Contact contact = p.contacts().get(task.contact().id()).orElseThrow();
            assertThat(contact.state()).as("contact result rolled back").isEqualTo(ContactState.DIALING);
            assertThat(contact.attempts().total()).isZero();
            assertThat(p.stopList().isBlocked("c1", PHONE)).isFalse();
            assertThat(p.counters().snapshot()).as("counters move only after a commit").isEqualTo(before);

            // the retry of the same outcome (as the runner does after a failure) stores all three together
            Future<CampaignScheduler.Completion> stored = settled(AttemptOutcomeWrite.store(p.records(),
                    p.scheduler(), p.stopList(), task, rec, OutcomeMapping.map(rec.outcome()), rec.endAt()));
            assertThat(stored.succeeded()).isTrue();
            stored.result().afterCommit().run();
            assertThat(p.records().store().find(rec.attemptId())).get().extracting(CallRecord::state)
                    .isEqualTo(CallState.ENDED);
            Contact after = p.contacts().get(task.contact().id()).orElseThrow();
            assertThat(after.state()).isNotEqualTo(ContactState.DIALING);
            assertThat(after.attempts().total()).isEqualTo(1);
            assertThat(p.stopList().isBlocked("c1", PHONE)).as("unsubscribed in the flow").isTrue();
            assertThat(p.counters().snapshot().inProgress()).isZero();
        }
    }
}
