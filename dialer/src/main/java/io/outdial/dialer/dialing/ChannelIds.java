package io.outdial.dialer.dialing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A runner's ARI channel ids: {@code od-<wall-clock ms, base 36>-<sequence>-<contact>}. The wall clock only makes
 * ids of successive node runs differ (the sequence restarts with the runner); it is not business time, so it is
 * not the node's injectable clock (tests run the runner on a virtual clock that starts at a fixed instant).
 */
final class ChannelIds {
    private final AtomicLong seq = new AtomicLong();

    String next(long contactId) {
        return "od-" + Long.toString(System.currentTimeMillis(), 36) + "-" + seq.incrementAndGet() + "-" + contactId;
    }
}
