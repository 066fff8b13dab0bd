package io.outdial.dialer.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;

import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The campaign owner lease, changed on the campaign's partition: kept (TTL renewed) when {@code node} holds it,
 * taken when nobody does and {@code mayTake}; answers the owner after the change (null: none). An owner that stops
 * heartbeating loses it when the TTL runs out.
 */
final class OwnershipProcessor implements EntryProcessor<String, String, String> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String node;
    private final long ttlMillis;
    private final boolean mayTake;

    OwnershipProcessor(String node, long ttlMillis, boolean mayTake) {
        this.node = node;
        this.ttlMillis = ttlMillis;
        this.mayTake = mayTake;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
        String owner = entry.getValue();
        if (node.equals(owner) || (owner == null && mayTake)) {
            ((ExtendedMapEntry<String, String>) entry).setValue(node, ttlMillis, TimeUnit.MILLISECONDS);
            return node;
        }
        return owner;
    }
}
