package io.outdial.ivr.spi;

import java.time.Duration;
import java.util.List;

/**
 * What an IVR flow may ask of one live, answered call.
 *
 * <p>The dialer's call engine implements this over ARI; tests implement it with a scripted fake. Every
 * method is non-blocking and fire-and-forget: it is called on the call's own context and returns at once.
 * Its outcome comes back later as a {@link CallEvent} that the implementation delivers to
 * {@link FlowSession#onEvent(CallEvent)} on that same context, in the order the facts happened.
 *
 * <p>Ids ({@code playbackId}, {@code recordingName}, {@code transferId}, {@code timerId}) are chosen by the
 * caller so that events can be matched without waiting for a reply (Asterisk may send the event before it
 * answers the REST request).
 *
 * <p>After the call has hung up, every method is a no-op (no exception): the flow may still be unwinding.
 */
public interface CallControl {

    /**
     * Plays the prompts one after another as one logical playback. Ends with one
     * {@link CallEvent.PlaybackFinished} carrying {@code playbackId}.
     */
    void play(String playbackId, List<Prompt> prompts);

    /** Stops a playback started by {@link #play}; it then ends with status {@code STOPPED}. */
    void stopPlayback(String playbackId);

    /** Records the callee. Ends with one {@link CallEvent.RecordingFinished} carrying {@code recordingName}. */
    void record(String recordingName, RecordOptions options);

    /**
     * Dials {@code request.number()} over a trunk and bridges it with this call when answered. Ends with one
     * {@link CallEvent.TransferFinished} carrying {@code transferId}.
     */
    void transfer(String transferId, TransferRequest request);

    /** Starts a one-shot timer; fires {@link CallEvent.TimerFired} with {@code timerId} unless cancelled. */
    void startTimer(String timerId, Duration delay);

    /** Cancels a timer; a timer that already fired or does not exist is ignored. */
    void cancelTimer(String timerId);

    /** Hangs the call up from our side. A {@link CallEvent.HungUp} with {@code byCallee=false} follows. */
    void hangup(HangupReason reason);

    /** Why the flow hangs up; mapped to the ARI {@code reason} parameter by the implementation. */
    enum HangupReason { NORMAL, BUSY, CONGESTION, NO_ANSWER }

    /**
     * Options of a recording.
     *
     * @param maxDuration longest recording; zero means no limit
     * @param maxSilence  stop after this much silence; zero means never
     * @param beep        play a beep before recording
     * @param finishKeys  DTMF keys that end the recording (e.g. "#"), empty for none
     */
    record RecordOptions(Duration maxDuration, Duration maxSilence, boolean beep, String finishKeys) {
        public RecordOptions {
            if (maxDuration == null || maxDuration.isNegative()) {
                throw new IllegalArgumentException("maxDuration must be zero or positive, was " + maxDuration);
            }
            if (maxSilence == null || maxSilence.isNegative()) {
                throw new IllegalArgumentException("maxSilence must be zero or positive, was " + maxSilence);
            }
            finishKeys = finishKeys == null ? "" : finishKeys;
        }
    }

    /**
     * A transfer of the call to another number.
     *
     * @param number      the number to dial (E.164 or as the trunk expects it)
     * @param trunk       the trunk name, or null for the campaign's trunk
     * @param ringTimeout how long to ring before giving up
     * @param callerId    caller id to present, or null for the trunk's
     */
    record TransferRequest(String number, String trunk, Duration ringTimeout, String callerId) {
        public TransferRequest {
            if (number == null || number.isBlank()) {
                throw new IllegalArgumentException("transfer number must not be blank");
            }
            if (ringTimeout == null || ringTimeout.isNegative() || ringTimeout.isZero()) {
                throw new IllegalArgumentException("ringTimeout must be positive, was " + ringTimeout);
            }
        }
    }
}
