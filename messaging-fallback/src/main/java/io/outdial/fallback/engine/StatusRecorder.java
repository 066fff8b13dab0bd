package io.outdial.fallback.engine;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.CostEntry;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.RunStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a provider status on its message, once per (provider id, status): part statuses, the message's
 * overall status, counters, the refund on a "pay for delivered" plan and the stop-list on unsubscribe. Whether
 * the status also moves the run is the walker's decision.
 */
final class StatusRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);

    private final RunStore store;
    private final StopList stopList;
    private final EngineOptions options;
    private final Clock clock;

    StatusRecorder(RunStore store, StopList stopList, EngineOptions options, Clock clock) {
        this.store = store;
        this.stopList = stopList;
        this.options = options;
        this.clock = clock;
    }

    /** Applies a status to its message; returns the message's new overall status, or null when unchanged. */
    Status apply(Run run, MessageRecord m, ChannelEvent.StatusReport r) {
        if (!store.recordStatus(r.channel(), r.providerId(), r.status())) {
            LOG.debug("run {} message {}: duplicate {} for {}", run.id(), m.id(), r.status().json(), r.providerId());
            return null;
        }
        Map<String, Status> parts = new HashMap<>(m.parts());
        parts.put(r.providerId(), r.status());
        Status overall = overall(m, parts);
        if (overall == m.status()) {
            store.saveMessage(m.statuses(parts, m.status(), m.cost(), m.refunded()));
            return null;
        }
        long cost = m.cost();
        boolean refunded = m.refunded();
        if (overall.undelivered()) {
            store.addCounter(run.schemeId(), m.blockId(), Counter.FAILED, 1);
            if (options.prices().payForDelivered() && !refunded && cost > 0) {
                store.book(new CostEntry(run.id(), run.campaignId(), run.schemeId(), m.blockId(), m.id(), m.channel(),
                        m.segments(), -cost, clock.instant()));
                cost = 0;
                refunded = true;
            }
        } else if (overall == Status.DELIVERED) {
            store.addCounter(run.schemeId(), m.blockId(), Counter.DELIVERED, 1);
        } else if (overall == Status.READ) {
            if (progress(m.status()) < progress(Status.DELIVERED)) {
                // read before (or without) its delivered report: a read message was delivered all the same
                store.addCounter(run.schemeId(), m.blockId(), Counter.DELIVERED, 1);
            }
            store.addCounter(run.schemeId(), m.blockId(), Counter.READ, 1);
        } else if (overall == Status.UNSUBSCRIBED) {
            stopList.add(m.address(), m.channel().json() + " unsubscribe");
        }
        store.saveMessage(m.statuses(parts, overall, cost, refunded));
        LOG.info("run {} block {}: message {} {}{}", run.id(), m.blockId(), m.id(), overall.json(),
                r.error() == null ? "" : " (err " + r.error() + ")");
        return overall;
    }

    private static int progress(Status s) {
        return s == Status.READ ? 3 : s == Status.DELIVERED ? 2 : s == Status.SENT ? 1 : 0;
    }

    /** A message's status from its parts: the first failure, else delivered (or read) once every part is. */
    private static Status overall(MessageRecord m, Map<String, Status> parts) {
        if (m.providerIds().size() <= 1) {
            Status s = parts.values().iterator().next();
            // chat statuses may come out of order: sent after delivered, delivered after read, and sent after a
            // failure or an unsubscribe move nothing back
            if (s == Status.SENT && m.status() != null) {
                return m.status();
            }
            return progress(s) > 0 && progress(s) < progress(m.status()) ? m.status() : s;
        }
        boolean allDelivered = true;
        boolean allRead = true;
        for (String pid : m.providerIds()) {
            Status s = parts.get(pid);
            if (s != null && (s.undelivered() || s == Status.UNSUBSCRIBED)) {
                return s;
            }
            allDelivered &= s == Status.DELIVERED || s == Status.READ;
            allRead &= s == Status.READ;
        }
        return allRead ? Status.READ : allDelivered ? Status.DELIVERED : m.status();
    }

}
