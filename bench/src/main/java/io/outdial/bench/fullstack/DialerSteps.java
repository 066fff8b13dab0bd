package io.outdial.bench.fullstack;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dialer's side of each step, through its API as a user drives it: a new campaign per step (the stored flow,
 * the step's limits, one attempt per contact), its contacts imported, then set RUNNING; done when the campaign is
 * FINISHED (every outcome stored). Meanwhile the campaign's live calls ({@code runner.liveCalls} of
 * {@code GET /api/v1/campaigns/{id}}) and the PBX's live calls are sampled every {@link #SAMPLE_MS} ms.
 */
final class DialerSteps {
    static final String FLOW_ID = "fs-flow";
    static final int SAMPLE_MS = 200;
    /** The spoken question: one gather whose prompt is a {@code say}; key 1 reaches the goal, then hang up. */
    static final String FLOW = "id: " + FLOW_ID + "\nversion: 1\nname: Full-stack load\nstart: ask\nnodes:\n"
        + "  ask:\n    type: gather\n"
        + "    prompt: {say: \"Hello, this is a short survey. Press one if you are interested.\"}\n"
        + "    menu:\n      \"1\": interested\n    timeout: 3\n    retries: 0\n    onFail: bye\n"
        + "  interested:\n    type: goal\n    name: interested\n    next: bye\n"
        + "  bye:\n    type: hangup\n";

    private final DialerProcess dialer;
    private final PbxProcess pbx;
    private final Postgres postgres;
    private final String engine;
    private final double idleCpuMsPerSecond;
    private final WireCapture wire;
    private int steps;

    DialerSteps(DialerProcess dialer, PbxProcess pbx, Postgres postgres, String engine, double idleCpuMsPerSecond,
                WireCapture wire) throws IOException {
        this.wire = wire;
        this.dialer = dialer;
        this.pbx = pbx;
        this.postgres = postgres;
        this.engine = engine;
        this.idleCpuMsPerSecond = idleCpuMsPerSecond;
        dialer.call("PUT", "/api/v1/flows/" + FLOW_ID, "application/yaml", FLOW, 201);
    }

    /** National numbers (FR mobiles) of one step: {@code 06 <step> <index>}; the PBX scripts {@code +336}. */
    static String contactsCsv(int step, int n) {
        StringBuilder csv = new StringBuilder("id,phone\n");
        for (int i = 0; i < n; i++) {
            csv.append(i).append(",06").append(String.format(Locale.ROOT, "%02d%06d", step % 100, i)).append('\n');
        }
        return csv.toString();
    }

