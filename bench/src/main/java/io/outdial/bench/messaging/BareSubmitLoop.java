package io.outdial.bench.messaging;

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
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline: one bare jsmpp transceiver session and {@code window} threads, each looping a blocking
 * {@code submit_sm} with the same parameters the SMS channel uses (registered delivery, TON/NPI, data coding 0)
 * and a pre-encoded short message. No splitting, no encoding, no futures, no executor hand-off, no rate limiter:
 * the floor of what jsmpp does per message with the same number of outstanding submits.
 */
final class BareSubmitLoop implements AutoCloseable {
    private final SMPPSession session = new SMPPSession();
    private final ExecutorService threads;
    private final int window;

    private BareSubmitLoop(int window) {
        this.window = window;
        this.threads = Executors.newFixedThreadPool(window, r -> {
            Thread t = new Thread(r, "bare-submit");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds a transceiver session to the SMSC on loopback. */
    static BareSubmitLoop bind(int port, String systemId, String password, int window) throws IOException {
        BareSubmitLoop loop = new BareSubmitLoop(window);
        loop.session.setTransactionTimer(10_000);
        loop.session.setEnquireLinkTimer(30_000);
        // receipts and replies are acknowledged by jsmpp; the default listener-less session would refuse them
        loop.session.setMessageReceiverListener(new IgnoringReceiver());
        loop.session.connectAndBind("127.0.0.1", port, new BindParameter(BindType.BIND_TRX, systemId, password, "",
            TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 10_000);
        return loop;
    }

    /**
     * Submits {@code count} messages with {@code window} in flight; returns the nanoseconds it took, or fails when
     * it takes longer than {@code timeoutS} or any submit fails.
     */
    long run(int count, String dest, String text, long timeoutS) throws Exception {
        byte[] sm = text.getBytes(StandardCharsets.US_ASCII); // GSM-7 unpacked septets equal ASCII for this text
        AtomicInteger left = new AtomicInteger(count);
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < window; i++) {
            workers.add(threads.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    session.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN,
                        "Outdial", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, dest, new ESMClass(),
                        (byte) 0, (byte) 1, null, null, new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE),
                        (byte) 0, DataCodings.newInstance((byte) 0), (byte) 0, sm);
                }
                return null;
            }));
        }
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutS);
        for (Future<?> w : workers) {
            w.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return System.nanoTime() - start;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        session.unbindAndClose();
    }

    /** Acknowledges receipts and replies and drops them. */
    private static final class IgnoringReceiver implements MessageReceiverListener {
        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) {
            // dropped: the baseline only submits
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
