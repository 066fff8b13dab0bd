package io.outdial.dialer.reporting;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A campaign's history from the database, the same on every node and across restarts: the attempts that ended in
 * each time bucket by outcome, with the answered ones, the answer rate and the talk time (answer to end of the
 * answered calls: sum, 50th and 90th percentile by nearest rank), and the distributions of attempts per contact
 * and of talk time. Reads {@code call_records} (by the {@code call_records_campaign} index on
 * {@code (campaign_id, end_at)}) and the campaign's visible contacts. The timeline is aggregated by the database
 * ({@code GROUP BY} the bucket index computed from {@code end_at}, percentiles with {@code PERCENTILE_DISC}, which
 * is the nearest rank): a request reads a row per bucket and outcome, not one per attempt, with the same SQL on H2
 * and PostgreSQL. An outcome {@code NOT_PLACED} is not an attempt (no call left) and is not counted. Blocking JDBC:
 * call on a worker.
 */
final class CampaignHistory {
    /** The most buckets one timeline answers. */
    static final int MAX_BUCKETS = 500;
    /** The range of a timeline without {@code from} when the campaign has no ended attempt yet. */
    static final Duration EMPTY_RANGE = Duration.ofHours(1);
    /** The outcome of an answered call. */
    static final String ANSWERED = "ANSWERED";
    /** Upper ends (exclusive, seconds) of the talk-time histogram's classes; the last class has none. */
    static final int[] TALK_LIMITS = {10, 30, 60, 120, 300};
    private static final String[] TALK_LABELS = {"<10s", "10-30s", "30-60s", "1-2min", "2-5min", ">5min"};
    private static final int FETCH = 1000;
    /** Epoch milliseconds of a timestamp column, the same on H2 and PostgreSQL (both truncate like Java). */
    private static String millis(String column) {
        return "CAST(FLOOR(EXTRACT(EPOCH FROM " + column + ") * 1000) AS BIGINT)";
    }

    /** The bucket index of a row (parameters: the first bucket's start and the width, in ms). */
    private static final String BUCKET = "(" + millis("end_at") + " - ?) / ?";
    /** The ended attempts of a campaign in [from, to) (parameters: campaign, from, to). */
    private static final String RANGE = " WHERE campaign_id = ? AND end_at >= ? AND end_at < ?"
        + " AND outcome IS NOT NULL AND outcome <> 'NOT_PLACED'";
    private static final String ANSWERED_ONLY = " AND outcome = '" + ANSWERED + "' AND answer_at IS NOT NULL";
    /** Talk time of an answered call in ms (answer to end, never negative). */
    private static final String TALK_MS = "CASE WHEN " + millis("end_at") + " > " + millis("answer_at") + " THEN "
        + millis("end_at") + " - " + millis("answer_at") + " ELSE 0 END";
    /** Sum and nearest-rank 50th and 90th percentiles (PERCENTILE_DISC is the nearest rank) of {@code ms}. */
    private static final String TALK_AGGREGATES = "SUM(ms), PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY ms),"
        + " PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY ms)";

    /** Bucket widths, aligned to UTC (a day starts at 00:00 UTC). */
    enum Bucket {
        M1("1m", Duration.ofMinutes(1)), M5("5m", Duration.ofMinutes(5)), M15("15m", Duration.ofMinutes(15)),
        H1("1h", Duration.ofHours(1)), D1("1d", Duration.ofDays(1));

        private final String code;
        private final Duration width;

        Bucket(String code, Duration width) {
            this.code = code;
            this.width = width;
        }

        public String code() {
            return code;
        }

        public Duration width() {
            return width;
        }

        /** The bucket named {@code code} (1m, 5m, 15m, 1h, 1d). */
        public static Optional<Bucket> of(String code) {
            return Arrays.stream(values()).filter(b -> b.code.equals(code.trim().toLowerCase(Locale.ROOT))).findFirst();
        }

        /** The narrowest bucket giving at most {@link #MAX_BUCKETS} buckets over the range, if any. */
        public static Optional<Bucket> auto(Instant from, Instant to) {
            return Arrays.stream(values()).filter(b -> count(b, from, to) <= MAX_BUCKETS).findFirst();
        }

        /** How many buckets of {@code b} cover [from, to) once both ends are aligned. */
        public static long count(Bucket b, Instant from, Instant to) {
            long w = b.width.toMillis();
            long start = Math.floorDiv(from.toEpochMilli(), w);
            long end = Math.floorDiv(to.toEpochMilli() - 1, w) + 1;
            return Math.max(1, end - start);
        }
    }

    private final DataSource ds;

