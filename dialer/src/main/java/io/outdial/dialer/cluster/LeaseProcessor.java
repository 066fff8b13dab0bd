package io.outdial.dialer.cluster;

import com.hazelcast.map.EntryProcessor;

import java.io.Serial;
import java.util.Map;

/**
 * Changes the {@link LeaseSet} of one limit level on its partition (all or nothing, one at a time per key):
 * <ul>
 *   <li>{@link Op#ACQUIRE}: adds lease {@code id} of {@code node} when fewer than {@code max} live leases are held;
 *       answers the count after, or {@code -(count + 1)} when full (nothing changed);</li>
 *   <li>{@link Op#ADOPT}: adds it whatever the count (a call already live);</li>
 *   <li>{@link Op#RELEASE}: removes lease {@code id};</li>
 *   <li>{@link Op#RENEW}: moves the expiry of every lease of {@code node} to {@code now + ttl};</li>
 * </ul>
 * Every operation first drops the expired leases. Times come from the caller ({@code now}), so the backup replica
 * applies the same change.
 */
final class LeaseProcessor implements EntryProcessor<String, LeaseSet, Integer> {
    @Serial
    private static final long serialVersionUID = 1L;

    enum Op { ACQUIRE, ADOPT, RELEASE, RENEW }

    private final Op op;
    private final String id;
    private final String node;
    private final int max;
    private final long now;
    private final long ttlMillis;

    LeaseProcessor(Op op, String id, String node, int max, long now, long ttlMillis) {
        this.op = op;
        this.id = id;
        this.node = node;
        this.max = max;
        this.now = now;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public Integer process(Map.Entry<String, LeaseSet> entry) {
        LeaseSet set = entry.getValue();
        if (set == null) {
            if (op != Op.ACQUIRE && op != Op.ADOPT) {
                return 0;
            }
            set = new LeaseSet();
        }
        set.prune(now);
        switch (op) {
            case ACQUIRE:
                if (set.leases.size() >= max) {
                    entry.setValue(set);
                    return -(set.leases.size() + 1);
                }
                set.leases.put(id, new LeaseSet.Held(node, now + ttlMillis));
                break;
            case ADOPT:
                set.leases.put(id, new LeaseSet.Held(node, now + ttlMillis));
                break;
            case RELEASE:
                set.leases.remove(id);
                break;
            case RENEW:
                for (LeaseSet.Held h : set.leases.values()) {
                    if (h.node.equals(node)) {
                        h.expiresAt = now + ttlMillis;
                    }
                }
                break;
            default:
                throw new IllegalStateException("unknown op " + op);
        }
        entry.setValue(set.leases.isEmpty() ? null : set);
        return set.leases.size();
    }
}
