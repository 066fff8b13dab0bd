package io.outdial.dialer.contact;

/**
 * What one contact import may hold; past a limit the import fails with a message naming it (nothing of the file is
 * kept). Keeps a hostile or broken file from filling the heap or the database.
 *
 * @param maxRows             most data rows read from one file
 * @param maxRejectedRows     most rows rejected in one import (a file of mostly bad rows is a wrong file)
 * @param maxColumns          most cells in one row (header included)
 * @param maxCellChars        longest cell, in characters (Excel's own limit is 32,767)
 * @param maxCompressionRatio most an XLSX part may inflate, as inflated bytes over its compressed bytes (a
 *                            "zip bomb" inflates a thousandfold; spreadsheets compress 5-20 times)
 */
public record ImportLimits(long maxRows, long maxRejectedRows, int maxColumns, int maxCellChars,
                           int maxCompressionRatio) {
    /** The default limits. */
    public static final ImportLimits DEFAULTS = new ImportLimits(5_000_000, 100_000, 500, 32_767, 100);

    public ImportLimits {
        if (maxRows < 1 || maxRejectedRows < 0 || maxColumns < 1 || maxCellChars < 16 || maxCompressionRatio < 2) {
            throw new IllegalArgumentException("import limits maxRows " + maxRows + ", maxRejectedRows "
                + maxRejectedRows + ", maxColumns " + maxColumns + ", maxCellChars " + maxCellChars
                + ", maxCompressionRatio " + maxCompressionRatio
                + " out of range (expected >= 1, >= 0, >= 1, >= 16, >= 2)");
        }
    }
}
