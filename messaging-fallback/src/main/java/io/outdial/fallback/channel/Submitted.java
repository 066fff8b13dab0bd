package io.outdial.fallback.channel;

import java.util.List;

/**
 * The provider accepted a message.
 *
 * @param providerIds the provider's id for each part (one for most channels; one per SMS part)
 * @param segments    billable units: SMS parts, or 1
 */
public record Submitted(List<String> providerIds, int segments) {
    public Submitted {
        providerIds = List.copyOf(providerIds);
        if (providerIds.isEmpty() || segments < 1) {
            throw new IllegalArgumentException("a submit needs provider ids and at least one segment");
        }
    }
}
