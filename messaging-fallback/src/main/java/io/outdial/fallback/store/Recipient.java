package io.outdial.fallback.store;

import java.util.Map;

/**
 * Who a run is for.
 *
 * @param id      contact id, stable (the A/B split hashes it)
 * @param address phone number (E.164) the channels send to
 * @param fields  contact fields for {@code {{contact.<field>}}}
 */
public record Recipient(String id, String address, Map<String, String> fields) {
    public Recipient {
        if (id == null || id.isBlank() || address == null || address.isBlank()) {
            throw new IllegalArgumentException("a recipient needs an id and an address, was " + id + "/" + address);
        }
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
}
