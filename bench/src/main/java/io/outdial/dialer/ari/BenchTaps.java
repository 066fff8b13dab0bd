package io.outdial.dialer.ari;

/**
 * Lets the load runs observe a server's ARI traffic through the package-private {@link AriTap}: this class exists so
 * that benchmarks can reach the package's internals the way its tests do.
 */
public final class BenchTaps {
    private BenchTaps() {
    }

    /** What a load run observes: the calls of {@link AriTap}, with no default. */
    public interface Observer {
        /** As {@link AriTap#eventReceived(AriEvent, long)}. */
        void eventReceived(AriEvent event, long receivedNanos);

        /** As {@link AriTap#requestSent(String, String, long)}. */
        void requestSent(String method, String path, long nanos);
    }

    /** Sets {@code observer} as the tap of {@code server} (and of its REST client); null to stop. */
    public static void tap(AriServer server, Observer observer) {
        server.tap(observer == null ? null : new AriTap() {
            @Override
            public void eventReceived(AriEvent event, long receivedNanos) {
                observer.eventReceived(event, receivedNanos);
            }

            @Override
            public void requestSent(String method, String path, long nanos) {
                observer.requestSent(method, path, nanos);
            }
        });
    }
}
