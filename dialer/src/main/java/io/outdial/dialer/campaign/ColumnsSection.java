package io.outdial.dialer.campaign;

import static io.outdial.dialer.campaign.DefinitionBinder.refuse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.outdial.dialer.contact.ColumnMapping;
import io.outdial.dialer.input.Reason;
import java.io.IOException;
import java.util.List;

/**
 * The {@code columns} section of a campaign definition: which columns of the contacts file hold the phones (each a
 * column name, or {@code {column, label}}), the contact's id, its time zone and the fields kept for the flow.
 */
record ColumnsSection(List<Phone> phones, String id, String timeZone, List<String> fields) {
    private static final String PHONE_FORMS = "a column name or {\"column\": ..., \"label\": ...}";

    ColumnsSection {
        if (phones == null || phones.isEmpty()) {
            throw refuse("$.phones", null, "at least one phone column", Reason.MISSING,
                "columns.phones must name at least one phone column");
        }
        for (int i = 0; i < phones.size(); i++) {
            if (phones.get(i) == null) {
                throw noColumn("$.phones[" + i + "]", "null");
            }
        }
        phones = List.copyOf(phones);
    }

    ColumnMapping mapping() {
        return new ColumnMapping(phones.stream().map(p -> new ColumnMapping.PhoneColumn(p.column(), p.label()))
            .toList(), id, timeZone, fields);
    }

    private static RuntimeException noColumn(String path, String entry) {
        return refuse(path, entry, PHONE_FORMS, Reason.MISSING, "columns.phones entry " + entry
            + " names no column; give a column name or {\"column\": \"mobile\", \"label\": \"mobile\"}");
    }

    /** A phone column, given as its name or as {@code {column, label}}. */
    @JsonDeserialize(using = PhoneReader.class)
    record Phone(String column, String label) {
        Phone {
            if (label != null && (label.contains("=") || label.contains("|"))) {
                throw refuse("$.label", label, "no '=' or '|'", Reason.INVALID_FORMAT, "columns.phones label \""
                    + label + "\" must not contain '=' or '|' (they separate the stored phones)");
            }
        }
    }

    /** The mapping form of a phone column. */
    record PhoneMapping(String column, String label) {
    }

    /** Reads a {@link Phone} from a text or a mapping. */
    static final class PhoneReader extends JsonDeserializer<Phone> {
        @Override
        public Phone deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode n = ctxt.readTree(p);
            String column = null;
            String label = null;
            if (n.isTextual()) {
                column = n.asText();
            } else if (n.isObject()) {
                PhoneMapping m = ctxt.readTreeAsValue(n, PhoneMapping.class);
                column = m.column();
                label = m.label();
            }
            if (column == null || column.isBlank()) {
                throw noColumn("$", n.toString());
            }
            return new Phone(column, label);
        }
    }
}
