package io.outdial.sandbox.smsc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMPP 3.4 SMSC on loopback (jsmpp server side). Clients bind as transceivers with a system id and password;
 * every submit_sm is answered with an id, and the recipient's {@link RecipientScript} decides the receipt and
 * any reply. Receipts go to a bound session of the same system id, waiting for one if none is bound, as a real
 * SMSC stores and forwards. {@link #faults()} makes it misbehave.
 */
public final class SandboxSmsc implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSmsc.class);

    private final String systemId;
    private final String password;
    private final Map<String, RecipientScript> scripts = new ConcurrentHashMap<>();
    private volatile RecipientScript defaultScript = RecipientScript.deliverAfter(Duration.ofMillis(20));
    private volatile Function<String, RecipientScript> byNumber = number -> null;
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final List<SubmittedSm> submitted = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(0x1000);
    private final AtomicInteger binds = new AtomicInteger();
    private final AtomicInteger throttleLeft = new AtomicInteger();
    private final AtomicBoolean silentEnquireLink = new AtomicBoolean();
    private final AtomicBoolean refuseBinds = new AtomicBoolean();
    private final java.util.Set<String> draining = ConcurrentHashMap.newKeySet();
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();
    private final ExecutorService sessionThreads = Executors.newCachedThreadPool(daemon("smsc-session"));
    /** Receipts, replies and delays; once closed, what a client's late submit would schedule is dropped. */
    private final ScheduledExecutorService scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(2,
            daemon("smsc-timer"), new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
    private final Forwarder forwarder = new Forwarder(sessions, scheduler);
    private SMPPServerSessionListener listener;
    private int port;
    private volatile boolean closed;

    /** An SMSC that accepts binds with this system id and password. */
    public SandboxSmsc(String systemId, String password) {
        this.systemId = systemId;
        this.password = password;
    }

    /** Listens on a free loopback port and accepts sessions; returns the port. */
    public int start() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        listener = new SMPPServerSessionListener(port);
        // several PDU threads per session: a receipt can go out while a submit_sm is still being answered
        listener.setPduProcessorDegree(4);
        listener.setMessageReceiverListener(new SmscRequests(this::submit, source -> {
            if (silentEnquireLink.get()) {
                // jsmpp answers once this returns: holding the PDU thread is "not answering"
                holdEnquireLink(source);
            }
        }));
        Thread acceptor = new Thread(this::acceptLoop, "smsc-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("sandbox SMSC listening on 127.0.0.1:{} for system id {}", port, systemId);
        return port;
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** Sets what happens to messages for one number. */
    public void script(String number, RecipientScript script) {
        scripts.put(number, script);
    }

    /**
     * Sets a rule for numbers without their own script: it gets the destination address as the SMSC received it
     * and answers a script, or null for the default one.
     */
    public void scriptByNumber(Function<String, RecipientScript> rule) {
        byNumber = java.util.Objects.requireNonNull(rule, "rule");
    }

    /** Sets what happens to numbers without their own script or rule (default: delivered after 20 ms). */
    public void defaultScript(RecipientScript script) {
        defaultScript = script;
    }

    /** Sends a reply (MO) from a number to an address, as if the recipient wrote first. */
    public void sendMo(String from, String to, String text) {
        forwarder.forward(() -> forwarder.mo(from, to, text));
    }

    /** Every submit_sm accepted, in order. */
    public List<SubmittedSm> submitted() {
        return List.copyOf(submitted);
    }

    /** Successful binds so far. */
    public int binds() {
        return binds.get();
    }

    /** Sessions bound now. */
    public int boundSessions() {
        return (int) sessions.stream().filter(s -> s.getSessionState().isBound()).count();
    }

    /** Delivery receipts written to clients. */
    public int receiptsSent() {
        return forwarder.receipts();
    }

    /** Fault injection. */
    public SmscFaults faults() {
        return new SmscFaults() {
            @Override
            public void unbindAll() {
                for (SMPPServerSession s : sessions) {
                    sessionThreads.execute(() -> gracefulUnbind(s));
                }
            }

            @Override
            public void silenceEnquireLink(boolean on) {
                silentEnquireLink.set(on);
            }

            @Override
            public void throttleNext(int count) {
                throttleLeft.set(count);
            }

            @Override
            public void refuseBinds(boolean on) {
                refuseBinds.set(on);
            }

            @Override
            public void clear() {
                silentEnquireLink.set(false);
                throttleLeft.set(0);
                refuseBinds.set(false);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (listener != null) {
                listener.close(); // first: no client binds again while its session is being closed
            }
        } catch (IOException e) {
            LOG.debug("closing the SMSC listener", e);
        }
        forwarder.close();
        sessions.forEach(SMPPServerSession::unbindAndClose);
        scheduler.shutdownNow();
        sessionThreads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SMPPServerSession s = listener.accept();
                try {
                    sessionThreads.execute(() -> bind(s));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    s.close(); // accepted as the SMSC closed: the client sees its connection end
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("SMSC accept failed", e);
                }
            }
        }
    }

    private void bind(SMPPServerSession s) {
        try {
            BindRequest req = s.waitForBind(5_000);
            if (refuseBinds.get()) {
                req.reject(SMPPConstant.STAT_ESME_RBINDFAIL);
                return;
            }
            if (!systemId.equals(req.getSystemId()) || !password.equals(req.getPassword())) {
                req.reject(SMPPConstant.STAT_ESME_RINVPASWD);
                return;
            }
            req.accept("sandbox-smsc");
            s.addSessionStateListener((newState, oldState, src) -> {
                if (!newState.isBound()) {
                    sessions.remove(s);
                    traffic.remove(s.getSessionId());
                }
            });
            sessions.add(s);
            binds.incrementAndGet();
            LOG.info("SMSC session {} bound ({})", s.getSessionId(), req.getBindType());
            forwarder.flush();
        } catch (Exception e) {
            LOG.info("SMSC bind failed: {}", e.toString());
            s.close();
        }
    }

    /**
     * Unbinds as a well-behaved SMSC does: new submits on the session are refused with ESME_RINVBNDSTS (so the
     * client knows they were not taken), the ones under way are answered, and once the session is quiet the
     * unbind goes out.
     */
    private void gracefulUnbind(SMPPServerSession s) {
        draining.add(s.getSessionId());
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < until && s.getSessionState().isBound() && !quiet(s.getSessionId())) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("SMSC unbinds session {}", s.getSessionId());
        s.unbindAndClose();
        draining.remove(s.getSessionId());
        traffic.remove(s.getSessionId());
    }

    /** No submit_sm under way on the session and none for 100 ms. */
    private boolean quiet(String sessionId) {
        Traffic t = traffic.get(sessionId);
        return t == null || (t.inFlight.get() == 0
                && System.nanoTime() - t.lastNanos > TimeUnit.MILLISECONDS.toNanos(100));
    }

    private SubmitSmResult submit(SubmitSm sm, SMPPServerSession session) throws ProcessRequestException {
        Traffic t = traffic.computeIfAbsent(session.getSessionId(), k -> new Traffic());
        t.lastNanos = System.nanoTime();
        t.inFlight.incrementAndGet();
        try {
            if (draining.contains(session.getSessionId())) {
                throw new ProcessRequestException("unbinding", SMPPConstant.STAT_ESME_RINVBNDSTS);
            }
            return accept(sm, session);
        } finally {
            t.lastNanos = System.nanoTime();
            t.inFlight.decrementAndGet();
        }
    }

    /** Submits under way on a session and when the last one came or went. */
    private static final class Traffic {
        final AtomicInteger inFlight = new AtomicInteger();
        volatile long lastNanos;
    }

    private SubmitSmResult accept(SubmitSm sm, SMPPServerSession session) throws ProcessRequestException {
        if (throttleLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
        }
        RecipientScript script = scripts.get(sm.getDestAddress());
        if (script == null) {
            script = byNumber.apply(sm.getDestAddress());
        }
        if (script == null) {
            script = defaultScript;
        }
        if (script.kind() == RecipientScript.Kind.REFUSE) {
            throw new ProcessRequestException("refused by script", script.error());
        }
        byte[] body = sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage();
        int ref = -1;
        int total = 1;
        int seq = 1;
        int from = 0;
        if ((sm.getEsmClass() & 0x40) != 0 && body.length >= 6 && body[1] == 0x00) {
            ref = body[3] & 0xFF;
            total = body[4] & 0xFF;
            seq = body[5] & 0xFF;
            from = (body[0] & 0xFF) + 1;
        }
        String text = (sm.getDataCoding() & 0xFF) == 0x08
                ? new String(body, from, body.length - from, StandardCharsets.UTF_16BE) : Gsm7Text.decode(body, from);
        String id = Long.toHexString(ids.incrementAndGet()).toUpperCase();
        Instant now = Instant.now();
        SubmittedSm rec = new SubmittedSm(id, session.getSessionId(), sm.getSourceAddr(), sm.getDestAddress(),
                sm.getDataCoding() & 0xFF, text, ref, total, seq, now);
        submitted.add(rec);
        plan(rec, script);
        try {
            return new SubmitSmResult(new MessageId(id), new org.jsmpp.bean.OptionalParameter[0]);
        } catch (PDUStringException e) {
            throw new ProcessRequestException("bad message id", SMPPConstant.STAT_ESME_RSYSERR);
        }
    }

    private void plan(SubmittedSm rec, RecipientScript script) {
        long after = script.after().toMillis();
        switch (script.kind()) {
            case DELIVER:
                later(after, () -> forwarder.receipt(rec, "DELIVRD", 0));
                break;
            case UNDELIVERABLE:
                later(after, () -> forwarder.receipt(rec, "UNDELIV", script.error()));
                break;
            case EXPIRE:
                later(after, () -> forwarder.receipt(rec, "EXPIRED", script.error()));
                break;
            case REJECT:
                later(after, () -> forwarder.receipt(rec, "REJECTD", script.error()));
                break;
            case REPLY:
                later(after, () -> {
                    forwarder.receipt(rec, "DELIVRD", 0);
                    if (rec.seq() == rec.total()) {
                        forwarder.mo(rec.dest(), rec.source(), script.text());
                    }
                });
                break;
            case TWICE:
                later(after, () -> {
                    forwarder.receipt(rec, "DELIVRD", 0);
                    forwarder.receipt(rec, "DELIVRD", 0);
                });
                break;
            case RECEIPT_FIRST:
                // written and answered by the client before this submit_sm is answered
                CountDownLatch done = new CountDownLatch(1);
                scheduler.execute(() -> {
                    try {
                        forwarder.receipt(rec, "DELIVRD", 0);
                    } finally {
                        done.countDown();
                    }
                });
                try {
                    done.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                break;
            case NEVER:
            default:
                break;
        }
    }

    private void later(long ms, Runnable r) {
        scheduler.schedule(() -> forwarder.forward(r), ms, TimeUnit.MILLISECONDS);
    }

    private void holdEnquireLink(Session source) {
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (silentEnquireLink.get() && !closed && source.getSessionState().isBound()
                    && System.nanoTime() < until) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
