package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.ivr.spi.FlowResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The state machine of one call attempt, free of I/O so it is tested with a fake clock: fed the ARI events
 * of its channel, it moves DIALING → RINGING → ANSWERED → IN_FLOW → ENDED, keeps the times, DTMF, AMD
 * verdict and recordings, and decides the outcome. Not thread-safe: owned by the engine's context.
 */
final class CallAttempt {
    /** What one event changed, for the handler to act on. */
    public enum Change { NONE, RANG, ANSWERED, STASIS_STARTED, ENDED }

    /** How far Asterisk's clock may differ from ours for its answer time to be used. */
    private static final long UP_SKEW_MS = 1_000;

    private final CallRequest request;
    private final String endpoint;
    private final String callerId;
    private final String server;
    private final Clock clock;
    private final OutcomeClassifier classifier;
    private final StringBuilder dtmf = new StringBuilder();
    private List<String> recordings;
    private CallState state = CallState.DIALING;
    private Instant originateAt;
    private Instant ringAt;
    private Instant answerAt;
    private Instant endAt;
    private boolean stasis;
    private String amdStatus;
    private String amdCause;
    private CallOutcome outcome;
    private String note;

    /** A new attempt about to be originated. */
    public CallAttempt(CallRequest request, String endpoint, String callerId, String server, Clock clock) {
        this.request = request;
        this.endpoint = endpoint;
        this.callerId = callerId;
        this.server = server;
        this.clock = clock;
        this.classifier = new OutcomeClassifier(request.channelId());
    }

    /** Takes over the times and state of an attempt stored before a restart (crash recovery). */
    void restore(CallRecord stored) {
        originateAt = stored.originateAt();
        ringAt = stored.ringAt();
        if (ringAt != null) {
            state = CallState.RINGING;
        }
    }

    /** Records the moment the originate is sent. */
    public void originateSent() {
        originateAt = clock.instant();
    }

    /** Whether a send time is stamped: the originate request may have left. */
    boolean sendStamped() {
        return originateAt != null;
    }

    /** The originate request left at {@code at} (the instant its rate token was taken, just before the write). */
    public void originateSent(Instant at) {
        originateAt = at;
    }

    /** Feeds one event of this attempt's channel. */
    public Change onEvent(AriEvent event) {
        if (state == CallState.ENDED || !request.channelId().equals(event.channelId())) {
            return Change.NONE;
        }
        boolean wasAnswered = classifier.answered();
        classifier.accept(event);
        if (event instanceof AriEvent.ChannelDtmfReceived) {
            dtmf.append(((AriEvent.ChannelDtmfReceived) event).digit());
            return Change.NONE;
        }
        if (event instanceof AriEvent.ChannelDestroyed) {
            end(classifier.outcome());
            return Change.ENDED;
        }
        if (event instanceof AriEvent.StasisStart && !stasis) {
            stasis = true;
            if (request.amdEnabled()) {
                amdArgs(((AriEvent.StasisStart) event).args());
            }
            answered();
            return Change.STASIS_STARTED;
        }
        if (classifier.answered() && !wasAnswered) {
            answered();
            return Change.ANSWERED;
        }
        if (state == CallState.DIALING && isRinging(event)) {
            state = CallState.RINGING;
            ringAt = clock.instant();
            return Change.RANG;
        }
        return Change.NONE;
    }

    private static boolean isRinging(AriEvent event) {
        if (event instanceof AriEvent.Dial) {
            return DialStatus.parse(((AriEvent.Dial) event).dialstatus()).ringing();
        }
        if (event instanceof AriEvent.ChannelStateChange) {
            var c = ((AriEvent.ChannelStateChange) event).channel();
            return c != null && "Ringing".equalsIgnoreCase(c.state());
        }
        return false;
    }

    private void answered() {
        if (answerAt == null) {
            answerAt = clock.instant();
        }
        if (state.ordinal() < CallState.ANSWERED.ordinal()) {
            state = CallState.ANSWERED;
        }
    }

    /** Reconcile found the channel Up in Stasis although StasisStart was missed (websocket gap). */
    public void stasisFoundByReconcile(List<String> args) {
        classifier.markAnswered();
        if (!stasis) {
            stasis = true;
            if (request.amdEnabled() && !args.isEmpty()) {
                amdArgs(args);
            }
        }
        answered();
    }

