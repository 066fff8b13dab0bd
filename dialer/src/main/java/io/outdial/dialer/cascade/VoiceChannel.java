package io.outdial.dialer.cascade;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Voice block of a campaign's scheme: the campaign's dialing. A contact is called under the campaign's attempt
 * rules, calendar and limits by the campaign runner. When the scheme starts with the voice block, the contact's run
 * starts once its dialing reached a final outcome (attempt rules spent, or success) and {@link #send} takes that call
 * as the block's message at once. When the scheme starts with a message, the contact is held
 * ({@link ContactState#HELD}) until its run reaches this block: {@link #send} then hands it to the dialing (due now)
 * and {@link #report} reports the call once that dialing ended. Either way the block gets the IVR keys pressed and
 * the flow's {@code message} events, then the final status ({@code answered}, {@code no_answer}, {@code busy},
 * {@code congestion}, {@code machine}, {@code invalid}, {@code left_early}); a contact that was never called (no
 * calendar opening or number left, stop-listed, a technical failure, a rejected call) fails the block's message, so
 * the block takes its {@code error} link. Run ids are {@code <campaign>/<contact id>}.
 */
final class VoiceChannel implements Channel {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Vertx vertx;
    private final DataSource ds;
    private final JdbcContactStore contacts;
    private final Clock clock;
    private final JdbcCampaignStore campaigns;
    /** Voice messages whose facts were reported by this process (kept while they wait for the engine). */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile Handler<ChannelEvent> events = e -> { };

    public VoiceChannel(Vertx vertx, DataSource ds, Clock clock) {
        this.vertx = vertx;
        this.ds = ds;
        this.contacts = new JdbcContactStore(ds);
        this.campaigns = new JdbcCampaignStore(ds, clock);
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
        return vertx.executeBlocking(() -> handOverOrFacts(m), false).compose(f -> {
            if (f.failure() != null) {
                return Future.failedFuture(new SendException(SendException.Reason.REJECTED, f.failure()));
            }
            String pid = "call:" + m.id();
            if (f.status() != null) {
                reported.add(m.id());
                emit(pid, f);
            }
            return Future.succeededFuture(new Submitted(List.of(pid), 1));
        });
    }

    /**
     * The facts of a contact whose dialing ended (a scheme whose first block is the dialing), or, for a contact held
     * until its run reaches this block, the hand-over to the campaign's dialing: facts without a status, reported
     * later by {@link #report} once that dialing ends.
     */
    private CallFacts handOverOrFacts(OutboundMessage m) {
        long contactId = contactId(m.runId());
        Contact c = contactId < 0 ? null : contacts.get(contactId).orElse(null);
        if (c == null || c.state() == ContactState.CLOSED) {
            return facts(m.runId());
        }
        if (c.state() == ContactState.HELD) {
            CampaignState st = campaigns.get(c.campaignId()).map(Campaign::state).orElse(CampaignState.ARCHIVED);
            if (st != CampaignState.RUNNING && st != CampaignState.PAUSED) {
                return new CallFacts(null, "campaign " + c.campaignId() + " is " + st.name().toLowerCase(Locale.ROOT)
                    + "; no call", List.of(), List.of());
            }
            if (contacts.release(contactId, clock.instant())) {
                LOG.info("voice block of run {}: contact {} handed to the dialing of campaign {}", m.runId(),
                    contactId, c.campaignId());
            }
        }
        // WAITING or DIALING: already handed over (a hand-over written before a restart)
        return new CallFacts(null, null, List.of(), List.of());
    }

    private void emit(String pid, CallFacts f) {
        vertx.runOnContext(v -> {
            Instant at = clock.instant();
            f.keys().forEach(k -> events.handle(new ChannelEvent.IvrKey(ChannelType.VOICE, pid, k, at)));
            f.messages().forEach(e -> events.handle(new ChannelEvent.IvrMessage(ChannelType.VOICE, pid, e, at)));
            events.handle(new ChannelEvent.StatusReport(ChannelType.VOICE, pid, f.status(), null, at));
        });
    }

    /**
     * Reports the voice messages whose dialing ended and that have no status yet (blocking: call on a worker):
     * {@code waiting} maps each such message id to its run id. A call handed to the dialing reports here once its
     * contact closed; a node that stopped after a voice message was accepted but before its events were applied
     * reports them again (the engine applies each status once). Each message is reported once per process; a
     * contact closed without a call goes to {@code failed} (message id, run id, why).
     */
    public void report(Map<String, String> waiting, Failed failed) {
        reported.retainAll(waiting.keySet());
        for (Map.Entry<String, String> w : waiting.entrySet()) {
            if (!reported.add(w.getKey())) {
                continue;
            }
            CallFacts f = facts(w.getValue());
            if (f.failure() != null) {
                failed.failed(w.getKey(), w.getValue(), f.failure());
            } else {
                emit("call:" + w.getKey(), f);
            }
        }
    }

    /** Where {@link #report} sends a call that never took place. */
    @FunctionalInterface
    public interface Failed {
        void failed(String messageId, String runId, String why);
    }

    private static long contactId(String runId) {
        try {
            return Long.parseLong(runId.substring(runId.lastIndexOf('/') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private CallFacts facts(String runId) {
        long contactId = contactId(runId);
        if (contactId < 0) {
            return new CallFacts(null, "run " + runId + " is not a campaign contact's run; a voice block runs in"
                + " a campaign's scheme", List.of(), List.of());
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
            LOG.info("voice block of run {}: {}", runId, why);
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
                        LOG.warn("voice block of run {}: flow result not readable ({}); no IVR events", runId,
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
