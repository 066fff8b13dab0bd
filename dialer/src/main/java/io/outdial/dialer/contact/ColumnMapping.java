package io.outdial.dialer.contact;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which file columns hold what.
 *
 * @param phones phone columns in dialing-preference order, each with the label the phone rule uses
 * @param idColumn the caller's contact id column, or null
 * @param zoneColumn an IANA time-zone column, or null (zones then come from the number)
 * @param fieldColumns columns kept as custom fields; null means every column not used above
 */
public record ColumnMapping(List<PhoneColumn> phones, String idColumn, String zoneColumn, List<String> fieldColumns) {

    /** A phone column and its label. */
    public record PhoneColumn(String column, String label) {
        public PhoneColumn {
            Objects.requireNonNull(column, "column");
            // '=' and '|' separate the stored phones (PhoneSet): a label derived from a header never holds them
            label = label == null || label.isBlank()
                ? column.trim().toLowerCase(Locale.ROOT).replace('=', '_').replace('|', '_').replace("\u0000", "")
                : label;
        }
    }

    private static final Pattern PHONE = Pattern.compile(
            "(?iu).*(phone|mobile|cell|tel|msisdn|number|телефон|мобильн|мобільн|номер).*");
    /** {@code consent_<channel>}: a channel's opt-in, always a field (messaging fallback reads it). */
    private static final Pattern CONSENT = Pattern.compile("(?iu)consent_.*");
    private static final Pattern ID = Pattern.compile("(?iu)(id|external_id|ext_id|contact_id)");
    private static final Pattern ZONE = Pattern.compile("(?iu)(time_?zone|tz|zone)");

    public ColumnMapping {
        phones = List.copyOf(phones);
        fieldColumns = fieldColumns == null ? null : List.copyOf(fieldColumns);
    }

    /**
     * Guesses a mapping from the header: phone-like names are phones, id and time_zone by name, rest fields
     * ({@code consent_<channel>} columns always).
     */
    public static ColumnMapping auto(List<String> header) {
        List<PhoneColumn> phones = new ArrayList<>();
        String id = null;
        String zone = null;
        for (String h : header) {
            if (id == null && ID.matcher(h.trim()).matches()) {
                id = h;
            } else if (zone == null && ZONE.matcher(h.trim()).matches()) {
                zone = h;
            } else if (PHONE.matcher(h).matches() && !CONSENT.matcher(h.trim()).matches()) {
                phones.add(new PhoneColumn(h, null));
            }
        }
        return new ColumnMapping(phones, id, zone, null);
    }

    /** Column indexes of this mapping in {@code header}; errors name the file and the missing column. */
    Resolved resolve(List<String> header, String fileName) {
        if (phones.isEmpty()) {
            throw new ImportException(ImportException.Reason.NO_PHONE_COLUMN, fileName
                    + " has no phone column; columns are " + header + "; name one phone/mobile/tel or map it explicitly");
        }
        int[] phoneIdx = new int[phones.size()];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < phones.size(); i++) {
            phoneIdx[i] = index(header, phones.get(i).column(), fileName);
            labels.add(phones.get(i).label());
        }
        int idIdx = idColumn == null ? -1 : index(header, idColumn, fileName);
        int zoneIdx = zoneColumn == null ? -1 : index(header, zoneColumn, fileName);
        List<Integer> fieldIdx = new ArrayList<>();
        if (fieldColumns == null) {
            for (int i = 0; i < header.size(); i++) {
                final int col = i;
                boolean used = i == idIdx || i == zoneIdx
                        || java.util.Arrays.stream(phoneIdx).anyMatch(p -> p == col);
                if (!used && !header.get(i).isBlank()) {
                    fieldIdx.add(i);
                }
            }
        } else {
            for (String f : fieldColumns) {
                fieldIdx.add(index(header, f, fileName));
            }
        }
        List<String> fieldNames = fieldIdx.stream().map(i -> header.get(i).trim()).toList();
        return new Resolved(phoneIdx, labels, idIdx, zoneIdx, fieldIdx, fieldNames);
    }

    private static int index(List<String> header, String column, String fileName) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().equalsIgnoreCase(column.trim())) {
                return i;
            }
        }
        throw new ImportException(ImportException.Reason.UNKNOWN_COLUMN, fileName + " has no column \"" + column
                + "\"; columns are " + header);
    }

    /** Indexes into a row. */
    record Resolved(int[] phones, List<String> labels, int id, int zone, List<Integer> fields, List<String> fieldNames) { }
}