    /**
     * The dialer-amd context's Stasis args: AMDSTATUS, AMDCAUSE and the moment the channel went Up (epoch seconds
     * with milliseconds, Asterisk's clock). The answer time is that moment, not the verdict 1.7-5 s later; a value
     * that cannot be right (unreadable, before the originate or after now: clocks apart) is ignored.
     */
    private void amdArgs(List<String> args) {
        amdStatus = args.isEmpty() || args.get(0).isBlank() ? null : args.get(0);
        amdCause = args.size() < 2 || args.get(1).isBlank() ? null : args.get(1);
        if (args.size() < 3 || answerAt != null) {
            return;
        }
        try {
            Instant up = Instant.ofEpochMilli(Math.round(Double.parseDouble(args.get(2).strip()) * 1000));
            Instant now = clock.instant();
            if ((originateAt == null || !up.isBefore(originateAt.minusMillis(UP_SKEW_MS)))
                    && !up.isAfter(now.plusMillis(UP_SKEW_MS))) {
                answerAt = up.isAfter(now) ? now : up;
            }
        } catch (NumberFormatException e) {
            // not a time: keep the moment StasisStart arrived
        }
    }

    /** The flow started on the call. */
    public void enterFlow() {
        if (state != CallState.ENDED) {
            state = CallState.IN_FLOW;
        }
    }

    /** The originate request failed: the attempt ends FAILED with the reason. */
    public void originateFailed(String reason) {
        if (state != CallState.ENDED) {
            end(CallOutcome.of(OutcomeKind.FAILED, 0, reason));
        }
    }

    /** The channel vanished while we were not listening: the attempt ends LOST. */
    public void lost(String reason) {
        if (state != CallState.ENDED) {
            end(CallOutcome.of(OutcomeKind.LOST, 0, reason));
        }
    }

    /**
     * No call was placed: Asterisk refused the originate while shutting down, or the request was withdrawn before it
     * left (its calling window closed meanwhile). The attempt ends NOT_PLACED and counts as no attempt.
     */
    public void notPlaced(String reason) {
        if (state != CallState.ENDED) {
            end(CallOutcome.of(OutcomeKind.NOT_PLACED, 0, reason));
        }
    }

    /**
     * The flow of this answered call died with a dialer restart: the call ends LOST (its flow result is unknown,
     * so it must not count as a completed call), with {@code note} in the detail.
     */
    void markInterrupted(String note) {
        this.note = note;
    }

    private void end(CallOutcome o) {
        state = CallState.ENDED;
        endAt = clock.instant();
        if (answerAt != null && o.kind() == OutcomeKind.ANSWERED && isMachine()) {
            o = o.withKind(OutcomeKind.MACHINE, "AMD " + amdCause + "; " + o.detail());
        }
        if (note != null) {
            o = o.withKind(o.kind() == OutcomeKind.ANSWERED ? OutcomeKind.LOST : o.kind(), note + "; " + o.detail());
        }
        outcome = o;
    }

    /** Attaches the flow result to the (final or future) outcome. */
    public void flowFinished(FlowResult result) {
        if (outcome != null) {
            outcome = outcome.withFlowResult(result);
        }
    }

    /** Adds a recording reference. */
    public void recorded(String reference) {
        if (recordings == null) {
            recordings = new ArrayList<>(2);
        }
        recordings.add(reference);
    }

    /** True when AMD said MACHINE. */
    public boolean isMachine() {
        return "MACHINE".equalsIgnoreCase(amdStatus);
    }

    public CallRequest request() { return request; }
    public String endpoint() { return endpoint; }
    public String callerId() { return callerId; }
    public CallState state() { return state; }
    public boolean inStasis() { return stasis; }
    public String amdStatus() { return amdStatus; }
    public String amdCause() { return amdCause; }
    public CallOutcome outcome() { return outcome; }
    public int cause() { return classifier.cause(); }

    /** A snapshot for listeners and storage. */
    public CallRecord snapshot() {
        return new CallRecord(request.attemptId(), request.campaignId(), request.contactId(), request.phone(),
                request.trunk().name(), callerId, server, request.channelId(), state, originateAt, ringAt, answerAt,
                endAt, outcome, amdStatus, amdCause, dtmf.toString(), recordings);
    }
}
