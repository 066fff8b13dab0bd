package io.outdial.dialer.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;

import java.io.Serial;
import java.util.HashMap;
import java.util.Map;

/** Reads the live leases of one level per node: node id → lines (read-only). */
final class LinesByNode implements EntryProcessor<String, LeaseSet, HashMap<String, Integer>>, ReadOnly {
    @Serial
    private static final long serialVersionUID = 1L;

    private final long now;

    LinesByNode(long now) {
        this.now = now;
    }

    @Override
    public HashMap<String, Integer> process(Map.Entry<String, LeaseSet> entry) {
        HashMap<String, Integer> out = new HashMap<>();
        LeaseSet set = entry.getValue();
        if (set != null) {
            set.leases.values().forEach(h -> {
                if (h.expiresAt > now) {
                    out.merge(h.node, 1, Integer::sum);
                }
            });
        }
        return out;
    }

    @Override
    public EntryProcessor<String, LeaseSet, HashMap<String, Integer>> getBackupProcessor() {
        return null;
    }
}
