package io.outdial.dialer.cluster;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The line leases held at one limit level (global, a trunk, a campaign) across the cluster: one entry per call,
 * with the node that holds it and when it expires unless that node renews it. The value of one
 * {@link ClusterLineLeases#MAP} entry, changed only by entry processors on its partition.
 */
final class LeaseSet implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One call's line: its node and expiry (epoch ms). */
    static final class Held implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        final String node;
        long expiresAt;

        Held(String node, long expiresAt) {
            this.node = node;
            this.expiresAt = expiresAt;
        }
    }

    final HashMap<String, Held> leases = new HashMap<>();

    /** Drops the leases that expired at {@code now} (their node stopped renewing them); answers how many. */
    int prune(long now) {
        int dropped = 0;
        for (Iterator<Map.Entry<String, Held>> it = leases.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().expiresAt <= now) {
                it.remove();
                dropped++;
            }
        }
        return dropped;
    }

    /** Leases not expired at {@code now}. */
    int live(long now) {
        int n = 0;
        for (Held h : leases.values()) {
            if (h.expiresAt > now) {
                n++;
            }
        }
        return n;
    }
}
