package io.outdial.sandbox.pbx;

import java.util.ArrayList;
import java.util.List;

/**
 * What the PBX saw, for tests and benchmarks that check the dialer from the PBX's side: when each originate
 * request ({@code POST /ari/channels}) arrived and what became of each {@code sound:http(s)://} media item (fetched,
 * how long it is, played to its end or not). Thread-safe; lists are bounded ({@link #MAX_ENTRIES} each, the
 * oldest kept), so a long load run does not grow without end.
 */
public final class PbxLog {
    /** Most entries kept per list. */
    public static final int MAX_ENTRIES = 1_000_000;

    /**
     * One {@code sound:http(s)://} media item of a playback.
     *
     * @param channelId    the channel it played on
     * @param url          the URL fetched (without {@code sound:})
     * @param status       the HTTP status of the last fetch, 0 when no answer came
     * @param bytes        the body's length
     * @param lengthMillis the audio length read from the WAV, -1 when unplayable
     * @param played       true once the item played to its end (not cut by a hangup or a stop)
     */
    public record Media(String channelId, String url, int status, long bytes, long lengthMillis, boolean played) { }

    private final List<Long> originates = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();
    private final List<Media> media = new ArrayList<>();

    /** Records an originate request arriving at {@code nanos} ({@link System#nanoTime()}). */
    public synchronized void originate(long nanos) {
        if (originates.size() < MAX_ENTRIES) {
            originates.add(nanos);
        }
    }

    /** Records an originate request arriving at {@code nanos} for {@code endpoint} (e.g. {@code PJSIP/+336...}). */
    public synchronized void originate(long nanos, String endpoint) {
        originate(nanos);
        if (endpoints.size() < MAX_ENTRIES) {
            endpoints.add(String.valueOf(endpoint));
        }
    }

    /** The endpoints of the originate requests (the numbers dialed, in their dial strings), in arrival order. */
    public synchronized List<String> endpoints() {
        return List.copyOf(endpoints);
    }

    /** Records a media item's fetch or its end (an entry for the same channel and URL not yet played is replaced). */
    public synchronized void media(Media m) {
        for (int i = media.size() - 1; i >= 0; i--) {
            Media old = media.get(i);
            if (!old.played() && old.channelId().equals(m.channelId()) && old.url().equals(m.url())) {
                media.set(i, m);
                return;
            }
        }
        if (media.size() < MAX_ENTRIES) {
            media.add(m);
        }
    }

    /** Arrival times ({@link System#nanoTime()}) of the originate requests, in arrival order. */
    public synchronized List<Long> originateTimes() {
        return List.copyOf(originates);
    }

    /** The {@code sound:http(s)://} media items, in the order they started. */
    public synchronized List<Media> media() {
        return List.copyOf(media);
    }

    /** The most originate requests that arrived within any window of {@code windowNanos} (sliding, not aligned). */
    public synchronized int maxOriginatesIn(long windowNanos) {
        return mostWithin(originates, windowNanos);
    }

    /**
     * The most of {@code times} (ascending, in any unit) within any window {@code (t - length, t]} of that unit:
     * sliding, not aligned. For checks of rate limits on any record of start times.
     */
    public static int mostWithin(List<Long> times, long length) {
        int best = 0;
        int from = 0;
        for (int to = 0; to < times.size(); to++) {
            while (times.get(to) - times.get(from) >= length) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }
}
