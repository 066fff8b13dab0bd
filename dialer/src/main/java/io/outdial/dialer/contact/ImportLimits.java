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
 * @param maxSharedStrings    most entries of an XLSX's shared-strings table (the reader keeps the table in memory)
 * @param maxSharedStringChars most characters of all the entries of an XLSX's shared-strings table together
 */
public record ImportLimits(long maxRows, long maxRejectedRows, int maxColumns, int maxCellChars,
                           int maxCompressionRatio, long maxSharedStrings, long maxSharedStringChars) {
    /** The default limits. */
    public static final ImportLimits DEFAULTS = new ImportLimits(5_000_000, 100_000, 500, 32_767, 100, 2_000_000,
        50_000_000);

    public ImportLimits {
        if (maxRows < 1 || maxRejectedRows < 0 || maxColumns < 1 || maxCellChars < 16 || maxCompressionRatio < 2
            || maxSharedStrings < 1 || maxSharedStringChars < 1) {
            throw new IllegalArgumentException("import limits maxRows " + maxRows + ", maxRejectedRows "
                + maxRejectedRows + ", maxColumns " + maxColumns + ", maxCellChars " + maxCellChars
                + ", maxCompressionRatio " + maxCompressionRatio + ", maxSharedStrings " + maxSharedStrings
                + ", maxSharedStringChars " + maxSharedStringChars
                + " out of range (expected >= 1, >= 0, >= 1, >= 16, >= 2, >= 1, >= 1)");
        }
    }

    /** These limits with another shared-strings table bound. */
    public ImportLimits withSharedStrings(long strings, long chars) {
        return new ImportLimits(maxRows, maxRejectedRows, maxColumns, maxCellChars, maxCompressionRatio, strings,
            chars);
    }
}
