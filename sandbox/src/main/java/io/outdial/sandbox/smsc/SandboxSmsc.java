package io.outdial.sandbox.smsc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
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
    private static final DateTimeFormatter RECEIPT_DATE = DateTimeFormatter.ofPattern("yyMMddHHmm")
            .withZone(ZoneOffset.UTC);

    private final String systemId;
    private final String password;
    private final Map<String, RecipientScript> scripts = new ConcurrentHashMap<>();
    private volatile RecipientScript defaultScript = RecipientScript.deliverAfter(Duration.ofMillis(20));
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final List<SubmittedSm> submitted = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> undeliveredPdus = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong(0x1000);
    private final AtomicInteger binds = new AtomicInteger();
    private final AtomicInteger receipts = new AtomicInteger();
    private final AtomicInteger throttleLeft = new AtomicInteger();
    private final AtomicBoolean silentEnquireLink = new AtomicBoolean();
    private final AtomicBoolean refuseBinds = new AtomicBoolean();
    private final java.util.Set<String> draining = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastSubmitNanos;
    private final ExecutorService sessionThreads = Executors.newCachedThreadPool(daemon("smsc-session"));
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("smsc-timer"));
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
        listener.setMessageReceiverListener(new Receiver());
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

    /** Sets what happens to numbers without their own script (default: delivered after 20 ms). */
    public void defaultScript(RecipientScript script) {
        defaultScript = script;
    }

    /** Sends a reply (MO) from a number to an address, as if the recipient wrote first. */
    public void sendMo(String from, String to, String text) {
        forward(() -> deliverMo(from, to, text));
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
        return receipts.get();
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
        sessions.forEach(SMPPServerSession::unbindAndClose);
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the SMSC listener", e);
        }
        scheduler.shutdownNow();
        sessionThreads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SMPPServerSession s = listener.accept();
                sessionThreads.execute(() -> bind(s));
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
                }
            });
            sessions.add(s);
            binds.incrementAndGet();
            LOG.info("SMSC session {} bound ({})", s.getSessionId(), req.getBindType());
            flushUndelivered();
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
            while (System.nanoTime() < until && s.getSessionState().isBound()
                    && (inFlight.get() > 0 || System.nanoTime() - lastSubmitNanos < TimeUnit.MILLISECONDS.toNanos(100))) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("SMSC unbinds session {}", s.getSessionId());
        s.unbindAndClose();
        draining.remove(s.getSessionId());
    }

    private SubmitSmResult submit(SubmitSm sm, SMPPServerSession session) throws ProcessRequestException {
        lastSubmitNanos = System.nanoTime();
        if (draining.contains(session.getSessionId())) {
            throw new ProcessRequestException("unbinding", SMPPConstant.STAT_ESME_RINVBNDSTS);
        }
        inFlight.incrementAndGet();
        try {
            return accept(sm, session);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private SubmitSmResult accept(SubmitSm sm, SMPPServerSession session) throws ProcessRequestException {
        if (throttleLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
        }
        RecipientScript script = scripts.getOrDefault(sm.getDestAddress(), defaultScript);
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
                later(after, () -> receipt(rec, "DELIVRD", 0));
                break;
            case UNDELIVERABLE:
                later(after, () -> receipt(rec, "UNDELIV", script.error()));
                break;
            case EXPIRE:
                later(after, () -> receipt(rec, "EXPIRED", script.error()));
                break;
            case REJECT:
                later(after, () -> receipt(rec, "REJECTD", script.error()));
                break;
            case REPLY:
                later(after, () -> {
                    receipt(rec, "DELIVRD", 0);
                    if (rec.seq() == rec.total()) {
                        deliverMo(rec.dest(), rec.source(), script.text());
                    }
                });
                break;
            case TWICE:
                later(after, () -> {
                    receipt(rec, "DELIVRD", 0);
                    receipt(rec, "DELIVRD", 0);
                });
                break;
            case RECEIPT_FIRST:
                // written and answered by the client before this submit_sm is answered
                CountDownLatch done = new CountDownLatch(1);
                scheduler.execute(() -> {
                    try {
                        receipt(rec, "DELIVRD", 0);
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
        scheduler.schedule(() -> forward(r), ms, TimeUnit.MILLISECONDS);
    }

    /** Runs a PDU write now; if no session is bound, keeps it until one binds. */
    private void forward(Runnable write) {
        if (closed) {
            return;
        }
        if (boundSession() == null) {
            undeliveredPdus.add(write);
            return;
        }
        write.run();
    }

    private void flushUndelivered() {
        Runnable r;
        while ((r = undeliveredPdus.poll()) != null) {
            Runnable w = r;
            scheduler.execute(() -> forward(w));
        }
    }

    private SMPPServerSession boundSession() {
        for (SMPPServerSession s : sessions) {
            if (s.getSessionState() == SessionState.BOUND_TRX || s.getSessionState() == SessionState.BOUND_RX) {
                return s;
            }
        }
        return null;
    }

    private void receipt(SubmittedSm rec, String stat, int err) {
        String text = String.format("id:%s sub:001 dlvrd:%s submit date:%s done date:%s stat:%s err:%03d text:%s",
                rec.messageId(), "DELIVRD".equals(stat) ? "001" : "000", RECEIPT_DATE.format(rec.at()),
                RECEIPT_DATE.format(Instant.now()), stat, err, rec.text().substring(0, Math.min(20,
                        rec.text().length())).replaceAll("[^A-Za-z0-9 ]", "."));
        if (deliver(rec.dest(), rec.source(), new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT,
                GSMSpecificFeature.DEFAULT), (byte) 0, text.getBytes(StandardCharsets.ISO_8859_1))) {
            receipts.incrementAndGet();
        } else {
            undeliveredPdus.add(() -> receipt(rec, stat, err));
        }
    }

    private void deliverMo(String from, String to, String text) {
        if (!deliver(from, to, new ESMClass(), (byte) 0x08, text.getBytes(StandardCharsets.UTF_16BE))) {
            undeliveredPdus.add(() -> deliverMo(from, to, text));
        }
    }

    private boolean deliver(String from, String to, ESMClass esm, byte dataCoding, byte[] body) {
        SMPPServerSession s = boundSession();
        if (s == null) {
            return false;
        }
        try {
            s.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                    TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, to, esm, (byte) 0, (byte) 0,
                    new RegisteredDelivery(0), DataCodings.newInstance(dataCoding), body);
            return true;
        } catch (Exception e) {
            LOG.info("SMSC deliver_sm to session {} failed: {}", s.getSessionId(), e.toString());
            return false;
        }
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

    /** Requests from clients. */
    private final class Receiver implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
                throws ProcessRequestException {
            return submit(submitSm, source);
        }

        @Override
        public void onAcceptEnquireLink(EnquireLink enquireLink, Session source) {
            if (silentEnquireLink.get()) {
                // jsmpp answers once this returns: holding the PDU thread is "not answering"
                holdEnquireLink(source);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("submit_multi is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("query_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("replace_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("cancel_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("broadcast_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("cancel_broadcast_sm is not supported",
                    SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm,
                                                               SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("query_broadcast_sm is not supported",
                    SMPPConstant.STAT_ESME_RINVCMDID);
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }
}
