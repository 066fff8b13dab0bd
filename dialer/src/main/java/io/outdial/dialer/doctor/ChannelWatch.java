package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The events of one probe channel: its StasisStart, its end, its playbacks' ends and the DTMF it heard. Fed from the
 * probe session's context, read from anywhere.
 */
final class ChannelWatch {
    /** How a wait ended. */
    record Outcome(AriEvent.StasisStart started, AriEvent.ChannelDestroyed destroyed) {
        boolean answered() {
            return started != null;
        }
    }

    private final Vertx vertx;
    private final String id;
    private final Promise<Outcome> entered = Promise.promise();
    private final Promise<AriEvent.ChannelDestroyed> destroyed = Promise.promise();
    private final Map<String, Promise<String>> playbacks = new ConcurrentHashMap<>();
    private final List<String> digits = new CopyOnWriteArrayList<>();
    private volatile String lastDialStatus;

    ChannelWatch(Vertx vertx, String id) {
        this.vertx = vertx;
        this.id = id;
    }

    String id() {
        return id;
    }

    void accept(AriEvent e) {
        if (e instanceof AriEvent.StasisStart) {
            entered.tryComplete(new Outcome((AriEvent.StasisStart) e, null));
        } else if (e instanceof AriEvent.ChannelDestroyed) {
            AriEvent.ChannelDestroyed d = (AriEvent.ChannelDestroyed) e;
            destroyed.tryComplete(d);
            entered.tryComplete(new Outcome(null, d));
        } else if (e instanceof AriEvent.PlaybackFinished) {
            var pb = ((AriEvent.PlaybackFinished) e).playback();
            playback(pb.id()).tryComplete(pb.state());
        } else if (e instanceof AriEvent.ChannelDtmfReceived) {
            digits.add(((AriEvent.ChannelDtmfReceived) e).digit());
        } else if (e instanceof AriEvent.Dial) {
            String s = ((AriEvent.Dial) e).dialstatus();
            if (s != null && !s.isEmpty()) {
                lastDialStatus = s;
            }
        }
    }

    private Promise<String> playback(String playbackId) {
        return playbacks.computeIfAbsent(playbackId, k -> Promise.promise());
    }

    /** StasisStart or the channel's end, whichever first; fails with a timeout after {@code within}. */
    Future<Outcome> entered(Duration within) {
        return entered.future().timeout(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The final state of playback {@code playbackId} ({@code done}, {@code failed}); fails after {@code within}. */
    Future<String> playbackFinished(String playbackId, Duration within) {
        return playback(playbackId).future().timeout(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when the channel is destroyed, or after {@code within} with null. */
    Future<AriEvent.ChannelDestroyed> ended(Duration within) {
        return destroyed.future().timeout(within.toMillis(), TimeUnit.MILLISECONDS).otherwise(e -> null);
    }

    boolean destroyedNow() {
        return destroyed.future().isComplete();
    }

    String digits() {
        return String.join("", digits);
    }

    String lastDialStatus() {
        return lastDialStatus;
    }

    Vertx vertx() {
        return vertx;
    }
}
