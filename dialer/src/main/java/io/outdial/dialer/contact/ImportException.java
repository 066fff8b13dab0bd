package io.outdial.dialer.contact;

import java.util.Objects;

/** A contact file that cannot be imported at all; the message names the file and what is wrong. */
final class ImportException extends RuntimeException {

    /** Why the file was refused. */
    public enum Reason {
        EMPTY_FILE, BAD_ENCODING, LINE_TOO_LONG, NO_PHONE_COLUMN, UNKNOWN_COLUMN, XLSX_FORMULA,
        XLSX_SEVERAL_SHEETS, UNREADABLE, TOO_MANY_COLUMNS, CELL_TOO_LARGE, TOO_MANY_ROWS, TOO_MANY_REJECTED,
        XLSX_COMPRESSION_RATIO, XLSX_SHARED_STRINGS
    }

    private final Reason reason;

    public ImportException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImportException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
