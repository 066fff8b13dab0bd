package io.outdial.dialer.ari;

/**
 * Observes the ARI traffic of one server for measurements (the load run in {@code bench} times "event received →
 * REST request sent" with it). Called on the server's context or the caller's thread: keep it cheap and never
 * block. The default does nothing and costs one field read per frame and per request.
 */
interface AriTap {
    /** A tap that observes nothing. */
    AriTap NONE = new AriTap() { };

    /**
     * An events frame was parsed, just before the handlers (the call engine) see it.
     *
     * @param receivedNanos {@link System#nanoTime()} when the frame arrived, before parsing
     */
    default void eventReceived(AriEvent event, long receivedNanos) {
    }

    /**
     * A REST request was handed to the HTTP client (after the in-flight cap let it through).
     *
     * @param path  the path under {@code /ari}, e.g. {@code /channels/abc/play/p1.0}
     * @param nanos {@link System#nanoTime()} at that moment
     */
    default void requestSent(String method, String path, long nanos) {
    }
}
