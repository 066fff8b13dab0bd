package io.outdial.dialer.reporting;

import io.outdial.dialer.input.InvalidInput;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * What the dialer reports about a campaign, read from the database: its results file, one row per visible contact,
 * as CSV ({@code ResultsCsv}) or as an XLSX workbook ({@code ResultsXlsx}), and its history ({@code CampaignHistory}):
 * the attempts over time by outcome and the distributions of attempts per contact and of talk time. The same on
 * every node and across restarts. Blocking (JDBC, files): call on a worker.
 */
public final class Reports {
    private Reports() {
    }

    /** Writes the results of {@code campaignId} as CSV to {@code out}; returns the number of contact rows. */
    public static int resultsCsv(DataSource ds, String campaignId, Path out) {
        return ResultsCsv.write(ds, campaignId, out);
    }

    /**
     * As {@link #resultsCsv(DataSource, String, Path)}, telling {@code rowsDone} the rows written so far after each.
     */
    public static int resultsCsv(DataSource ds, String campaignId, Path out, LongConsumer rowsDone) {
        return ResultsCsv.write(ds, campaignId, out, rowsDone);
    }

    /** How many rows the results of {@code campaignId} have now (its visible contacts). */
    public static long resultRows(DataSource ds, String campaignId) {
        return ResultsCsv.rows(ds, campaignId);
    }

    /**
     * Writes the results of {@code campaignId} as an XLSX workbook to {@code out}, using {@code work} (deleted after)
     * for the CSV.
     */
    public static void resultsXlsx(DataSource ds, String campaignId, Path work, Path out) {
        ResultsXlsx.write(ds, campaignId, work, out);
    }

    /**
     * As {@link #resultsXlsx(DataSource, String, Path, Path)}, telling {@code csvRows} the rows of the CSV pass
     * written so far, then {@code xlsxRows} the rows copied into the workbook so far.
     */
    public static void resultsXlsx(DataSource ds, String campaignId, Path work, Path out, LongConsumer csvRows,
                                   LongConsumer xlsxRows) {
        ResultsXlsx.write(ds, campaignId, work, out, csvRows, xlsxRows);
    }

    /**
     * Refuses a timeline's {@code bucket} query parameter as {@link InvalidInput} unless it is absent, blank or one
     * of {@code 1m, 5m, 15m, 1h, 1d}.
     */
    public static void checkBucket(String bucket) {
        CampaignHistory.bucketParam(bucket);
    }

    /**
     * The attempts of {@code campaignId} that ended in [from, to) per time bucket by outcome, with the answer rate
     * and talk time. Each of {@code from}, {@code to} and {@code bucket} may be null: {@code to} is then now on
     * {@code clock}, {@code from} the end of the first attempt (or an hour before {@code to}), the bucket the
     * narrowest giving at most 500 buckets. A bucket that is not one of {@code 1m, 5m, 15m, 1h, 1d}, a range that
     * is empty or one that needs more than 500 buckets is refused as {@link InvalidInput} naming the query parameter.
     */
    public static JsonObject timeline(DataSource ds, Clock clock, String campaignId, Instant from, Instant to,
                                      String bucket) {
        return new CampaignHistory(ds).timeline(campaignId, from, to, CampaignHistory.bucketParam(bucket), clock);
    }

    /**
     * How many of the visible contacts of {@code campaignId} had 0, 1, 2, ... attempts, and the talk time of its
     * answered calls in classes.
     */
    public static JsonObject distributions(DataSource ds, String campaignId) {
        return new CampaignHistory(ds).distributions(campaignId);
    }
}
