package io.outdial.dialer.dialing;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.calendar.ContactZones;
import io.outdial.dialer.contact.ContactCounts;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.contact.PhoneRule;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.stoplist.StopList;
import io.outdial.dialer.support.MutableClock;
import io.outdial.dialer.support.MigratedDatabases;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Whatever the order of stop-list changes, picks, originates and outcomes, no number that is stop-listed
 * (globally or for the campaign) at the moment of the originate is dialed.
 */
class StopListAlwaysWinsPropertyTest {
    private static final List<String> NUMBERS = List.of("+380501000001", "+380501000002", "+380501000003",
            "+380501000004", "+380501000005", "+380501000006", "+380501000007", "+380501000008");

    @Property(tries = 20)
    void noPathDialsAStopListedNumber(@ForAll long seed) {
        Random rnd = new Random(seed);
        DataSource ds = MigratedDatabases.h2();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
        JdbcContactStore contacts = new JdbcContactStore(ds);
        JdbcStopList stopList = new JdbcStopList(ds, clock, new PhoneNormalizer("UA"));
        CampaignScheduler scheduler = new CampaignScheduler("c1", contacts, stopList,
                AttemptRules.defaults().withCaps(6, 6), CallingCalendar.alwaysOpen(),
                new PhoneRule(List.of(), 1), new ContactZones(ZoneOffset.UTC), new LiveCounters(ContactCounts.ZERO),
                clock, "n");
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            List<Phone> phones = new ArrayList<>();
            for (String n : NUMBERS) {
                if (phones.size() < 3 && rnd.nextInt(4) == 0 && phones.stream().noneMatch(p -> p.e164().equals(n))) {
                    phones.add(new Phone("p" + phones.size(), n, 0, false));
                }
            }
            if (phones.isEmpty()) {
                phones.add(new Phone("p0", NUMBERS.get(rnd.nextInt(NUMBERS.size())), 0, false));
            }
            list.add(new JdbcContactStore.NewContact("c1", null, new PhoneSet(phones), null, Map.of(),
                    ContactState.WAITING, null, clock.instant()));
        }
        contacts.insertAll(list);
        Set<String> blockedForC1 = new HashSet<>();
        Set<String> global = new HashSet<>();
        Set<String> campaign = new HashSet<>();
        List<CampaignScheduler.DialTask> picked = new ArrayList<>();
        for (int step = 0; step < 120; step++) {
            int op = rnd.nextInt(6);
            String n = NUMBERS.get(rnd.nextInt(NUMBERS.size()));
            if (op == 0) {
                String scope = rnd.nextInt(3) == 0 ? "c2" : rnd.nextBoolean() ? StopList.GLOBAL : "c1";
                stopList.add(scope, n, null, "test");
                (scope.equals(StopList.GLOBAL) ? global : scope.equals("c1") ? campaign : new HashSet<String>()).add(n);
            } else if (op == 1) {
                String scope = rnd.nextBoolean() ? StopList.GLOBAL : "c1";
                stopList.remove(scope, n);
                (scope.equals(StopList.GLOBAL) ? global : campaign).remove(n);
            } else if (op == 2) {
                for (CampaignScheduler.DialTask t : scheduler.pick(1 + rnd.nextInt(3)).tasks()) {
                    blockedForC1.clear();
                    blockedForC1.addAll(global);
                    blockedForC1.addAll(campaign);
                    assertThat(blockedForC1).as("picked %s", t.e164()).doesNotContain(t.e164());
                    picked.add(t);
                }
            } else if (op == 3 && !picked.isEmpty()) {
                CampaignScheduler.DialTask t = picked.remove(rnd.nextInt(picked.size()));
                if (scheduler.beforeOriginate(t)) {
                    assertThat(global).as("dialed %s", t.e164()).doesNotContain(t.e164());
                    assertThat(campaign).as("dialed %s", t.e164()).doesNotContain(t.e164());
                    AttemptOutcome o = AttemptOutcome.values()[rnd.nextInt(AttemptOutcome.values().length)];
                    scheduler.complete(t, o, null, clock.instant().plusSeconds(rnd.nextInt(60)));
                }
            } else {
                clock.set(clock.instant().plusSeconds(60L * rnd.nextInt(180)));
            }
        }
    }
}
