package io.outdial.dialer.pacing;

import java.time.Instant;
import java.util.Objects;

/**
 * One line held by one call, counted at the global, trunk and campaign levels until released.
 *
 * @param id unique lease id (a cluster implementation keys its TTL entry by it)
 * @param campaign the campaign id
 * @param trunk the trunk id
 * @param acquiredAt when it was granted
 */
public record Lease(String id, String campaign, String trunk, Instant acquiredAt) {
    public Lease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
    }
}
