package io.outdial.dialer.config;

import io.outdial.dialer.contact.ImportLimits;

/**
 * Limits of uploaded files and contact imports ({@code imports} section, docs/configuration.md). Past a limit an
 * upload is refused with 413, an import fails with a message naming the key. Read
 * through {@link DialerConfig#maxUploadBytes()} and {@link DialerConfig#importLimits()}.
 *
 * @param maxUploadBytes      largest contact file or stop-list CSV accepted by the API, in bytes
 * @param maxRows             most data rows of one contact file
 * @param maxRejectedRows     most rejected rows of one import
 * @param maxColumns          most cells of one row
 * @param maxCellChars        longest cell, in characters
 * @param maxCompressionRatio most an XLSX part may inflate (inflated bytes over compressed bytes)
 * @param maxSharedStrings    most entries of an XLSX's shared-strings table
 * @param maxSharedStringChars most characters of an XLSX's shared-strings table
 */
record ImportsConfig(long maxUploadBytes, long maxRows, long maxRejectedRows, int maxColumns,
                            int maxCellChars, int maxCompressionRatio, long maxSharedStrings,
                            long maxSharedStringChars) {
    public ImportsConfig {
        if (maxUploadBytes < 1024) {
            throw new IllegalArgumentException("maxUploadBytes " + maxUploadBytes + " must be at least 1024");
        }
        new ImportLimits(maxRows, maxRejectedRows, maxColumns, maxCellChars, maxCompressionRatio, maxSharedStrings,
            maxSharedStringChars); // checks them
    }

    /** Defaults: 256 MB uploads and {@link ImportLimits#DEFAULTS}. */
    public static ImportsConfig defaults() {
        ImportLimits d = ImportLimits.DEFAULTS;
        return new ImportsConfig(256L * 1024 * 1024, d.maxRows(), d.maxRejectedRows(), d.maxColumns(),
            d.maxCellChars(), d.maxCompressionRatio(), d.maxSharedStrings(), d.maxSharedStringChars());
    }

    /** The import limits of this section. */
    public ImportLimits importLimits() {
        return new ImportLimits(maxRows, maxRejectedRows, maxColumns, maxCellChars, maxCompressionRatio,
            maxSharedStrings, maxSharedStringChars);
    }
}
