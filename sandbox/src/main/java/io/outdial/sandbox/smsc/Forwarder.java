package io.outdial.sandbox.smsc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.SMPPServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes deliver_sm (receipts and replies) to a bound session, keeping them while none is bound and sending
 * them once a client binds again: store and forward. A write that fails is tried again, so a receipt can reach
 * the client twice (as with real SMSCs) but is never dropped.
 */
final class Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final DateTimeFormatter RECEIPT_DATE = DateTimeFormatter.ofPattern("yyMMddHHmm")
            .withZone(ZoneOffset.UTC);

    private final List<SMPPServerSession> sessions;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger receipts = new AtomicInteger();
    private volatile boolean closed;

    Forwarder(List<SMPPServerSession> sessions, ScheduledExecutorService scheduler) {
        this.sessions = sessions;
        this.scheduler = scheduler;
    }

    /** Runs a write now, or keeps it until a session binds. */
    void forward(Runnable write) {
        if (closed) {
            return;
        }
        if (boundSession() == null) {
            waiting.add(write);
            return;
        }
        write.run();
    }

    /** A session bound: send what waited. */
    void flush() {
        Runnable r;
        while ((r = waiting.poll()) != null) {
            Runnable w = r;
            scheduler.execute(() -> forward(w));
        }
    }

    void close() {
        closed = true;
    }

    int receipts() {
        return receipts.get();
    }

    /** A delivery receipt in the usual text format. */
    void receipt(SubmittedSm rec, String stat, int err) {
        String text = String.format("id:%s sub:001 dlvrd:%s submit date:%s done date:%s stat:%s err:%03d text:%s",
                rec.messageId(), "DELIVRD".equals(stat) ? "001" : "000", RECEIPT_DATE.format(rec.at()),
                RECEIPT_DATE.format(Instant.now()), stat, err, rec.text().substring(0, Math.min(20,
                        rec.text().length())).replaceAll("[^A-Za-z0-9 ]", "."));
        if (deliver(rec.dest(), rec.source(), new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT,
                GSMSpecificFeature.DEFAULT), (byte) 0, text.getBytes(StandardCharsets.ISO_8859_1))) {
            receipts.incrementAndGet();
        } else {
            retry(() -> receipt(rec, stat, err));
        }
    }

    /** A reply from a recipient, in UCS-2. */
    void mo(String from, String to, String text) {
        if (!deliver(from, to, new ESMClass(), (byte) 0x08, text.getBytes(StandardCharsets.UTF_16BE))) {
            retry(() -> mo(from, to, text));
        }
    }

    /** The session closed under the write: try again shortly, on whichever session is bound then. */
    private void retry(Runnable write) {
        if (!closed) {
            scheduler.schedule(() -> forward(write), 50, TimeUnit.MILLISECONDS);
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

    private SMPPServerSession boundSession() {
        for (SMPPServerSession s : sessions) {
            if (s.getSessionState() == SessionState.BOUND_TRX || s.getSessionState() == SessionState.BOUND_RX) {
                return s;
            }
        }
        return null;
    }
}
