package io.outdial.dialer.call;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves every state change and final record to a {@link CallRecordStore} on a worker thread (ordered per
 * engine context, so a call's rows are written in order), then passes the record to a delegate listener.
 */
public final class StoringCallListener implements CallListener {
    private static final Logger LOG = LoggerFactory.getLogger(StoringCallListener.class);

    private final Vertx vertx;
    private final CallRecordStore store;
    private final CallListener next;

    /** Stores, then tells {@code next} (which may be {@link CallListener#NONE}). */
    public StoringCallListener(Vertx vertx, CallRecordStore store, CallListener next) {
        this.vertx = vertx;
        this.store = store;
        this.next = next == null ? NONE : next;
    }

    @Override
    public void onStateChange(CallRecord record) {
        save(record);
        next.onStateChange(record);
    }

    @Override
    public void onEnded(CallRecord record) {
        save(record);
        next.onEnded(record);
    }

    private void save(CallRecord record) {
        vertx.executeBlocking(() -> {
            store.save(record);
            return null;
        }, true).onFailure(e -> LOG.error("call {} channel {}: call record not saved: {}", record.attemptId(),
                record.channelId(), e.getMessage()));
    }
}
