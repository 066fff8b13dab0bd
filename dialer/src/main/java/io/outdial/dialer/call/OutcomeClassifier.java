package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriEvent;

import java.util.Map;

/**
 * Turns the ARI events of one originated channel into an outcome, exactly by ARCHITECTURE §3 rule 2:
 * answer (StasisStart, Dial ANSWER or the channel going Up) → ANSWERED; else the last final
 * {@code Dial.dialstatus}; else the {@code ChannelDestroyed} cause. The {@code ChannelHangupRequest} cause is
 * never used (it may be a soft-hangup flag). Events of other channels (e.g. the {@code ;2} half of a Local
 * channel) are ignored. Not thread-safe: one per call, used on the call's context.
 */
final class OutcomeClassifier {
    private static final Map<Integer, OutcomeKind> CAUSES = Map.ofEntries(
            Map.entry(17, OutcomeKind.BUSY),
            Map.entry(18, OutcomeKind.NO_ANSWER), Map.entry(19, OutcomeKind.NO_ANSWER),
            Map.entry(20, OutcomeKind.NO_ANSWER),
            Map.entry(34, OutcomeKind.CONGESTION), Map.entry(38, OutcomeKind.CONGESTION),
            Map.entry(41, OutcomeKind.CONGESTION), Map.entry(42, OutcomeKind.CONGESTION),
            Map.entry(27, OutcomeKind.CONGESTION), Map.entry(47, OutcomeKind.CONGESTION),
            Map.entry(1, OutcomeKind.INVALID_NUMBER), Map.entry(2, OutcomeKind.INVALID_NUMBER),
            Map.entry(3, OutcomeKind.INVALID_NUMBER), Map.entry(22, OutcomeKind.INVALID_NUMBER),
            Map.entry(28, OutcomeKind.INVALID_NUMBER),
            Map.entry(21, OutcomeKind.REJECTED));

    private final String channelId;
    private boolean answered;
    private DialStatus dialStatus = DialStatus.NONE;
    private Integer destroyedCause;
    private String causeText = "";

    /** A classifier for the channel with this id (the pre-assigned originate channelId). */
    public OutcomeClassifier(String channelId) {
        if (channelId == null || channelId.isBlank()) {
            throw new IllegalArgumentException("channelId must not be blank");
        }
        this.channelId = channelId;
    }

    /** Feeds one event; events about other channels are ignored. */
    public void accept(AriEvent event) {
        if (!channelId.equals(event.channelId())) {
            return;
        }
        if (event instanceof AriEvent.StasisStart) {
            answered = true;
        } else if (event instanceof AriEvent.Dial) {
            DialStatus status = DialStatus.parse(((AriEvent.Dial) event).dialstatus());
            if (status != DialStatus.NONE) {
                dialStatus = status;
                answered |= status == DialStatus.ANSWER;
            }
        } else if (event instanceof AriEvent.ChannelStateChange) {
            var channel = ((AriEvent.ChannelStateChange) event).channel();
            answered |= channel != null && "Up".equalsIgnoreCase(channel.state());
        } else if (event instanceof AriEvent.ChannelDestroyed) {
            var destroyed = (AriEvent.ChannelDestroyed) event;
            destroyedCause = destroyed.cause();
            causeText = destroyed.causeTxt() == null ? "" : destroyed.causeTxt();
        }
    }

    /** Marks the call answered from another source of truth (e.g. reconcile found it Up in Stasis). */
    public void markAnswered() {
        answered = true;
    }

    /** True once the channel was answered. */
    public boolean answered() {
        return answered;
    }

    /** True once ChannelDestroyed was seen for the channel. */
    public boolean ended() {
        return destroyedCause != null;
    }

    /** The ChannelDestroyed cause, 0 until it is known. */
    public int cause() {
        return destroyedCause == null ? 0 : destroyedCause;
    }

    /** The last non-empty dial status ("" if none). */
    public String dialstatus() {
        return dialStatus == DialStatus.NONE ? "" : dialStatus.name();
    }

    /** The last non-empty dial status ({@link DialStatus#NONE} if none). */
    public DialStatus dialStatus() {
        return dialStatus;
    }

    /** The outcome from the facts seen so far (meaningful once {@link #ended()}). */
    public CallOutcome outcome() {
        int cause = cause();
        String dialstatus = dialstatus();
        String causeDetail = "cause " + cause + (causeText.isEmpty() ? "" : " (" + causeText + ")");
        if (answered && destroyedCause != null && cause == 0) {
            // An answered channel has a real clearing cause (16 when either side hangs up, also for our DELETE).
            // Cause 0 after answer means Asterisk cut the call itself: it shut down ("core stop now").
            return CallOutcome.of(OutcomeKind.LOST, 0, dialStatus, "answered; Asterisk ended the call with " + causeDetail
                    + " (it was shutting down)");
        }
        if (answered) {
            return CallOutcome.of(OutcomeKind.ANSWERED, cause, dialStatus, "answered; ended with " + causeDetail);
        }
        OutcomeKind byDial = of(dialStatus);
        OutcomeKind byCause = CAUSES.get(cause);
        if (byDial != null && !(dialStatus == DialStatus.CHANUNAVAIL && byCause != null)) {
            return CallOutcome.of(byDial, cause, dialStatus, "dial status " + dialstatus + ", " + causeDetail);
        }
        if (byCause != null) {
            return CallOutcome.of(byCause, cause, dialStatus, causeDetail
                    + (dialstatus.isEmpty() ? "" : ", last dial status " + dialstatus));
        }
        return CallOutcome.of(OutcomeKind.FAILED, cause, dialStatus, "ended before answer with " + causeDetail
                + (dialstatus.isEmpty() ? ", no dial status" : ", last dial status " + dialstatus));
    }

    /**
     * The outcome named by a final dial status, or null for non-final ones ("", RINGING, PROGRESS, ANSWER,
     * CANCEL). CHANUNAVAIL is CONGESTION unless the destroy cause says more (e.g. 1 = invalid number).
     */
    public static OutcomeKind ofDialstatus(String status) {
        return of(DialStatus.parse(status));
    }

    /** The outcome a final dial status names, or null for a non-final one. */
    public static OutcomeKind of(DialStatus status) {
        switch (status) {
            case BUSY: return OutcomeKind.BUSY;
            case CONGESTION: case CHANUNAVAIL: return OutcomeKind.CONGESTION;
            case NOANSWER: return OutcomeKind.NO_ANSWER;
            default: return null;
        }
    }

    /** The outcome named by a Q.850 cause, or null when the cause alone does not decide. */
    public static OutcomeKind ofCause(int cause) {
        return CAUSES.get(cause);
    }
}
