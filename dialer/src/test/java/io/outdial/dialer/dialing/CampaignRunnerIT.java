package io.outdial.dialer.dialing;

import io.outdial.dialer.storage.Database;
import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactCounts;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.ivr.engine.FlowInterpreter;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.flow.FlowValidator;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 200-contact campaign against the sandbox PBX over loopback, on a virtual clock (40× real time, jumping
 * over idle nights), with every callee behaviour of the sandbox's default table: the campaign runs to its end
 * with the right counters, retries come after the attempt end plus the rule's delay and inside the calendar,
 * and the line limit holds.
 */
class CampaignRunnerIT {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunnerIT.class);
    /** Monday 17:30 UTC: the first evening's calendar closes at 18:00, retries move to Tuesday 09:00. */
    private static final Instant START = Instant.parse("2026-11-23T17:30:00Z");
    private static final int CONTACTS = 200;
    private static final int LINES = 20;
    private static final Set<Integer> UNSUBSCRIBERS = Set.of(10, 20, 30, 40, 50);

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("H2", (Supplier<DataSource>) MigratedDatabases::h2, false),
                Arguments.of("PostgreSQL", (Supplier<DataSource>) MigratedDatabases::postgres, false),
                Arguments.of("H2 with AMD", (Supplier<DataSource>) MigratedDatabases::h2, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void mixedCampaignRunsToTheEndWithRetriesInsideTheCalendarAndLinesHeld(String db, Supplier<DataSource> dbs,
                                                                          boolean amd) throws Exception {
        DataSource ds = dbs.get();
        CallingCalendar calendar = CallingCalendar.builder().weekdays("09:00-18:00").build();
        AttemptRules rules = AttemptRules.defaults();
        try (RunnerHarness h = new RunnerHarness(START, 40, amd)) {
            JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, h.clock);
            Campaign draft = Campaign.draft("mixed", "Mixed", START);
            campaigns.create(draft);
            campaigns.moveTo(campaigns.get("mixed").orElseThrow(), CampaignState.RUNNING, "test");
            List<JdbcContactStore.NewContact> list = new ArrayList<>();
            for (int i = 0; i < CONTACTS; i++) {
                list.add(new JdbcContactStore.NewContact("mixed", "c" + i,
                        new PhoneSet(List.of(new Phone("mobile", number(i), 0, false))), "UTC", Map.of("n", "" + i),
                        ContactState.WAITING, null, START));
            }
            new JdbcContactStore(ds).insertAll(list);
            for (int i : UNSUBSCRIBERS) {
                // 9 pressed 4 s after the answer, as the default table's keys: well after the AMD verdict (1.97 s),
                // during which a key is lost as in Asterisk (at 40x, 2 s would leave 0.75 ms of real time to spare)
                h.pbx.scripts().registerNumber(number(i), CalleeScript.answerAfter(Duration.ofSeconds(1))
                        .withDigits(Duration.ofSeconds(4), "9").withHangupAfter(Duration.ofSeconds(20)));
            }
            CampaignSettings settings = new CampaignSettings("mixed", calendar, rules, ZoneOffset.UTC,
                    new LineLimits(1000, Map.of(), Map.of("mixed", LINES)),
                    new RateLimits(RateLimit.NONE, Map.of(), Map.of("mixed", new RateLimit(10, 0))), amd, 10);
            String flowText = Files.readString(Path.of("..", "examples", "flow-demo.yaml"));
            FlowInterpreter flow = FlowInterpreter.of(FlowValidator.validate(flowText, FlowDocuments.Format.YAML,
                    VoiceCatalog.of(Map.of("freetts", Set.of("kevin16")))));
            Database runnerDb = Database.open(h.vertx, ds, "test", 4);
            RunnerParts parts = h.vertx.executeBlocking(() -> RunnerWiring.parts(runnerDb, h.engine, h.trunk, settings,
                    flow, h.clock, "FR", "node-test")).await();
            WorkerExecutor worker = h.vertx.createSharedWorkerExecutor("runner-test", 4);
            CampaignRunner runner = new CampaignRunner(h.vertx, parts, worker);
            long t0 = System.nanoTime();
            runner.start().await();
            JsonObject end;
            try {
                end = runner.finished().toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("campaign not finished after 150 s: " + runner.whyNot().message() + "; "
                        + runner.stats(), e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            LOG.info("{}: campaign ended in {} s real ({} attempts, {} attempts/s, max live {}, virtual end {}): {}",
                    db, String.format("%.1f", seconds), runner.stats().ended(),
                    String.format("%.1f", runner.stats().ended() / seconds), h.maxLive.get(), h.clock.instant(),
                    runner.stats());

            assertThat(end.getString("code")).isEqualTo("finished");
            assertThat(campaigns.get("mixed").orElseThrow().state()).isEqualTo(CampaignState.FINISHED);
            ContactCounts counts = new JdbcContactStore(ds).counts("mixed", h.clock.instant());
            // digits 0, 1, 2 (and the unsubscribers) answer and finish the flow; 8 invalid; 9 rejected;
            // 3, 7 silent / machine greeting without AMD: the callee hangs up before a key, LEFT_EARLY (one
            // retry), 4 busy, 5 no answer, 6 congestion: retried until their caps
            assertThat(counts).isEqualTo(new ContactCounts(CONTACTS, 0, 0, 0, 60, 20, 100, 20, 0));
            // the line limit is never exceeded; how close a run comes to it (occupancy) depends on the machine: a benchmark
            // figure (bench), not a test assertion
            assertThat(h.maxLive.get()).as("max concurrent calls").isLessThanOrEqualTo(LINES);
            assertThat(h.live.get()).isZero();
            // an originate withdrawn at the calendar's close is no attempt: every started one ended and was stored
            assertThat(runner.stats().started()).as("started attempts").isEqualTo(runner.stats().ended());
            assertThat(runner.stats().storing()).isZero();

            Map<String, List<Row>> byContact = attempts(ds);
            assertThat(byContact).hasSize(CONTACTS);
            int total = 0;
            for (Map.Entry<String, List<Row>> e : byContact.entrySet()) {
                List<Row> rows = e.getValue();
                total += rows.size();
                for (int k = 0; k < rows.size(); k++) {
                    Row r = rows.get(k);
                    assertThat(r.outcome).as("attempt %s", r.id).isNotNull();
                    // sent inside the calendar: a request that waited for its rate token past the close is withdrawn
                    // (NOT_PLACED, no attempt), whatever the machine's load makes of the 40x clock
                    assertThat(calendar.isOpen(r.originateAt, List.of(ZoneId.of("UTC"))))
                            .as("attempt %s at %s inside the calendar", r.id, r.originateAt).isTrue();
                    if (k > 0) {
                        Row prev = rows.get(k - 1);
                        Duration delay = retryDelay(prev.flowError ? "FAILED" : prev.outcome);
                        assertThat(r.originateAt).as("attempt %s after %s (%s) + %s", r.id, prev.endAt,
                                prev.outcome, delay).isAfterOrEqualTo(prev.endAt.plus(delay));
                    }
                }
                int digit = Integer.parseInt(e.getValue().get(0).phone.substring(e.getValue().get(0).phone.length() - 1));
                if (amd && (digit == 3 || digit == 7)) {
                    // AMD: silence (3) and the machine greeting (7) are MACHINE, hung up, retried once after 2 h
                    assertThat(rows).as("attempts of %s", e.getKey()).hasSize(2)
                            .allSatisfy(r -> assertThat(r.outcome).isEqualTo("MACHINE"));
                } else if (digit == 3 || digit == 7) {
                    // at 40x the callee's hang-up can fail the prompt first: the flow then ends ERROR (FAILED,
                    // two retries) instead of LEFT_EARLY (one retry)
                    assertThat(rows.size()).as("attempts of %s", e.getKey()).isBetween(2, 3);
                } else {
                    assertThat(rows).as("attempts of %s", e.getKey()).hasSize(expectedAttempts(digit));
                }
            }
            assertThat(runner.stats().ended()).isEqualTo(total);
            JdbcStopList stop = new JdbcStopList(ds, h.clock, new PhoneNormalizer("FR"));
            for (int i : UNSUBSCRIBERS) {
                assertThat(stop.isBlocked("mixed", number(i))).as("unsubscriber %s stop-listed", i).isTrue();
            }
            assertThat(stop.isBlocked("mixed", number(11))).isFalse();
        }
    }

    private static int expectedAttempts(int digit) {
        switch (digit) {
            case 3:
            case 7:
                return 2; // LEFT_EARLY: one retry
            case 4:
            case 5:
                return 4; // BUSY / NO_ANSWER: three retries
            case 6:
                return 3; // CONGESTION: two retries
            default:
                return 1;
        }
    }

    private static Duration retryDelay(String outcome) {
        switch (outcome) {
            case "BUSY":
                return Duration.ofMinutes(10);
            case "NO_ANSWER":
                return Duration.ofMinutes(30);
            case "CONGESTION":
            case "FAILED":
                return Duration.ofMinutes(5);
            case "MACHINE":
                return Duration.ofHours(2);
            case "ANSWERED":
                return Duration.ofHours(1); // LEFT_EARLY
            default:
                return Duration.ofMinutes(1);
        }
    }

    private static String number(int i) {
        return String.format("+3361234%04d", i);
    }

    private record Row(String id, String phone, Instant originateAt, Instant endAt, String outcome,
                       boolean flowError) { }

    private static Map<String, List<Row>> attempts(DataSource ds) throws Exception {
        Map<String, List<Row>> out = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT attempt_id, contact_id, phone, originate_at, end_at, outcome, flow_result"
                     + " FROM call_records WHERE campaign_id = 'mixed' AND outcome <> 'NOT_PLACED' ORDER BY originate_at")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(new Row(rs.getString(1),
                        rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
                        rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6),
                        rs.getString(7) != null && rs.getString(7).contains("\"ERROR\"")));
            }
        }
        return out;
    }
}
