package io.outdial.fallback.channel.sms;

import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.sms.SmsSplit;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS over SMPP to one SMSC, through one or more transceiver binds. A message waits for a bound session (up to
 * {@link SmscConfig#submitWait()}), goes out as one submit_sm per part with registered delivery, and is submitted
 * again only when the SMSC certainly did not take it (write failed, throttled, bind lost). Delivery receipts and
 * replies become {@link ChannelEvent}s. Every jsmpp call runs on this channel's worker pool.
 */
public final class SmppChannel implements Channel {

    private static final Logger LOG = LoggerFactory.getLogger(SmppChannel.class);
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Vertx vertx;
    private final SmscConfig cfg;
    private final WorkerExecutor worker;
    private final WorkerExecutor bindWorker;
    private final List<SmppBind> binds = new ArrayList<>();
    private final Object boundChanged = new Object();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger reference = new AtomicInteger();
    private volatile Handler<ChannelEvent> handler = e -> { };

    /**
     * A channel; nothing connects before {@link #start()}.
     *
     * @param vertx the Vert.x instance (timers for rebinds, worker pool)
     * @param cfg   the SMSC
     * @param env   environment lookup for the password variable (System::getenv in production)
     */
    public SmppChannel(Vertx vertx, SmscConfig cfg, Function<String, String> env) {
        this.vertx = vertx;
        this.cfg = cfg;
        String password = cfg.password(env);
        // a thread per window slot of each bind; more sends queue in the executor
        this.worker = vertx.createSharedWorkerExecutor("smpp-" + cfg.name(), cfg.binds() * cfg.window(),
                cfg.responseTimeout().toNanos() + cfg.submitWait().toNanos(), TimeUnit.NANOSECONDS);
        this.bindWorker = vertx.createSharedWorkerExecutor("smpp-bind-" + cfg.name(), cfg.binds() + 1,
                cfg.responseTimeout().toNanos() * 3, TimeUnit.NANOSECONDS);
        for (int i = 0; i < cfg.binds(); i++) {
            binds.add(new SmppBind(vertx, bindWorker, cfg, i, password, this::bindChanged, this::deliverSm));
        }
    }

    /** Opens every bind; returns at once, binding goes on in the background (see {@link #status()}). */
    public void start() {
        binds.forEach(SmppBind::start);
    }

    /** Unbinds and closes every bind. */
    public Future<Void> stop() {
        List<Future<Void>> closing = new ArrayList<>();
        binds.forEach(b -> closing.add(b.close()));
        bindChanged();
        return Future.join(closing).<Void>mapEmpty().eventually(worker::close).eventually(bindWorker::close);
    }

    /** Health of each bind. */
    public List<BindStatus> status() {
        List<BindStatus> out = new ArrayList<>();
        binds.forEach(b -> out.add(b.status()));
        return out;
    }

    /** True when at least one bind can submit. */
    public boolean ready() {
        return binds.stream().anyMatch(SmppBind::bound);
    }

    /** The SMSC this channel binds to. */
    public SmscConfig config() {
        return cfg;
    }

    @Override
    public ChannelType type() {
        return ChannelType.SMS;
    }

    @Override
    public void events(Handler<ChannelEvent> h) {
        this.handler = h;
    }

    @Override
    public Future<Submitted> send(OutboundMessage message) {
        return worker.executeBlocking(() -> submit(message, false), false);
    }

    /**
     * As {@link #send}, but passes the message on instead of waiting when the SMSC certainly takes none of it: fails
     * with {@link NotTaken} when no bind is bound, or when the first part is not taken (throttled, queue full, bind
     * lost or not bound, write failed). Once a part was taken the rest go as {@link #send} sends them; any other
     * failure (refused, no answer) is the send's {@link SendException}.
     */
    Future<Submitted> sendOrPass(OutboundMessage message) {
        if (!ready()) {
            return Future.failedFuture(new NotTaken("smsc " + cfg.name() + ": no bind bound"));
        }
        return worker.executeBlocking(() -> submit(message, true), false);
    }

    /** The SMSC took nothing of the message: another SMSC may send it. */
    static final class NotTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotTaken(String message) {
            super(message, null, false, false);
        }
    }

    private Submitted submit(OutboundMessage m, boolean passFirst) {
        String text = m.text() == null ? "" : m.text();
        SmsSplit split = SmsSplit.of(text);
        if (split.segments() > Math.max(1, m.maxSegments())) {
            throw new SendException(SendException.Reason.INVALID, "message " + m.id() + " takes " + split.segments()
                    + " parts, at most " + m.maxSegments());
        }
        List<byte[]> parts = SmsPdus.parts(split, reference.incrementAndGet() & 0xFF);
        boolean udhi = parts.size() > 1;
        long deadline = System.nanoTime() + cfg.submitWait().toNanos();
        List<String> ids = new ArrayList<>();
        for (byte[] part : parts) {
            if (passFirst && ids.isEmpty()) {
                ids.add(submitFirstOrPass(m, part, udhi, split.encoding().dataCoding()));
            } else {
                ids.add(submitPart(m, part, udhi, split.encoding().dataCoding(), deadline));
            }
        }
        LOG.debug("smsc {}: message {} to {} submitted as {}", cfg.name(), m.id(), m.to(), ids);
        return new Submitted(ids, parts.size());
    }

    private String submitPart(OutboundMessage m, byte[] part, boolean udhi, byte dataCoding, long deadline) {
        while (true) {
            SmppBind b = awaitBound(m, deadline);
            try {
                return b.submit(m.to(), part, udhi, dataCoding);
            } catch (SmppBind.Retry r) {
                LOG.debug("smsc {}: message {} submitted again later: {}", cfg.name(), m.id(), r.getMessage());
                if (System.nanoTime() - deadline > 0) {
                    throw new SendException(SendException.Reason.UNAVAILABLE, "smsc " + cfg.name() + " did not take "
                            + "message " + m.id() + " within " + cfg.submitWait() + ": " + r.getMessage());
                }
                LockSupport.parkNanos(RETRY_PAUSE_NANOS);
            }
        }
    }

    private String submitFirstOrPass(OutboundMessage m, byte[] part, boolean udhi, byte dataCoding) {
        SmppBind b;
        try {
            b = awaitBound(m, System.nanoTime());
        } catch (SendException e) {
            throw new NotTaken("smsc " + cfg.name() + ": " + e.getMessage());
        }
        try {
            return b.submit(m.to(), part, udhi, dataCoding);
        } catch (SmppBind.Retry r) {
            throw new NotTaken("smsc " + cfg.name() + " did not take message " + m.id() + ": " + r.getMessage());
        }
    }

    private SmppBind awaitBound(OutboundMessage m, long deadline) {
        synchronized (boundChanged) {
            while (true) {
                for (int i = 0; i < binds.size(); i++) {
                    SmppBind b = binds.get(Math.floorMod(next.getAndIncrement(), binds.size()));
                    if (b.bound()) {
                        return b;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SendException(SendException.Reason.UNAVAILABLE, "no bound session to smsc "
                            + cfg.name() + " within " + cfg.submitWait() + " for message " + m.id());
                }
                try {
                    // state changes notify; the bounded wait also covers a session that closed without one
                    TimeUnit.NANOSECONDS.timedWait(boundChanged, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SendException(SendException.Reason.UNAVAILABLE, "interrupted waiting for a bind");
                }
            }
        }
    }

    private void bindChanged() {
        synchronized (boundChanged) {
            boundChanged.notifyAll();
        }
    }

    private void deliverSm(DeliverSm d) {
        Instant now = Instant.now();
        String text = SmsPdus.text(d.getShortMessage(), d.getEsmClass(), d.getDataCoding());
        if (d.isSmscDeliveryReceipt()) {
            OptionalParameter tlv = d.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
            String tlvId = tlv instanceof OptionalParameter.COctetString
                    ? ((OptionalParameter.COctetString) tlv).getValueAsString() : null;
            DeliveryReceipts.Receipt r = DeliveryReceipts.parse(text, tlvId);
            if (r == null) {
                LOG.warn("smsc {}: unreadable delivery receipt \"{}\"", cfg.name(), text);
                return;
            }
            Status st = r.status();
            if (st == null) {
                LOG.debug("smsc {}: intermediate receipt {} for {}", cfg.name(), r.stat(), r.id());
                return;
            }
            handler.handle(new ChannelEvent.StatusReport(ChannelType.SMS, r.id(), st, r.err(), now));
        } else {
            handler.handle(new ChannelEvent.Reply(ChannelType.SMS, d.getSourceAddr(), d.getDestAddress(), text, now));
        }
    }
}
