package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowSession;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-call handler: receives the events routed to its channel ids on the engine's context, drives the
 * {@link CallAttempt}, runs the flow on answer and finishes the attempt once both the channel and the flow
 * are done. Small on purpose: thousands live at once.
 */
final class CallHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CallHandler.class);
    /** How long to wait for a flow to report its result after the channel is gone. */
    private static final long FLOW_GRACE_MS = 2_000;

    private final CallEngine engine;
    private final CallAttempt attempt;
    private final Promise<CallRecord> done = Promise.promise();
    private AriCallControl control;
    private FlowSession session;
    private boolean flowFinished;
    private FlowResult pendingFlowResult;
    private boolean completed;
    private long graceTimer = -1;
    private long watchdog = -1;

    CallHandler(CallEngine engine, CallAttempt attempt) {
        this.engine = engine;
        this.attempt = attempt;
    }

    String channelId() { return attempt.request().channelId(); }
    String attemptId() { return attempt.request().attemptId(); }
    CallAttempt attempt() { return attempt; }
    AriCallControl control() { return control; }
    Promise<CallRecord> done() { return done; }
    boolean completed() { return completed; }
    void watchdog(long timerId) { this.watchdog = timerId; }

    /** Every event routed to this call (channel A, its playbacks/recordings, or the transfer leg). */
    void onEvent(AriEvent event) {
        String id = event.channelId();
        if (control != null && control.transferLeg() != null && control.transferLeg().legId().equals(id)) {
            control.transferLeg().onLegEvent(event);
            return;
        }
        CallAttempt.Change change = attempt.onEvent(event);
        if (control != null) {
            control.onAriEvent(event);
        }
        switch (change) {
            case RANG:
                notifyState();
                break;
            case ANSWERED:
                if (attempt.request().amdEnabled()) {
                    notifyState(); // the verdict, and the flow, come seconds later
                }
                // else StasisStart follows at once, and the flow's start is the state told (and stored)
                break;
            case STASIS_STARTED:
                startFlow();
                break;
            case ENDED:
                ended();
                break;
            default:
                break;
        }
    }

    /** The channel was answered and is in Stasis: hand it to the flow (or hang up a machine). */
    void startFlow() {
        if (control != null || attempt.state() == CallState.ENDED) {
            return;
        }
        control = new AriCallControl(engine, this);
        var req = attempt.request();
        LOG.debug("call {} campaign {} contact {} channel {}: answered{}", attemptId(), req.campaignId(),
                req.contactId(), channelId(), attempt.amdStatus() == null ? "" : " AMD " + attempt.amdStatus()
                        + " " + attempt.amdCause());
        if (attempt.isMachine() && req.machinePolicy() == MachinePolicy.HANG_UP || req.flowRunner() == null) {
            notifyState();
            control.hangup(CallControl.HangupReason.NORMAL);
            return;
        }
        CallInfo info = new CallInfo(attemptId(), req.phone(), req.contactFields(), attempt.amdStatus(),
                attempt.amdCause());
        try {
            session = req.flowRunner().open(info, control, this::onFlowFinished);
            attempt.enterFlow();
            notifyState();
            session.start();
        } catch (RuntimeException e) {
            LOG.error("call {} channel {}: flow failed to start: {}", attemptId(), channelId(), e.toString(), e);
            flowFinished = true; // no result will come: end the attempt as soon as the channel is gone
            control.hangup(CallControl.HangupReason.NORMAL);
        }
    }

    private void notifyState() {
        try {
            engine.listener().onStateChange(attempt.snapshot());
        } catch (RuntimeException e) {
            LOG.error("call {} channel {}: call listener failed on a state change: {}", attemptId(), channelId(),
                    e.toString(), e);
        }
    }

    /** Delivers a flow event on the call's context. */
    void deliver(CallEvent event) {
        if (session != null && !session.isFinished()) {
            try {
                session.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("call {} channel {}: flow failed on {}: {}", attemptId(), channelId(), event, e.toString(),
                        e);
                control.hangup(CallControl.HangupReason.NORMAL);
            }
        }
    }

    private void onFlowFinished(FlowResult result) {
        if (flowFinished) {
            return;
        }
        flowFinished = true;
        attempt.flowFinished(result);
        pendingFlowResult = result;
        if (attempt.state() != CallState.ENDED) {
            if (!control.bridged()) {
                control.hangup(CallControl.HangupReason.NORMAL);
            }
        } else {
            complete();
        }
    }

    private void ended() {
        if (control != null) {
            control.onHungUp(attempt.cause());
        }
        if (session == null || flowFinished) {
            complete();
        } else {
            graceTimer = engine.vertx().setTimer(FLOW_GRACE_MS, t -> {
                LOG.warn("call {} channel {}: flow did not finish {} ms after hangup; closing without its result",
                        attemptId(), channelId(), FLOW_GRACE_MS);
                complete();
            });
        }
    }

    /** An answered call found after a restart: its flow is lost, so hang it up and end it when it is gone. */
    void interruptedByRestart() {
        control = new AriCallControl(engine, this);
        flowFinished = true;
        attempt.markInterrupted("flow interrupted by a dialer restart");
        control.hangup(CallControl.HangupReason.NORMAL);
    }

    /** No call was placed (refused by a shutting-down Asterisk, or withdrawn before it was sent): NOT_PLACED. */
    void endNotPlaced(String reason) {
        attempt.notPlaced(reason);
        ended();
    }

    /** Ends the attempt from outside the event stream (originate failed, reconcile found it gone). */
    void endWithoutEvent(boolean lost, String reason) {
        if (lost) {
            attempt.lost(reason);
        } else {
            attempt.originateFailed(reason);
        }
        ended();
    }

    private void complete() {
        if (completed) {
            return;
        }
        completed = true;
        engine.vertx().cancelTimer(graceTimer);
        engine.vertx().cancelTimer(watchdog);
        if (pendingFlowResult != null) {
            attempt.flowFinished(pendingFlowResult);
        }
        engine.finished(this);
        CallRecord record = attempt.snapshot();
        LOG.info("call {} campaign {} contact {} channel {}: ended {} cause {} ({})", attemptId(),
                record.campaignId(), record.contactId(), channelId(), record.outcome().kind(),
                record.outcome().cause(), record.outcome().detail());
        try {
            engine.listener().onEnded(record);
        } catch (RuntimeException e) {
            LOG.error("call {} channel {}: call listener failed on the end: {}", attemptId(), channelId(),
                    e.toString(), e);
        } finally {
            done.complete(record);
        }
    }
}
