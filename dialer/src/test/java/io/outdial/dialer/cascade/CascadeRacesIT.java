package io.outdial.dialer.cascade;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.SqlCount;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.CostEntry;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.store.Step;
import io.outdial.sandbox.smsc.RecipientScript;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.outdial.sandbox.smsc.SubmittedSm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The races of messaging fallback on a node's own cascade component, its database store and the sandbox SMSC over
 * real SMPP: duplicate receipts, a receipt before the submit response, a receipt after the decision time, a reply
 * after the fallback SMS went out, and the SMSC unbinding every session while 20 runs send. The contacts' dialing
 * ended before (closed without a call), so their voice block takes its error link to the SMS. On H2 and on
 * PostgreSQL.
 */
class CascadeRacesIT {
    private static final String DUP = "+33612349001";
    private static final String EARLY = "+33612349002";
    private static final String LATE = "+33612349003";
    private static final String REPLY = "+33612349004";
    private static final int BULK = 20;
    private static final String SCHEME = String.join("\n",
        "id: races",
        "version: 1",
        "start: call",
        "blocks:",
        "  call:",
        "    type: voice",
        "    content: { flow: none }",
        "    decisionTime: PT1H",
        "    links:",
        "      - { on: error, next: sms }",
        "      - { on: timeout, next: done }",
        "  sms:",
        "    type: sms",
        "    content: { text: \"first\" }",
        "    decisionTime: PT4S",
        "    links:",
        "      - { on: status, status: delivered, next: delivered }",
        "      - { on: reply, contains: \"yes\", next: replied }",
        "      - { on: timeout, next: fallback }",
        "  fallback:",
        "    type: sms",
        "    content: { text: \"second\" }",
        "    decisionTime: PT8S",
        "    links:",
        "      - { on: status, status: undelivered, next: done }",
        "      - { on: timeout, next: done }",
        "  delivered:",
        "    type: goal",
        "    name: delivered",
        "  replied:",
        "    type: goal",
        "    name: replied",
        "  done:",
        "    type: end",
        "");
    @TempDir
    Path dataDir;
    private SandboxSmsc smsc;
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 60);
        }
        if (smsc != null) {
            smsc.close();
        }
    }

    static Stream<String> engines() {
        return Stream.of("H2", "PostgreSQL");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    @Timeout(180)
    void duplicateEarlyAndLateReceiptsALateReplyAndAnUnbindSendNothingTwiceAndLoseNothing(String engine)
            throws Exception {
        smsc = new SandboxSmsc("outdial", "races");
        int port = smsc.start();
        smsc.script(DUP, RecipientScript.receiptTwice(Duration.ofMillis(100)));
        smsc.script(EARLY, RecipientScript.receiptBeforeResponse());
        smsc.script(LATE, RecipientScript.deliverAfter(Duration.ofSeconds(7)));
        smsc.script(REPLY, RecipientScript.neverAnswer());
        DialerConfig config = TestConfigs.local(dataDir);
        if (engine.equals("PostgreSQL")) {
            config = config.withDatabase(new DatabaseConfig(EmbeddedPostgres.get().createDatabase(), "postgres", "",
                dataDir.toString(), 4, Duration.ofSeconds(5)));
        }
        app = DialerApp.create(config.withSmsc(List.of(SmscConfig.of("smsc1", "127.0.0.1", port,
            "outdial", "RACES_PASSWORD", "Outdial").withTimers(Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMinutes(2)))));
        CascadeComponent cascade = Wiring.cascade(app, app.config().smsc(), n -> "races", List.of(),
            new PricePlan(Map.of(ChannelType.SMS, 3L), false));
        Await.result(app.start(), 120); // a ceiling for a loaded machine, not a measure
        var ds = app.database().dataSource();
        assertThat(cascade.schemes().save("races", SCHEME, SchemeDocuments.Format.YAML).version().valid()).isTrue();
        JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, Clock.systemUTC());
        CampaignFile def = CampaignFile.parse(new ObjectMapper().readTree(
            "{\"id\":\"races\",\"region\":\"FR\",\"scheme\":\"races\"}"), null, "test");
        campaigns.create(def.draft(Instant.now()));
        campaigns.moveTo(campaigns.get("races").orElseThrow(), CampaignState.RUNNING, "test");
        List<String> numbers = new ArrayList<>(List.of(DUP, EARLY, LATE, REPLY));
        for (int i = 0; i < BULK; i++) {
            numbers.add(String.format("+336123480%02d", i));
        }
        List<JdbcContactStore.NewContact> contacts = new ArrayList<>();
        for (String n : numbers) {
            contacts.add(new JdbcContactStore.NewContact("races", n, new PhoneSet(List.of(new Phone("mobile", n, 0,
                false))), "UTC", Map.of(), ContactState.CLOSED, ContactResult.EXHAUSTED, Instant.now()));
        }
        new JdbcContactStore(ds).insertAll(contacts);

        // the SMSC drops every session while the bulk sends; the binds come back, receipts held are delivered then
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> smsc.submitted().size() >= 6);
        smsc.faults().unbindAll();

        JdbcRunStore runs = cascade.runs();
        // a reply once the fallback went out: kept and counted, it moves nothing and sends nothing
        String replyRun = runId(ds, REPLY);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
            runs.run(replyRun).map(r -> "fallback".equals(r.blockId()) && r.state() == RunState.WAITING).orElse(false));
        smsc.sendMo(REPLY, "Outdial", "yes");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
            assertThat(SqlCount.of(app.database(), "SELECT COUNT(*) FROM cascade_run WHERE campaign_id = 'races'"
                + " AND state = 'DONE'")).isEqualTo(numbers.size()));

        Map<String, Long> perNumber = smsc.submitted().stream().collect(Collectors.groupingBy(SubmittedSm::dest,
            Collectors.counting()));
        // duplicates: one SMS, delivered once
        assertThat(path(runs, DUP, ds)).containsExactly("call", "sms", "delivered");
        assertThat(perNumber.get(DUP)).isEqualTo(1);
        MessageRecord dup = runs.messages(runId(ds, DUP)).get(1);
        assertThat(dup.status()).isEqualTo(Status.DELIVERED);
        // the receipt before the submit response waited for it and moved the run
        assertThat(path(runs, EARLY, ds)).containsExactly("call", "sms", "delivered");
        assertThat(perNumber.get(EARLY)).isEqualTo(1);
        // the receipt after the decision time: recorded and costed once, the timeout decided, one fallback only
        String late = runId(ds, LATE);
        assertThat(path(runs, LATE, ds)).containsExactly("call", "sms", "fallback", "done");
        assertThat(perNumber.get(LATE)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
            runs.messages(late).get(1).status() == Status.DELIVERED);
        assertThat(runs.costs(late)).extracting(CostEntry::amount).containsExactly(3L, 3L);
        // the late reply: kept with the run, counted, no third SMS, the run ended on its timeout
        assertThat(path(runs, REPLY, ds)).containsExactly("call", "sms", "fallback", "done");
        assertThat(perNumber.get(REPLY)).isEqualTo(2);
        assertThat(runs.replies(replyRun)).extracting(JdbcRunStore.StoredReply::text).containsExactly("yes");
        assertThat(runs.counters("races").get("fallback")).containsEntry(io.outdial.fallback.store.Counter.REPLIED,
            1L);
        // the unbind: every bulk contact got its SMS exactly once
        for (int i = 0; i < BULK; i++) {
            String n = String.format("+336123480%02d", i);
            assertThat(perNumber.get(n)).as("SMS to %s", n).isEqualTo(1);
            assertThat(path(runs, n, ds)).as(n).containsExactly("call", "sms", "delivered");
        }
        assertThat(smsc.submitted()).hasSize(BULK + 6);
    }

    private static String runId(javax.sql.DataSource ds, String phone) {
        long id = new JdbcContactStore(ds).page("races", null, 0, 1000).stream()
            .filter(l -> l.contact().phones().primary().equals(phone)).findFirst().orElseThrow().contact().id();
        return "races/" + id;
    }

    private static List<String> path(JdbcRunStore runs, String phone, javax.sql.DataSource ds) {
        Run r = runs.run(runId(ds, phone)).orElseThrow();
        return runs.steps(r.id()).stream().map(Step::blockId).collect(Collectors.toList());
    }
}
