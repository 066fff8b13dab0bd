package io.outdial.fallback.channel.sms;

import io.outdial.fallback.channel.SendException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitSmResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transceiver bind: connects and binds on a worker, rebinds after any loss with exponential backoff and
 * jitter, and submits with a window and a throughput limit. Thread-safe.
 */
final class SmppBind {

    private static final Logger LOG = LoggerFactory.getLogger(SmppBind.class);

    /** The submit did not reach the SMSC or the SMSC did not take it; it is safe to submit again. */
    static final class Retry extends Exception {
        private static final long serialVersionUID = 1L;

        Retry(String message) {
            super(message, null, false, false);
        }
    }

    private final Vertx vertx;
    /** Binds and closes only: submits waiting for a bind must not take the threads a rebind needs. */
    private final WorkerExecutor worker;
    private final SmscConfig cfg;
    private final int index;
    private final String password;
    private final Runnable onStateChange;
    private final Consumer<DeliverSm> onDeliverSm;
    private final Semaphore window;
    private final RateLimiter rate;
    private final AtomicBoolean rebindScheduled = new AtomicBoolean();
    private final AtomicLong submitted = new AtomicLong();
    private final Set<SMPPSession> unboundBySmsc = ConcurrentHashMap.newKeySet();
    private volatile SMPPSession session;
    private volatile BindStatus.State state = BindStatus.State.DOWN;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private volatile boolean closed;
    private volatile boolean everBound;
    private volatile int rebinds;
    private int failures;

    SmppBind(Vertx vertx, WorkerExecutor worker, SmscConfig cfg, int index, String password, Runnable onStateChange,
             Consumer<DeliverSm> onDeliverSm) {
        this.vertx = vertx;
        this.worker = worker;
        this.cfg = cfg;
        this.index = index;
        this.password = password;
        this.onStateChange = onStateChange;
        this.onDeliverSm = onDeliverSm;
        this.window = new Semaphore(cfg.window());
        this.rate = new RateLimiter(cfg.throughput());
    }

    void start() {
        connect();
    }

    boolean bound() {
        SMPPSession s = session;
        return s != null && state == BindStatus.State.BOUND && s.getSessionState().isTransmittable();
    }

    BindStatus status() {
        return new BindStatus(cfg.name(), index, state, since, rebinds, lastError, submitted.get());
    }

    /** Submits one part; returns the SMSC's message id. */
    String submit(String dest, byte[] shortMessage, boolean udhi, byte dataCoding) throws Retry {
        try {
            window.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendException(SendException.Reason.UNAVAILABLE, "interrupted while waiting for the window");
        }
        // waiting for the rate slot comes first, so a submit writes right after it took the session
        rate.acquire();
        SMPPSession s = session;
        try {
            if (s == null || !s.getSessionState().isTransmittable()) {
                throw new Retry("not bound");
            }
            SubmitSmResult r = s.submitShortMessage("", TypeOfNumber.valueOf(cfg.sourceTon().byteValue()),
                    NumberingPlanIndicator.valueOf(cfg.sourceNpi().byteValue()), cfg.sourceAddress(),
                    TypeOfNumber.valueOf(cfg.destTon().byteValue()),
                    NumberingPlanIndicator.valueOf(cfg.destNpi().byteValue()), dest,
                    new ESMClass(udhi ? SmsPdus.UDHI : 0), (byte) 0, (byte) 1, null, null,
                    new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0,
                    DataCodings.newInstance(dataCoding), (byte) 0, shortMessage);
            submitted.incrementAndGet();
            return r.getMessageId();
        } catch (NegativeResponseException e) {
            int code = e.getCommandStatus();
            if (code == SMPPConstant.STAT_ESME_RINVBNDSTS) {
                // the SMSC no longer takes submits on this session (it is about to unbind): stop using it
                retire(s);
                throw new Retry(String.format("submit_sm_resp 0x%08x", code));
            }
            if (code == SMPPConstant.STAT_ESME_RTHROTTLED || code == SMPPConstant.STAT_ESME_RMSGQFUL) {
                throw new Retry(String.format("submit_sm_resp 0x%08x", code));
            }
            throw new SendException(SendException.Reason.REJECTED, String.format(
                    "smsc %s refused the message to %s: submit_sm_resp 0x%08x", cfg.name(), dest, code));
        } catch (ResponseTimeoutException e) {
            if (unboundBySmsc.contains(s)) {
                // The SMSC unbound the session without answering: a well-behaved SMSC answers every request it
                // took before it sends unbind, so this one was not taken and goes out again on another session.
                throw new Retry("the SMSC unbound the session before answering");
            }
            // The SMSC may have taken it: never submitted again, so never sent twice.
            throw new SendException(SendException.Reason.TIMEOUT, "smsc " + cfg.name() + ": no submit_sm_resp within "
                    + cfg.responseTimeout().toMillis() + " ms", e);
        } catch (IOException e) {
            // jsmpp throws this when the PDU could not be written: the SMSC never saw it.
            throw new Retry("write failed: " + e.getMessage());
        } catch (PDUException | InvalidResponseException e) {
            throw new SendException(SendException.Reason.INVALID, "smsc " + cfg.name() + ": " + e.getMessage(), e);
        } finally {
            window.release();
        }
    }

