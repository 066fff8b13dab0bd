package io.outdial.fallback.store;

import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One message (or Voice call) a channel block sent. Written PENDING before the submit.
 *
 * @param id          the engine's id
 * @param runId       the run
 * @param step        the run's step that sent it
 * @param schemeId    scheme id (for counters)
 * @param blockId     the block
 * @param channel     the channel kind
 * @param address     recipient address
 * @param text        rendered text (or the main content), for reports
 * @param state       PENDING, SUBMITTED, FAILED or UNKNOWN
 * @param providerIds the provider's ids, one per part, once submitted
 * @param parts       the last status of each provider id
 * @param status      the message's status (all parts taken together), or null
 * @param segments    billable units
 * @param cost        booked cost in minor units, net of refunds
 * @param refunded    true once the booking was refunded
 * @param createdAt   when the row was written
 * @param sentAt      when the provider accepted it, or null
 * @param error       why it failed, or null
 */
public record MessageRecord(String id, String runId, int step, String schemeId, String blockId, ChannelType channel,
                            String address, String text, MessageState state, List<String> providerIds,
                            Map<String, Status> parts, Status status, int segments, long cost, boolean refunded,
                            Instant createdAt, Instant sentAt, String error) {

    public MessageRecord {
        providerIds = providerIds == null ? List.of() : List.copyOf(providerIds);
        parts = parts == null ? Map.of() : Map.copyOf(parts);
    }

    /** A new PENDING message. */
    public static MessageRecord pending(String id, Run run, int step, String blockId, ChannelType channel,
                                        String text, Instant now) {
        return new MessageRecord(id, run.id(), step, run.schemeId(), blockId, channel, run.recipient().address(),
                text, MessageState.PENDING, List.of(), Map.of(), null, 0, 0, false, now, null, null);
    }

    /** Accepted by the provider. */
    public MessageRecord submitted(List<String> ids, int segs, long booked, Instant at) {
        return new MessageRecord(id, runId, step, schemeId, blockId, channel, address, text, MessageState.SUBMITTED,
                ids, parts, Status.SENT, segs, booked, refunded, createdAt, at, error);
    }

    /** Failed or unknown, with why. */
    public MessageRecord failed(MessageState st, String why) {
        return new MessageRecord(id, runId, step, schemeId, blockId, channel, address, text, st, providerIds,
                parts, status, segments, cost, refunded, createdAt, sentAt, why);
    }

    /** With new part statuses, message status, cost and refund flag. */
    public MessageRecord statuses(Map<String, Status> newParts, Status st, long newCost, boolean isRefunded) {
        return new MessageRecord(id, runId, step, schemeId, blockId, channel, address, text, state, providerIds,
                newParts, st, segments, newCost, isRefunded, createdAt, sentAt, error);
    }

    /** The states of a message row. */
    public enum MessageState {
        /** Written, submit not answered yet. */
        PENDING,
        /** Accepted by the provider. */
        SUBMITTED,
        /** The provider refused it or could not be reached. */
        FAILED,
        /** The engine stopped while the submit was under way; it is never resent. */
        UNKNOWN
    }
}
