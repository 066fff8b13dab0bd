package io.outdial.dialer.contact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads an XLSX's parts once, inflating them into nothing, before the sheet is parsed: a part that inflates more than
 * {@link ImportLimits#maxCompressionRatio()} times its compressed size (a "zip bomb"), or a cell text or markup
 * longer than {@link ImportLimits#maxCellChars()}, or a shared-strings table ({@code <si>} entries, in whichever part
 * holds them) of more than {@link ImportLimits#maxSharedStrings()} entries or
 * {@link ImportLimits#maxSharedStringChars()} characters, fails the import here, before any of it is held in memory
 * (the sheet reader keeps the shared-strings table in memory). Counts real inflated bytes and real entries, never the
 * sizes or counts the archive claims. Blocking.
 */
final class XlsxGuard {
    /** Parts smaller than this once inflated are never too compressed (tiny XML parts compress very well). */
    static final long RATIO_GRACE_BYTES = 1L << 20;

    private XlsxGuard() { }

    static void check(Path file, String name, ImportLimits limits) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            SharedStrings shared = new SharedStrings(name, limits);
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.isDirectory()) {
                    scan(zip, e, name, limits, shared);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new ImportException(ImportException.Reason.UNREADABLE, name + " is not a readable XLSX (broken zip: "
                + e.getMessage() + ")", e);
        }
    }

    private static void scan(ZipFile zip, ZipEntry e, String name, ImportLimits limits, SharedStrings shared)
        throws IOException {
        long compressed = Math.max(1, e.getCompressedSize());
        long allowed = Math.max(RATIO_GRACE_BYTES, compressed * limits.maxCompressionRatio());
        boolean xml = e.getName().endsWith(".xml") || e.getName().endsWith(".rels");
        long maxRun = limits.maxCellChars();
        long maxTag = limits.maxCellChars() + 4096L;
        long inflated = 0;
        long run = 0; // characters of the text (or markup) being read
        boolean inTag = false;
        boolean inEntity = false;
        shared.part(e.getName());
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = zip.getInputStream(e)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                inflated += n;
                if (inflated > allowed) {
                    throw new ImportException(ImportException.Reason.XLSX_COMPRESSION_RATIO, name + ": part "
                        + e.getName() + " inflates to more than " + limits.maxCompressionRatio() + " times its "
                        + compressed + " compressed bytes (a \"zip bomb\"); at most " + limits.maxCompressionRatio()
                        + " is accepted (imports.maxCompressionRatio); save the sheet as CSV");
                }
                if (!xml) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xFF;
                    if (b == '<') {
                        inTag = true;
                        inEntity = false;
                        run = 0;
                        shared.tagStart();
                        continue;
                    }
                    if (b == '>' && inTag) {
                        inTag = false;
                        run = 0;
                        shared.tagEnd();
                        continue;
                    }
                    if (inTag) {
                        shared.tagByte(b);
                    }
                    if ((b & 0xC0) == 0x80) {
                        continue; // a UTF-8 continuation byte: part of the character already counted
                    }
                    if (inEntity) {
                        inEntity = b != ';';
                        continue; // &amp; &#1234; ... count as the one character counted at the '&'
                    }
                    inEntity = b == '&';
                    run++;
                    if (!inTag) {
                        shared.text();
                    }
                    if (inTag ? run > maxTag : run > maxRun) {
                        throw new ImportException(ImportException.Reason.CELL_TOO_LARGE, name + ": part "
                            + e.getName() + " holds " + (inTag ? "markup" : "a cell text") + " of more than "
                            + (inTag ? maxTag : maxRun) + " characters; at most " + limits.maxCellChars()
                            + " are accepted in a cell (imports.maxCellChars)");
                    }
                }
            }
        }
    }

    /**
     * Counts the entries ({@code <si>} elements, with or without a namespace prefix) of the shared-strings table and
     * the characters of their text as the markup streams by; fails past the limits.
     */
    private static final class SharedStrings {
        private final String name;
        private final ImportLimits limits;
        private final StringBuilder tag = new StringBuilder(8);
        private String part = "";
        private boolean tagNameDone;
        private boolean selfClosing;
        private int depth; // open <si> elements
        private long entries;
        private long chars;

        SharedStrings(String name, ImportLimits limits) {
            this.name = name;
            this.limits = limits;
        }

        void part(String partName) {
            part = partName;
            depth = 0;
        }

        void tagStart() {
            tag.setLength(0);
            tagNameDone = false;
            selfClosing = false;
        }

        void tagByte(int b) {
            selfClosing = b == '/' && tag.length() > 0;
            if (tagNameDone) {
                return;
            }
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '/' && tag.length() > 0 || tag.length() > 8) {
                tagNameDone = true;
                return;
            }
            tag.append((char) b);
        }

        void tagEnd() {
            String t = tag.toString();
            boolean closing = t.startsWith("/");
            String local = closing ? t.substring(1) : t;
            local = local.substring(local.indexOf(':') + 1);
            if (!local.equals("si")) {
                return;
            }
            if (closing) {
                depth = Math.max(0, depth - 1);
                return;
            }
            if (++entries > limits.maxSharedStrings()) {
                throw new ImportException(ImportException.Reason.XLSX_SHARED_STRINGS, name + ": part " + part
                    + " holds a shared-strings table of more than " + limits.maxSharedStrings()
                    + " entries; at most " + limits.maxSharedStrings()
                    + " are accepted (imports.maxSharedStrings); save the sheet as CSV");
            }
            if (!selfClosing) {
                depth++;
            }
        }

        void text() {
            if (depth > 0 && ++chars > limits.maxSharedStringChars()) {
                throw new ImportException(ImportException.Reason.XLSX_SHARED_STRINGS, name + ": part " + part
                    + " holds a shared-strings table of more than " + limits.maxSharedStringChars()
                    + " characters; at most " + limits.maxSharedStringChars()
                    + " are accepted (imports.maxSharedStringChars); save the sheet as CSV");
            }
        }
    }
}