    Future<Void> close() {
        closed = true;
        SMPPSession s = session;
        session = null;
        setState(BindStatus.State.CLOSED, null);
        if (s == null) {
            return Future.succeededFuture();
        }
        return worker.executeBlocking(() -> {
            s.unbindAndClose();
            return null;
        }, false);
    }

    private void connect() {
        rebindScheduled.set(false);
        if (closed) {
            return;
        }
        setState(BindStatus.State.CONNECTING, lastError);
        worker.executeBlocking(this::bindBlocking, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("smsc {} bind {}: bind failed: {}", cfg.name(), index, ar.cause().toString());
                setState(BindStatus.State.DOWN, ar.cause().toString());
                scheduleRebind();
                return;
            }
            SMPPSession s = ar.result();
            if (closed) {
                s.unbindAndClose();
                return;
            }
            failures = 0;
            if (everBound) {
                rebinds++;
            }
            everBound = true;
            session = s;
            setState(BindStatus.State.BOUND, lastError);
            LOG.info("smsc {} bind {}: bound as transceiver to {}:{} (session {})", cfg.name(), index, cfg.host(),
                    cfg.port(), s.getSessionId());
            if (!s.getSessionState().isBound()) {
                lost(s, s.getSessionState());
            }
        });
    }

    private SMPPSession bindBlocking() throws IOException {
        SMPPSession s = new SMPPSession();
        s.setEnquireLinkTimer((int) cfg.enquireLink().toMillis());
        s.setTransactionTimer(cfg.responseTimeout().toMillis());
        s.setMessageReceiverListener(new Receiver());
        s.addSessionStateListener((newState, oldState, source) -> {
            if (newState == SessionState.UNBOUND && !closed) {
                // jsmpp reports UNBOUND when the SMSC sent unbind (we never unbind a live bind but on close)
                unboundBySmsc.add(s);
                vertx.setTimer(cfg.responseTimeout().toMillis() * 2 + 1_000, id -> unboundBySmsc.remove(s));
            }
            if (!newState.isBound() && newState != SessionState.OPEN) {
                lost(source, newState);
            }
        });
        try {
            s.connectAndBind(cfg.host(), cfg.port(), new BindParameter(BindType.BIND_TRX, cfg.systemId(), password,
                    cfg.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null),
                    cfg.responseTimeout().toMillis());
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void lost(Session source, SessionState newState) {
        synchronized (this) {
            if (closed || source != session) {
                return;
            }
            session = null;
        }
        LOG.warn("smsc {} bind {}: session {} is {}; rebinding", cfg.name(), index, source.getSessionId(), newState);
        setState(BindStatus.State.DOWN, "session " + newState);
        if (source instanceof SMPPSession) {
            // not on jsmpp's own thread, which may be the one reporting this change
            worker.executeBlocking(() -> {
                ((SMPPSession) source).close();
                return null;
            }, false);
        }
        scheduleRebind();
    }

    /**
     * Stops submitting on a session the SMSC no longer takes submits on (it is about to unbind) and binds a new
     * one at once. The SMSC closes the old session once its outstanding submits are answered; should it not, the
     * old session is closed here after twice the response timeout.
     */
    private void retire(SMPPSession s) {
        synchronized (this) {
            if (closed || s != session) {
                return;
            }
            session = null;
        }
        LOG.warn("smsc {} bind {}: session {} refuses submits (ESME_RINVBNDSTS); binding a new one", cfg.name(),
                index, s.getSessionId());
        setState(BindStatus.State.DOWN, "ESME_RINVBNDSTS");
        scheduleRebind();
        vertx.setTimer(cfg.responseTimeout().toMillis() * 2, id -> worker.executeBlocking(() -> {
            if (s.getSessionState() != SessionState.CLOSED) {
                s.close();
            }
            return null;
        }, false));
    }

    private void scheduleRebind() {
        if (closed || !rebindScheduled.compareAndSet(false, true)) {
            return;
        }
        long min = cfg.rebindMin().toMillis();
        long base = Math.min(cfg.rebindMax().toMillis(), min << Math.min(failures, 20));
        failures++;
        // jitter: half the wait is fixed, the other half random, so many binds do not rebind in step
        long delay = Math.max(1, base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
        vertx.setTimer(delay, id -> connect());
    }

    private void setState(BindStatus.State st, String error) {
        state = st;
        since = Instant.now();
        lastError = error;
        onStateChange.run();
    }

    /** Receipts and replies come here on jsmpp's threads. */
    private final class Receiver implements MessageReceiverListener {
        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) {
            onDeliverSm.accept(deliverSm);
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {
            // not used
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }
}
