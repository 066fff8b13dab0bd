package io.outdial.bench.telephony;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.dialer.ari.BenchTaps;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times "event received → the REST request it causes" on the dialer side: StasisStart → {@code POST
 * /channels/{id}/play/…} and ChannelDtmfReceived → {@code DELETE /channels/{id}}, in microseconds, from the moment
 * the websocket frame arrived (before parsing) to the moment the request is handed to the HTTP client.
 */
final class LatencyTap implements BenchTaps.Observer {
    private final Map<String, Long> stasisAt = new ConcurrentHashMap<>();
    private final Map<String, Long> dtmfAt = new ConcurrentHashMap<>();
    private final Histogram stasisToPlay = new Histogram(60_000_000L, 3);
    private final Histogram dtmfToHangup = new Histogram(60_000_000L, 3);
    private volatile boolean recording;

    @Override
    public void eventReceived(AriEvent event, long receivedNanos) {
        if (!recording) {
            return;
        }
        if (event instanceof AriEvent.StasisStart) {
            stasisAt.put(event.channelId(), receivedNanos);
        } else if (event instanceof AriEvent.ChannelDtmfReceived) {
            dtmfAt.put(event.channelId(), receivedNanos);
        }
    }

    @Override
    public void requestSent(String method, String path, long nanos) {
        if (!recording || !path.startsWith("/channels/")) {
            return;
        }
        int slash = path.indexOf('/', 10);
        String channel = slash < 0 ? path.substring(10) : path.substring(10, slash);
        if ("POST".equals(method) && slash > 0 && path.startsWith("/play/", slash)) {
            record(stasisAt.remove(channel), nanos, stasisToPlay);
        } else if ("DELETE".equals(method) && slash < 0) {
            record(dtmfAt.remove(channel), nanos, dtmfToHangup);
        }
    }

    private static void record(Long from, long to, Histogram h) {
        if (from != null) {
            synchronized (h) {
                h.recordValue(Math.max(0, (to - from) / 1_000));
            }
        }
    }

    void recording(boolean on) {
        recording = on;
    }

    Histogram stasisToPlay() {
        synchronized (stasisToPlay) {
            return stasisToPlay.copy();
        }
    }

    Histogram dtmfToHangup() {
        synchronized (dtmfToHangup) {
            return dtmfToHangup.copy();
        }
    }

    void reset() {
        synchronized (stasisToPlay) {
            stasisToPlay.reset();
        }
        synchronized (dtmfToHangup) {
            dtmfToHangup.reset();
        }
        stasisAt.clear();
        dtmfAt.clear();
    }
}
