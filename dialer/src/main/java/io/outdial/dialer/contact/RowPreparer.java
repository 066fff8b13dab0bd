package io.outdial.dialer.contact;

import io.outdial.dialer.calendar.ContactZones;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU-heavy, stateless part of an import (normalising numbers, checking the stop-list and zone,
 * building custom fields); thread-safe, so it runs ahead of the database writer on its own thread.
 */
final class RowPreparer {
    static final int MAX_FIELDS_JSON = 8000;
    /** Longest external id ({@code contact.ext_id}). */
    static final int MAX_EXT_ID = 200;

    private final PhoneNormalizer normalizer;
    private final ColumnMapping.Resolved cols;
    private final NumberSet blocked;

    /** @param blocked read only while the import runs */
    RowPreparer(PhoneNormalizer normalizer, ColumnMapping.Resolved cols, NumberSet blocked) {
        this.normalizer = normalizer;
        this.cols = cols;
        this.blocked = blocked;
    }

    /**
     * One prepared row: either {@code problem} (rejected) or a contact's data. {@code stopListed} contacts
     * carry their first (blocked) number only, so they can be counted and recognised as duplicates.
     */
    record Prepared(SourceRow row, String problem, List<Phone> phones, boolean stopListed, String zone,
                    Map<String, String> fields, String fieldsJson, String extId) {
        static Prepared rejected(SourceRow row, String problem) {
            return new Prepared(row, problem, null, false, null, null, null, null);
        }
    }

    Prepared prepare(SourceRow row) {
        for (int c = 0; c < row.cells().size(); c++) {
            if (row.cells().get(c).indexOf('\u0000') >= 0) {
                // PostgreSQL refuses NUL in text; the reason names the column, never the cell
                return Prepared.rejected(row, "column " + (c + 1) + " contains a NUL character");
            }
        }
        String extId = cols.id() < 0 ? "" : row.cell(cols.id());
        if (extId.length() > MAX_EXT_ID) {
            return Prepared.rejected(row, "id is " + extId.length() + " characters; at most " + MAX_EXT_ID);
        }
        List<Phone> phones = new ArrayList<>();
        Phone firstBlocked = null;
        for (int i = 0; i < cols.phones().length; i++) {
            String cell = row.cell(cols.phones()[i]);
            if (cell.isBlank()) {
                continue;
            }
            PhoneNormalizer.Result r = normalizer.normalize(cell);
            if (!r.ok()) {
                return Prepared.rejected(row, "phone " + r.error());
            }
            if (blocked.contains(r.e164())) {
                // never dialed: not kept as a number of this contact
                firstBlocked = firstBlocked != null ? firstBlocked : new Phone(cols.labels().get(i), r.e164(), 0, false);
                continue;
            }
            if (phones.stream().noneMatch(p -> p.e164().equals(r.e164()))) {
                phones.add(new Phone(cols.labels().get(i), r.e164(), 0, false));
            }
        }
        String zone = cols.zone() < 0 ? "" : row.cell(cols.zone()).trim();
        if (!zone.isEmpty()) {
            try {
                ContactZones.parseZone(zone);
            } catch (IllegalArgumentException e) {
                return Prepared.rejected(row, e.getMessage());
            }
        }
        if (phones.isEmpty() && firstBlocked == null) {
            return Prepared.rejected(row, "no phone number in the phone columns");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int f = 0; f < cols.fields().size(); f++) {
            String v = row.cell(cols.fields().get(f));
            if (!v.isEmpty()) {
                fields.put(cols.fieldNames().get(f), v);
            }
        }
        String json = fields.isEmpty() ? null : ContactRows.toJson(fields);
        if (json != null && json.length() > MAX_FIELDS_JSON) {
            return Prepared.rejected(row, "custom fields are longer than " + MAX_FIELDS_JSON + " characters together");
        }
        boolean stopListed = phones.isEmpty();
        if (stopListed) {
            phones.add(firstBlocked);
        }
        return new Prepared(row, null, phones, stopListed, zone.isEmpty() ? null : zone, fields, json,
                extId.isEmpty() ? null : extId);
    }
}