    /** Dials {@code n} contacts at {@code rate}/s (0: no rate limit) on at most {@code lines} lines. */
    Step run(int n, int rate, int lines, long timeoutS) throws IOException {
        int step = ++steps;
        String id = "fs-" + engine + "-" + step;
        dialer.call("POST", "/api/v1/campaigns", "application/json", "{\"id\":\"" + id + "\",\"name\":\"" + id
            + "\",\"region\":\"FR\",\"timeZone\":\"Europe/Paris\",\"flowId\":\"" + FLOW_ID + "\","
            + "\"calendar\":{\"everyDay\":[\"00:00-24:00\"]},\"trunk\":{\"name\":\"carrier\"},"
            + "\"limits\":{\"lines\":" + lines + ",\"perSecond\":" + rate + "},"
            + "\"attempts\":{\"totalCap\":1,\"dailyCap\":1}}", 201);
        JsonObject imp = dialer.call("POST", "/api/v1/campaigns/" + id + "/imports?name=contacts.csv", "text/csv",
            contactsCsv(step, n), 202);
        String importId = String.valueOf(imp.getValue("importId"));
        long importDeadline = System.nanoTime() + 120_000_000_000L;
        while (!"COMPLETED".equals(new JsonObject(dialer.get("/api/v1/imports/" + importId).body())
            .getString("state"))) {
            if (System.nanoTime() > importDeadline) {
                throw new IllegalStateException("import " + importId + " of " + id + " not completed in 120 s");
            }
            DialerProcess.pause(100);
        }

        int[] mark = pbx.mark();
        double cpu0 = dialer.cpuMillis();
        double jvm0 = ProcCpu.jvmOwnMillis(dialer.pid());
        double uses0 = connectionUses();
        double pg0 = postgres == null ? 0 : postgres.cpuMillis();
        long t0 = System.nanoTime();
        dialer.call("POST", "/api/v1/campaigns/" + id + "/state", "application/json", "{\"state\": \"RUNNING\"}", 200);
        long deadline = t0 + timeoutS * 1_000_000_000L;
        long lagSum = 0;
        int lagMax = 0;
        int samples = 0;
        JsonObject view;
        while (true) {
            view = new JsonObject(dialer.get("/api/v1/campaigns/" + id).body());
            int pbxLive = pbx.live();
            if ("FINISHED".equals(view.getString("state"))) {
                break;
            }
            JsonObject runner = view.getJsonObject("runner");
            if (runner != null && (runner.getInteger("liveCalls") > 0 || pbxLive > 0)) {
                int lag = runner.getInteger("liveCalls") - pbxLive;
                lagSum += lag;
                lagMax = Math.max(lagMax, lag);
                samples++;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf(Locale.ROOT, "dialer: INCOMPLETE after %d s: %s%n", timeoutS, view.encode());
                break;
            }
            DialerProcess.pause(SAMPLE_MS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = dialer.cpuMillis() - cpu0;
        double jvm = ProcCpu.jvmOwnMillis(dialer.pid()) - jvm0;
        double uses = connectionUses() - uses0;
        double pg = postgres == null ? 0 : postgres.cpuMillis() - pg0;
        PbxStats stats = pbx.stats(mark, rate);
        if (postgres != null) {
            System.out.println(engine + " dialer " + rate + "/s, its own stored send times (originate_at): "
                + sendWindows(id, rate));
        }
        if (wire != null) {
            System.out.println(engine + " dialer " + rate + "/s, on the wire: " + wireWindows(id, rate));
        }
        int completed = view.getJsonObject("counters", new JsonObject()).getInteger("closedSuccess", 0);
        return new Step(engine, "dialer", rate, n, completed, stats, seconds, cpu, idleCpuMsPerSecond * seconds, pg,
            samples == 0 ? 0 : (double) lagSum / samples, lagMax, samples, ProcCpu.loadAverage(), jvm, uses);
    }

    /**
     * The most originations in any sliding 1 s window and the originations that end a window over {@code limit}, by
     * the send times the dialer stored for the campaign's calls ({@code call_records.originate_at}: the instant each
     * request's rate token was counted at), read from its PostgreSQL database: set beside the PBX's own stamps, it
     * tells the dialer's pacing from bunching after the send (its event loops, the network, the PBX's stamping).
     */
    private String sendWindows(String campaignId, int limit) {
        List<Long> times = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(postgres.url(FullStackLoad.DATABASE), "postgres", "");
             PreparedStatement q = c.prepareStatement("SELECT originate_at FROM call_records WHERE campaign_id = ? "
                 + "AND originate_at IS NOT NULL ORDER BY originate_at")) {
            q.setString(1, campaignId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    times.add(rs.getTimestamp(1).getTime());
                }
            }
        } catch (SQLException e) {
            return "not read: " + e.getMessage();
        }
        return sendsLine(times, 1000, limit);
    }

    /** As {@link #sendWindows}, by the instants the campaign's originate requests went on the wire. */
    private String wireWindows(String campaignId, int limit) throws IOException {
        List<Long> times;
        try {
            times = wire.originates(campaignId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not read: interrupted";
        }
        return sendsLine(times, 1_000_000, limit);
    }

    /** How many sends {@code times} holds, the most in 1 s ({@code second} in their unit) and how many went over. */
    private static String sendsLine(List<Long> times, long second, int limit) {
        int[] windows = PbxStats.windows(times, second, limit);
        return String.format(Locale.ROOT, "%d sends, most in 1 s %d (over %d)", times.size(), windows[0], windows[1]);
    }

    /**
     * How many times the dialer has taken a connection from its database pool: the sum of the
     * {@code hikaricp_connections_usage_seconds_count} series on its {@code /metrics} (each transaction or read is
     * one use).
     */
    private double connectionUses() throws IOException {
        double sum = 0;
        for (String line : dialer.get("/metrics").body().split("\n")) {
            if (line.startsWith("hikaricp_connections_usage_seconds_count")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
