package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.dialer.ari.OriginateRequest;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.ivr.spi.CallControl.TransferRequest;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallEvent.TransferStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The B leg of a transfer: originate B into our app, and when B enters Stasis put A and B into a mixing
 * bridge. Asterisk cleans nothing up (gotcha 16): when either leg ends we hang up the other and destroy the
 * bridge ourselves.
 */
final class TransferLeg {
    private static final Logger LOG = LoggerFactory.getLogger(TransferLeg.class);

    private final CallEngine engine;
    private final CallHandler call;
    private final String transferId;
    private final TransferRequest request;
    private final String legId;
    private final String bridgeId;
    private final OutcomeClassifier classifier;
    private boolean finished;
    private boolean bridged;
    private boolean legGone;
    private boolean bridgeCreated;

    TransferLeg(CallEngine engine, CallHandler call, String transferId, TransferRequest request) {
        this.engine = engine;
        this.call = call;
        this.transferId = transferId;
        this.request = request;
        this.legId = call.channelId() + "-x" + Integer.toHexString(transferId.hashCode() & 0xfffff);
        this.bridgeId = "br-" + legId;
        this.classifier = new OutcomeClassifier(legId);
    }

    String transferId() { return transferId; }
    boolean finished() { return finished; }
    boolean bridged() { return bridged; }
    String legId() { return legId; }

    void start() {
        Trunk trunk = request.trunk() == null ? call.attempt().request().trunk() : engine.trunk(request.trunk());
        if (trunk == null) {
            finish(TransferStatus.FAILED, "no trunk named " + request.trunk());
            return;
        }
        String endpoint;
        try {
            endpoint = trunk.endpoint(request.number());
        } catch (IllegalArgumentException e) {
            finish(TransferStatus.FAILED, e.getMessage());
            return;
        }
        String callerId = request.callerId() != null ? request.callerId()
                : trunk.callerIdFor(call.attempt().request().contactId(), 1);
        engine.route(legId, call);
        OriginateRequest o = OriginateRequest.toApp(endpoint, legId, engine.app(), "transfer", request.ringTimeout(),
                callerId, Map.of("OUTDIAL_ATTEMPT", call.attemptId()));
        LOG.info("call {} channel {}: transfer {} dialing {} as {}", call.attemptId(), call.channelId(), transferId,
                endpoint, legId);
        engine.rest().originate(o).onFailure(e -> {
            legGone = true;
            engine.unroute(legId);
            finish(TransferStatus.FAILED, e.getMessage());
        });
    }

    /** An event of the B channel. */
    void onLegEvent(AriEvent event) {
        classifier.accept(event);
        if (event instanceof AriEvent.StasisStart && !finished) {
            bridge();
        } else if (event instanceof AriEvent.ChannelDestroyed) {
            legGone = true;
            engine.unroute(legId);
            if (!finished) {
                CallOutcome o = classifier.outcome();
                finish(o.kind() == OutcomeKind.BUSY ? TransferStatus.BUSY
                        : o.kind() == OutcomeKind.NO_ANSWER ? TransferStatus.NO_ANSWER : TransferStatus.FAILED,
                        o.detail());
            } else if (bridged) {
                LOG.info("call {}: transfer target hung up; hanging up the caller", call.attemptId());
                call.control().hangup(io.outdial.ivr.spi.CallControl.HangupReason.NORMAL);
            }
            destroyBridge();
        }
    }

    private void bridge() {
        engine.rest().createBridge(bridgeId, "mixing", "xfer-" + transferId)
                .compose(b -> {
                    bridgeCreated = true;
                    return engine.rest().addChannel(bridgeId, call.channelId(), legId);
                })
                .onComplete(ar -> {
                    if (finished) {
                        return;
                    }
                    if (ar.succeeded()) {
                        bridged = true;
                        finish(TransferStatus.BRIDGED, "bridged with " + legId);
                    } else {
                        finish(TransferStatus.FAILED, "bridge failed: " + ar.cause().getMessage());
                        hangupLeg();
                        destroyBridge();
                    }
                });
    }

    private void finish(TransferStatus status, String detail) {
        if (finished) {
            return;
        }
        finished = true;
        LOG.info("call {} channel {}: transfer {} {} ({})", call.attemptId(), call.channelId(), transferId, status,
                detail);
        call.deliver(new CallEvent.TransferFinished(transferId, status, detail));
    }

    /** Channel A ended: the B leg and the bridge go too. */
    void onCallEnded() {
        hangupLeg();
        destroyBridge();
        if (!finished) {
            finish(TransferStatus.FAILED, "caller hung up during the transfer");
        }
    }

    private void hangupLeg() {
        if (!legGone) {
            legGone = true;
            engine.rest().hangup(legId, "normal").onFailure(e -> LOG.debug("call {}: hangup of leg {}: {}",
                    call.attemptId(), legId, e.getMessage()));
        }
    }

    private void destroyBridge() {
        if (bridgeCreated) {
            bridgeCreated = false;
            engine.rest().destroyBridge(bridgeId).onFailure(e -> LOG.debug("call {}: destroy bridge {}: {}",
                    call.attemptId(), bridgeId, e.getMessage()));
        }
    }
}
