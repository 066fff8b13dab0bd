package io.outdial.dialer.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;

import java.io.Serial;
import java.util.Map;

/** Reads how many leases of one level are live at {@code now} (read-only: no backup, no change). */
final class LeaseCount implements EntryProcessor<String, LeaseSet, Integer>, ReadOnly {
    @Serial
    private static final long serialVersionUID = 1L;

    private final long now;

    LeaseCount(long now) {
        this.now = now;
    }

    @Override
    public Integer process(Map.Entry<String, LeaseSet> entry) {
        LeaseSet set = entry.getValue();
        return set == null ? 0 : set.live(now);
    }

    @Override
    public EntryProcessor<String, LeaseSet, Integer> getBackupProcessor() {
        return null;
    }
}
