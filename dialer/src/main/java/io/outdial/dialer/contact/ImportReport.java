package io.outdial.dialer.contact;

import java.time.Duration;
import java.util.List;

/**
 * What an import did.
 *
 * @param importId the import's id (rejected rows download under it)
 * @param source the file name
 * @param rowsRead data rows read
 * @param imported contacts created (including stop-listed ones, created closed)
 * @param merged rows whose number was already in the campaign or earlier in the file
 * @param stopListed contacts created closed because their number is stop-listed
 * @param rejected rows refused (see {@code firstRejections} and the download)
 * @param firstRejections up to 100 rejections, in row order
 * @param took wall time
 */
public record ImportReport(long importId, String source, long rowsRead, long imported, long merged, long stopListed,
                           long rejected, List<Rejection> firstRejections, Duration took) {

    /** One refused row: {@code contacts.csv row 14: phone "+1 55" is not a valid number}. */
    public record Rejection(long row, String reason) { }

    public ImportReport {
        firstRejections = List.copyOf(firstRejections);
    }
}
