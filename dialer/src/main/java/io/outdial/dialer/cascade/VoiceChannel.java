package io.outdial.dialer.cascade;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.storage.Rows;
import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.outdial.ivr.spi.FlowResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Voice block of a campaign's scheme. The campaign's dialing is the Voice block: a contact is called under the
 * campaign's attempt rules, calendar and limits by the campaign runner, and its run starts once the dialing of that
 * contact reached a final outcome (attempt rules spent, or success). {@link #send} then takes that call as the
 * block's message: it reads the contact's result and its last answered call, reports the IVR keys pressed and the
 * flow's {@code message} events, then the final status ({@code answered}, {@code no_answer}, {@code busy},
 * {@code congestion}, {@code machine}, {@code invalid}, {@code left_early}); a contact that was never called (no
 * calendar opening or number left, a technical failure, a rejected call) fails the send, so the block takes its
 * {@code error} link. Run ids are {@code <campaign>/<contact id>}.
 */
public final class VoiceChannel implements Channel {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Vertx vertx;
    private final DataSource ds;
    private final JdbcContactStore contacts;
    private final Clock clock;
    private volatile Handler<ChannelEvent> events = e -> { };

    public VoiceChannel(Vertx vertx, DataSource ds, Clock clock) {
        this.vertx = vertx;
        this.ds = ds;
        this.contacts = new JdbcContactStore(ds);
        this.clock = clock;
    }

    /** The run id of a campaign's contact. */
    public static String runId(String campaignId, long contactId) {
        return campaignId + "/" + contactId;
    }

    @Override
    public ChannelType type() {
        return ChannelType.VOICE;
    }

    @Override
    public void events(Handler<ChannelEvent> handler) {
        this.events = handler;
    }

    /** What the dialing of one contact ended with, as the Voice block sees it. */
    record CallFacts(Status status, String failure, List<String> keys, List<String> messages) { }

    @Override
    public Future<Submitted> send(OutboundMessage m) {
        return vertx.executeBlocking(() -> facts(m), false).compose(f -> {
            if (f.failure() != null) {
                return Future.failedFuture(new SendException(SendException.Reason.REJECTED, f.failure()));
            }
            String pid = "call:" + m.id();
            vertx.runOnContext(v -> {
                Instant at = clock.instant();
                f.keys().forEach(k -> events.handle(new ChannelEvent.IvrKey(ChannelType.VOICE, pid, k, at)));
                f.messages().forEach(e -> events.handle(new ChannelEvent.IvrMessage(ChannelType.VOICE, pid, e, at)));
                events.handle(new ChannelEvent.StatusReport(ChannelType.VOICE, pid, f.status(), null, at));
            });
            return Future.succeededFuture(new Submitted(List.of(pid), 1));
        });
    }

    private CallFacts facts(OutboundMessage m) {
        int slash = m.runId().lastIndexOf('/');
        long contactId;
        try {
            contactId = Long.parseLong(m.runId().substring(slash + 1));
        } catch (NumberFormatException e) {
            return new CallFacts(null, "run " + m.runId() + " is not a campaign contact's run; a voice block runs as"
                + " the first block of a campaign's scheme", List.of(), List.of());
        }
        Contact c = contacts.get(contactId).orElse(null);
        if (c == null) {
            return new CallFacts(null, "contact " + contactId + " does not exist", List.of(), List.of());
        }
        if (c.state() != ContactState.CLOSED) {
            return new CallFacts(null, "contact " + contactId + " is still being dialed", List.of(), List.of());
        }
        String outcome = c.lastOutcome() == null ? "" : c.lastOutcome();
        String kind = outcome.contains(":") ? outcome.substring(0, outcome.indexOf(':')) : outcome;
        Status st = status(kind);
        if (st == null) {
            String why = c.lastOutcome() == null
                ? "not called: " + (c.result() == null ? "closed" : c.result().toLowerCase(Locale.ROOT))
                : "call ended " + kind.toLowerCase(Locale.ROOT);
            LOG.info("voice block of run {}: {}", m.runId(), why);
            return new CallFacts(null, why, List.of(), List.of());
        }
        if (ContactResult.STOP_LISTED.name().equals(c.result())) {
            return new CallFacts(null, "stop-listed", List.of(), List.of());
        }
        List<String> keys = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        if (st == Status.ANSWERED || st == Status.LEFT_EARLY) {
            List<String[]> rows = Rows.list(ds, "reading the last call of contact " + contactId,
                "SELECT dtmf, flow_result FROM call_records WHERE campaign_id = ? AND contact_id = ?"
                    + " AND answer_at IS NOT NULL ORDER BY end_at DESC LIMIT 1",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, c.campaignId(), Long.toString(contactId));
            if (!rows.isEmpty()) {
                String dtmf = rows.get(0)[0] == null ? "" : rows.get(0)[0];
                dtmf.chars().filter(ch -> "0123456789*#".indexOf(ch) >= 0)
                    .forEach(ch -> keys.add(String.valueOf((char) ch)));
                if (rows.get(0)[1] != null) {
                    try {
                        FlowResult fr = JSON.readValue(rows.get(0)[1], FlowResult.class);
                        messages.addAll(fr.messages());
                        if (fr.unsubscribed()) {
                            st = Status.UNSUBSCRIBED;
                        }
                    } catch (Exception e) {
                        LOG.warn("voice block of run {}: flow result not readable ({}); no IVR events", m.runId(),
                            e.getMessage());
                    }
                }
            }
        }
        return new CallFacts(st, null, keys, messages);
    }

    /** The Voice status of an attempt outcome; null for outcomes that are no call (failed, lost, rejected). */
    static Status status(String outcome) {
        switch (outcome) {
            case "ANSWERED_COMPLETED":
            case "ANSWERED_NO_GOAL":
                return Status.ANSWERED;
            case "NO_ANSWER":
                return Status.NO_ANSWER;
            case "BUSY":
                return Status.BUSY;
            case "CONGESTION":
                return Status.CONGESTION;
            case "MACHINE":
                return Status.MACHINE;
            case "INVALID_NUMBER":
                return Status.INVALID;
            case "LEFT_EARLY":
                return Status.LEFT_EARLY;
            default:
                return null;
        }
    }
}
