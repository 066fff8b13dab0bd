package io.outdial.dialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.PbxLog;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A campaign's per-second limit holds for the originate requests as the PBX receives them, in every sliding 1 s
 * window: {@code run CAMPAIGN.yaml} (the CLI's own wiring: runner, H2, ARI client, call engine) against a sandbox PBX
 * with an {@code asterisk:} section: the dialer's stored send times ({@code originate_at}) and the arrival times of
 * {@code POST /ari/channels} read on the PBX's side.
 * Behaviour only: nothing is asserted about the throughput reached.
 */
class SendTimeRateLimitIT {
    /** How far a request may be held up between leaving the dialer and the PBX's handler on a loaded machine. */
    private static final long JITTER_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}/s, {1} contacts")
    @CsvSource({"2, 9", "20, 70"})
    @Timeout(120)
    void noSlidingSecondHoldsMoreOriginatesThanTheLimit(int perSecond, int contacts) throws Exception {
        Vertx pbxVertx = Vertx.vertx();
        SandboxPbx pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        try {
            pbx.scripts().register(".*", CalleeScript.busy(Duration.ofMillis(50)));
            List<String> rows = new ArrayList<>(List.of("id,phone"));
            for (int i = 0; i < contacts; i++) {
                rows.add(i + "," + String.format("+336123%05d", i));
            }
            Files.write(dir.resolve("contacts.csv"), rows);
            Files.writeString(dir.resolve("campaign.yaml"), String.join("\n",
                    "id: paced",
                    "contacts: contacts.csv",
                    "region: FR",
                    "timeZone: UTC",
                    "trunk: {name: carrier, endpoint: \"PJSIP/{number}@carrier\", callerIds: [\"+33100000001\"],"
                            + " maxLines: 200, maxCps: 1000}",
                    "limits: {lines: 100, perSecond: " + perSecond + ", batch: 50}",
                    "attempts: {rules: [{outcome: BUSY, close: FAILURE}]}",
                    "asterisk: {url: \"http://127.0.0.1:" + pbx.port() + "\", username: dialer, password: dialer,"
                            + " app: dialer}",
                    ""));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CommandContext ctx = new CommandContext(new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null, false);
            int code = new Main(ctx).run("run", dir.resolve("campaign.yaml").toString(), "--results",
                    dir.resolve("out.csv").toString(), "--data", dir.resolve("data").toString());
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

            List<Long> times = pbx.log().originateTimes();
            assertThat(times).as("every contact dialed once").hasSize(contacts);
            // the dialer's own record of when each originate request left (originate_at): exact
            List<Long> sent = originateTimes(dir.resolve("data"));
            assertThat(sent).hasSize(contacts);
            assertThat(PbxLog.mostWithin(sent, TimeUnit.SECONDS.toNanos(1)))
                    .as("most originates sent in any sliding second, limit %d/s; gaps (ms) %s", perSecond, gaps(sent))
                    .isLessThanOrEqualTo(perSecond);
            // as the PBX received them: the same, but for the delivery's jitter on a loaded test machine (a
            // request held up after it left, by a collector pause or a busy event loop, lands closer to the next)
            assertThat(pbx.log().maxOriginatesIn(TimeUnit.SECONDS.toNanos(1) - JITTER_NANOS))
                    .as("most originates the PBX received in any sliding %d ms, limit %d/s; gaps (ms) %s",
                            TimeUnit.NANOSECONDS.toMillis(TimeUnit.SECONDS.toNanos(1) - JITTER_NANOS), perSecond,
                            gaps(times))
                    .isLessThanOrEqualTo(perSecond);
        } finally {
            pbx.close().await();
            pbxVertx.close().await();
        }
    }

    /** The originate_at of every attempt in the run's H2 database, in nanoseconds, in order. */
    private static List<Long> originateTimes(Path data) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(DatabaseConfig.h2FileUrl(data.resolve("outdial")), "sa", "");
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT originate_at FROM call_records ORDER BY originate_at")) {
            while (rs.next()) {
                Instant t = rs.getObject(1, OffsetDateTime.class).toInstant();
                out.add(t.getEpochSecond() * 1_000_000_000L + t.getNano());
            }
        }
        return out;
    }

    private static List<Long> gaps(List<Long> times) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            out.add(TimeUnit.NANOSECONDS.toMillis(times.get(i) - times.get(i - 1)));
        }
        return out;
    }
}
