package io.outdial.ivr.spi;

/**
 * A fact about a live call, delivered to {@link FlowSession#onEvent(CallEvent)} on the call's context.
 * Events may repeat (e.g. after a reconnect); a session ignores events whose id it does not expect.
 */
public sealed interface CallEvent permits CallEvent.PlaybackFinished, CallEvent.DtmfReceived,
        CallEvent.RecordingFinished, CallEvent.TransferFinished, CallEvent.TimerFired, CallEvent.HungUp {

    /** How a playback ended. */
    enum PlaybackStatus { DONE, STOPPED, FAILED }

    /** A playback started with {@link CallControl#play} ended. */
    record PlaybackFinished(String playbackId, PlaybackStatus status) implements CallEvent { }

    /** The callee pressed a key: one of {@code 0-9 * # A-D}. */
    record DtmfReceived(char digit) implements CallEvent { }

    /** How a recording ended. */
    enum RecordingStatus { DONE, FAILED }

    /**
     * A recording ended.
     *
     * @param recordingName    the name given to {@link CallControl#record}
     * @param status           done (file kept) or failed
     * @param durationSeconds  whole seconds, as Asterisk reports them (truncated)
     * @param reference        where the audio is kept (e.g. a stored-recording name or a URL), null if failed
     */
    record RecordingFinished(String recordingName, RecordingStatus status, int durationSeconds, String reference)
            implements CallEvent { }

    /** How a transfer ended. */
    enum TransferStatus { BRIDGED, NO_ANSWER, BUSY, FAILED }

    /**
     * A transfer started with {@link CallControl#transfer} was answered and bridged, or failed.
     * After {@code BRIDGED} the flow is done with the call: the bridge lives until one side hangs up.
     */
    record TransferFinished(String transferId, TransferStatus status, String detail) implements CallEvent { }

    /** A timer started with {@link CallControl#startTimer} fired. */
    record TimerFired(String timerId) implements CallEvent { }

    /**
     * The call ended.
     *
     * @param byCallee true when the callee hung up, false when we did
     * @param cause    the Q.850 cause from ChannelDestroyed (16 = normal clearing), 0 if unknown
     */
    record HungUp(boolean byCallee, int cause) implements CallEvent { }
}
