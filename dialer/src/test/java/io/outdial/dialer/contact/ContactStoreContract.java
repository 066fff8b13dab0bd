package io.outdial.dialer.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.attempt.ContactAttempts;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.support.DatabaseTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contact storage behaviour; runs on every database a subclass supplies. */
public abstract class ContactStoreContract implements DatabaseTest {
    protected static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    protected JdbcContactStore store;

    @BeforeEach
    void setUp() {
        store = new JdbcContactStore(dataSource());
    }

    static JdbcContactStore.NewContact waiting(String campaign, String phone, Instant due) {
        return new JdbcContactStore.NewContact(campaign, "ext-" + phone, new PhoneSet(List.of(
                new Phone("mobile", phone, 0, false))), null, Map.of("name", "N" + phone), ContactState.WAITING,
                null, due);
    }

    @Test
    void pickReturnsOnlyDueWaitingContactsOfTheCampaignOldestFirst() {
        store.insertAll(List.of(waiting("c1", "+380501111113", T0.plusSeconds(30)),
                waiting("c1", "+380501111111", T0.minusSeconds(60)),
                waiting("c1", "+380501111112", T0.plusSeconds(3600)),
                waiting("c2", "+380501111114", T0.minusSeconds(60))));
        List<Contact> picked = store.pickDue("c1", T0.plusSeconds(30), 10, "node-a");
        assertThat(picked).extracting(c -> c.phones().primary()).containsExactly("+380501111111", "+380501111113");
        assertThat(picked).allMatch(c -> c.state() == ContactState.DIALING);
        assertThat(picked.get(0).fields()).containsEntry("name", "N+380501111111");
        assertThat(store.pickDue("c1", T0.plusSeconds(30), 10, "node-a")).as("claimed ones are not picked again")
                .isEmpty();
    }