    CampaignHistory(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** When the campaign's first attempt ended, if any ended. */
    Optional<Instant> firstEnd(String campaignId) {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT MIN(end_at) FROM call_records WHERE campaign_id = ?"
                 + " AND end_at IS NOT NULL")) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(instant(rs, 1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the first attempt of campaign " + campaignId + ": "
                + e.getMessage(), e);
        }
    }

    /** The bucket a request's {@code bucket} parameter names; null when it is absent or blank. */
    static Bucket bucketParam(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        return Bucket.of(code).orElseThrow(() -> InvalidInput.of("query parameter", "bucket", code,
            "1m, 5m, 15m, 1h or 1d", Reason.NOT_ALLOWED, "bucket \"" + code + "\" is not one of 1m, 5m, 15m,"
            + " 1h, 1d"));
    }

    /**
     * The timeline a request asks for: {@code to} defaults to now, {@code from} to the first ended attempt (or
     * {@link #EMPTY_RANGE} before {@code to}), the bucket to the narrowest giving at most {@link #MAX_BUCKETS}; a
     * range that is empty or needs more buckets is refused as {@link InvalidInput} naming the query parameter.
     */
    JsonObject timeline(String campaignId, Instant from, Instant to, Bucket given, Clock clock) {
        if (to == null) {
            to = clock.instant();
        }
        if (from == null) {
            Instant end = to;
            from = firstEnd(campaignId).filter(f -> f.isBefore(end)).orElse(to.minus(EMPTY_RANGE));
        }
        if (!from.isBefore(to)) {
            throw InvalidInput.of("query parameter", "from", from.toString(), "an instant before to",
                Reason.OUT_OF_RANGE, "from (" + from + ") must be before to (" + to + ")");
        }
        Bucket bucket = given;
        if (bucket == null) {
            Instant f = from;
            Instant t = to;
            bucket = Bucket.auto(from, to).orElseThrow(() -> InvalidInput.of("query parameter", "from",
                f.toString(), "a range of at most " + MAX_BUCKETS + " days", Reason.OUT_OF_RANGE,
                "the range " + f + " to " + t + " needs more than " + MAX_BUCKETS
                + " buckets even of 1d; give a shorter range"));
        }
        long n = Bucket.count(bucket, from, to);
        if (n > MAX_BUCKETS) {
            throw InvalidInput.of("query parameter", "bucket", bucket.code(), "at most "
                + MAX_BUCKETS + " buckets over the range", Reason.OUT_OF_RANGE, "bucket "
                + bucket.code() + " gives " + n + " buckets from " + from + " to " + to + " (at most "
                + MAX_BUCKETS + "); give a wider bucket or a shorter range");
        }
        return timeline(campaignId, from, to, bucket);
    }

    /**
     * The attempts that ended in [from, to) in buckets of {@code bucket}: the first bucket starts at {@code from}
     * rounded down to the bucket width, the last ends at {@code to} rounded up. At most {@link #MAX_BUCKETS}.
     */
    JsonObject timeline(String campaignId, Instant from, Instant to, Bucket bucket) {
        long w = bucket.width().toMillis();
        long start = Math.floorDiv(from.toEpochMilli(), w) * w;
        int n = (int) Bucket.count(bucket, from, to);
        if (n > MAX_BUCKETS) {
            throw new IllegalArgumentException(n + " buckets of " + bucket.code() + " (at most " + MAX_BUCKETS + ")");
        }
        Instant end = Instant.ofEpochMilli(start + n * w);
        List<Map<String, Long>> outcomes = new java.util.ArrayList<>(n);
        List<long[]> talk = new java.util.ArrayList<>(n);   // per bucket: sum, p50, p90 (ms), or null
        for (int i = 0; i < n; i++) {
            outcomes.add(new TreeMap<>());
            talk.add(null);
        }
        TreeMap<String, Long> allOutcomes = new TreeMap<>();
        long[] allTalk;
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT b, outcome, COUNT(*) FROM (SELECT " + BUCKET
                    + " AS b, outcome FROM call_records" + RANGE + ") x GROUP BY b, outcome")) {
                bind(s, campaignId, start, w, end);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int i = rs.getInt(1);
                        if (i >= 0 && i < n) {
                            outcomes.get(i).put(rs.getString(2), rs.getLong(3));
                            allOutcomes.merge(rs.getString(2), rs.getLong(3), Long::sum);
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT b, " + TALK_AGGREGATES + " FROM (SELECT " + BUCKET
                    + " AS b, " + TALK_MS + " AS ms FROM call_records" + RANGE + ANSWERED_ONLY + ") x GROUP BY b")) {
                bind(s, campaignId, start, w, end);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int i = rs.getInt(1);
                        if (i >= 0 && i < n) {
                            talk.set(i, new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                        }
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), " + TALK_AGGREGATES + " FROM (SELECT "
                    + TALK_MS + " AS ms FROM call_records" + RANGE + ANSWERED_ONLY + ") x")) {
                s.setString(1, campaignId);
                s.setObject(2, Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                s.setObject(3, end.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    allTalk = rs.getLong(1) == 0 ? null : new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)};
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the attempts of campaign " + campaignId + ": "
                + e.getMessage(), e);
        }
        JsonArray buckets = new JsonArray();
        for (int i = 0; i < n; i++) {
            Instant b = Instant.ofEpochMilli(start + i * w);
            buckets.add(stats(outcomes.get(i), talk.get(i))
                .put("start", b.toString()).put("end", b.plusMillis(w).toString()));
        }
        return new JsonObject().put("campaignId", campaignId).put("from", Instant.ofEpochMilli(start).toString())
            .put("to", end.toString()).put("bucket", bucket.code()).put("bucketSeconds", w / 1000)
            .put("outcomes", new JsonArray(List.copyOf(allOutcomes.keySet()))).put("buckets", buckets)
            .put("totals", stats(allOutcomes, allTalk));
    }

    /**
     * How many of the campaign's visible contacts had 0, 1, 2, ... attempts ({@code contact.attempts}), and the
     * talk time of its answered calls in classes (under 10 s, 10-30 s, 30-60 s, 1-2 min, 2-5 min, 5 min or more).
     */
    JsonObject distributions(String campaignId) {
        JsonArray perContact = new JsonArray();
        long[] classes = new long[TALK_LIMITS.length + 1];
        long answered = 0;
        long talkMs = 0;
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT attempts, COUNT(*) FROM contact WHERE campaign_id = ?"
                    + io.outdial.dialer.contact.JdbcContactStore.VISIBLE + " GROUP BY attempts ORDER BY attempts")) {
                s.setString(1, campaignId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        perContact.add(new JsonObject().put("attempts", rs.getInt(1)).put("contacts", rs.getLong(2)));
                    }
                }
            }
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("SELECT answer_at, end_at FROM call_records"
                    + " WHERE campaign_id = ? AND end_at IS NOT NULL AND outcome = 'ANSWERED'"
                    + " AND answer_at IS NOT NULL")) {
                s.setFetchSize(FETCH);
                s.setString(1, campaignId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long ms = Math.max(0, instant(rs, 2).toEpochMilli() - instant(rs, 1).toEpochMilli());
                        answered++;
                        talkMs += ms;
                        int k = 0;
                        while (k < TALK_LIMITS.length && ms >= TALK_LIMITS[k] * 1000L) {
                            k++;
                        }
                        classes[k]++;
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the distributions of campaign " + campaignId + ": "
                + e.getMessage(), e);
        }
        JsonArray talk = new JsonArray();
        for (int k = 0; k < classes.length; k++) {
            talk.add(new JsonObject().put("label", TALK_LABELS[k]).put("fromSeconds", k == 0 ? 0 : TALK_LIMITS[k - 1])
                .put("toSeconds", k < TALK_LIMITS.length ? TALK_LIMITS[k] : null).put("calls", classes[k]));
        }
        return new JsonObject().put("campaignId", campaignId).put("attemptsPerContact", perContact)
            .put("talkTime", talk).put("answered", answered).put("talkSeconds", seconds(talkMs));
    }

    /** Counts by outcome and the answered calls' talk time (sum, p50, p90 in ms; null with none). */
    private static JsonObject stats(Map<String, Long> outcomes, long[] talk) {
        long attempts = outcomes.values().stream().mapToLong(Long::longValue).sum();
        long answered = outcomes.getOrDefault(ANSWERED, 0L);
        JsonObject o = new JsonObject();
        outcomes.forEach(o::put);
        return new JsonObject().put("attempts", attempts).put("outcomes", o).put("answered", answered)
            .put("answerRate", attempts == 0 ? null : (double) answered / attempts)
            .put("talkSeconds", talk == null ? 0.0 : seconds(talk[0]))
            .put("talkP50", talk == null ? null : seconds(talk[1]))
            .put("talkP90", talk == null ? null : seconds(talk[2]));
    }

    private static void bind(PreparedStatement s, String campaignId, long start, long width, Instant end)
            throws SQLException {
        s.setLong(1, start);
        s.setLong(2, width);
        s.setString(3, campaignId);
        s.setObject(4, Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        s.setObject(5, end.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static double seconds(long ms) {
        return ms / 1000.0;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