    @Test
    void concurrentPickersNeverGetTheSameContact() throws Exception {
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            list.add(waiting("c1", "+38050" + (1000000 + i), T0.minusSeconds(i)));
        }
        store.insertAll(list);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String owner = "node-" + w;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        List<Contact> got = store.pickDue("c1", T0, 7, owner);
                        if (got.isEmpty()) {
                            return;
                        }
                        for (Contact c : got) {
                            if (!seen.add(c.id())) {
                                synchronized (duplicates) {
                                    duplicates.add(c.id());
                                }
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(300);
    }

    @Test
    void attemptResultsMoveContactsBetweenCounters() {
        store.insertAll(List.of(waiting("c1", "+380501111111", T0), waiting("c1", "+380501111112", T0),
                waiting("c1", "+380501111113", T0), waiting("c1", "+380501111114", T0.plusSeconds(7200))));
        List<Contact> picked = store.pickDue("c1", T0, 3, "n");
        Instant end = T0.plusSeconds(40);
        ContactAttempts h = ContactAttempts.NONE.plus("BUSY", end, ZoneOffset.UTC);
        assertThat(store.recordAttempt(picked.get(0).id(), AttemptRules.Decided.retry(h,
                end.plus(Duration.ofMinutes(10)), "BUSY: retry"), picked.get(0).phones(), "BUSY", end)).isTrue();
        assertThat(store.recordAttempt(picked.get(1).id(), AttemptRules.Decided.close(h, ContactResult.SUCCESS,
                "done"), picked.get(1).phones(), "ANSWERED_COMPLETED", end)).isTrue();
        assertThat(store.recordAttempt(picked.get(1).id(), AttemptRules.Decided.close(h, ContactResult.SUCCESS,
                "done"), picked.get(1).phones(), "ANSWERED_COMPLETED", end)).as("only a DIALING contact takes a result")
                .isFalse();
        assertThat(store.counts("c1", end)).isEqualTo(new ContactCounts(4, 0, 2, 1, 1, 0, 0, 0, 0));
        Contact retried = store.get(picked.get(0).id()).orElseThrow();
        assertThat(retried.attempts().count("BUSY")).isEqualTo(1);
        assertThat(retried.nextAttemptAt()).isEqualTo(end.plus(Duration.ofMinutes(10)));
        assertThat(retried.lastOutcome()).isEqualTo("BUSY");
        assertThat(store.close(picked.get(2).id(), ContactResult.STOP_LISTED, "stop-listed at pick")).isTrue();
        assertThat(store.counts("c1", end).stopListed()).isEqualTo(1);
        assertThat(store.nextDueAt("c1")).contains(end.plus(Duration.ofMinutes(10)));
        assertThat(store.nextDueAt("nothing")).isEmpty();
        // the retry (end + 10 min) and the late one (T0 + 2 h) become due in their own windows, each counted once
        Instant retry = end.plus(Duration.ofMinutes(10));
        assertThat(store.becameDue("c1", end, retry.minusSeconds(1))).isZero();
        assertThat(store.becameDue("c1", end, retry)).isEqualTo(1);
        assertThat(store.becameDue("c1", retry, T0.plusSeconds(7199))).isZero();
        assertThat(store.becameDue("c1", retry, T0.plusSeconds(7200))).isEqualTo(1);
        assertThat(store.becameDue("c1", T0.minusSeconds(1), T0.plusSeconds(7200))).as("the due one too")
                .isEqualTo(2);
        assertThat(store.becameDue("nothing", T0, retry)).isZero();
        assertThat(store.hasOpenContacts("c1")).isTrue();
        assertThat(store.hasOpenContacts("nothing")).isFalse();
    }

    @Test
    void staleClaimsGoBackToWaitingAndUnclaimDoesNotCountAnAttempt() {
        store.insertAll(List.of(waiting("c1", "+380501111111", T0), waiting("c1", "+380501111112", T0)));
        List<Contact> picked = store.pickDue("c1", T0, 2, "dead-node");
        assertThat(store.unclaim(picked.get(0).id(), T0.plusSeconds(600))).isTrue();
        assertThat(store.get(picked.get(0).id()).orElseThrow().attempts().total()).isZero();
        assertThat(store.releaseStaleClaims("c1", T0.plusSeconds(1), T0.plusSeconds(300))).isEqualTo(1);
        assertThat(store.counts("c1", T0)).isEqualTo(new ContactCounts(2, 0, 2, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void pagesWalkOneCampaignInIdOrderByStateAndFindChecksTheCampaign() {
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            list.add(waiting(i % 2 == 0 ? "c1" : "c2", "+38050" + (2000000 + i), T0));
        }
        store.insertAll(list);
        List<Long> seen = new ArrayList<>();
        long after = 0;
        for (int round = 0; round < 10; round++) {
            List<JdbcContactStore.Listed> page = store.page("c1", null, after, 5);
            page.forEach(l -> seen.add(l.contact().id()));
            if (page.size() < 5) {
                break;
            }
            after = page.get(page.size() - 1).contact().id();
        }
        assertThat(seen).hasSize(13).isSorted().doesNotHaveDuplicates();
        assertThat(seen).allMatch(id -> store.get(id).orElseThrow().campaignId().equals("c1"));

        Contact closed = store.pickDue("c1", T0, 1, "n").get(0);
        assertThat(store.close(closed.id(), ContactResult.STOP_LISTED, "stop-listed at pick")).isTrue();
        List<JdbcContactStore.Listed> closedPage = store.page("c1", ContactState.CLOSED, 0, 50);
        assertThat(closedPage).hasSize(1);
        assertThat(closedPage.get(0).contact().id()).isEqualTo(closed.id());
        assertThat(closedPage.get(0).contact().result()).isEqualTo("STOP_LISTED");
        assertThat(closedPage.get(0).resultReason()).isEqualTo("stop-listed at pick");
        assertThat(store.page("c1", ContactState.WAITING, 0, 50)).hasSize(12)
                .allMatch(l -> l.resultReason() == null);
        assertThat(store.page("c1", null, seen.get(seen.size() - 1), 50)).isEmpty();

        assertThat(store.find("c1", closed.id())).map(l -> l.contact().phones().primary())
                .contains(closed.phones().primary());
        assertThat(store.find("c2", closed.id())).as("another campaign's contact").isEmpty();
        assertThat(store.find("c1", Long.MAX_VALUE)).isEmpty();
    }
}
