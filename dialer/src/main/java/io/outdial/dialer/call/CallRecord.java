package io.outdial.dialer.call;

import io.outdial.ivr.spi.FlowResult;

import java.time.Instant;
import java.util.List;

/**
 * What is kept about one call attempt (table {@code call_records}). Times are null until they happen.
 *
 * @param attemptId   the attempt id (primary key)
 * @param campaignId  campaign id, may be null
 * @param contactId   contact id, may be null
 * @param phone       dialed number
 * @param trunk       trunk name
 * @param callerId    caller id presented, may be null
 * @param server      ARI server name
 * @param channelId   pre-assigned ARI channel id
 * @param state       current state
 * @param originateAt when the originate was sent
 * @param ringAt      when ringing was first seen
 * @param answerAt    when the answer was first seen
 * @param endAt       when the call ended
 * @param outcome     the final outcome, null until ENDED
 * @param amdStatus   HUMAN / MACHINE / NOTSURE, or null
 * @param amdCause    Asterisk's AMDCAUSE, or null
 * @param dtmf        every digit received, in order
 * @param recordings  references of recordings made on the call
 */
public record CallRecord(String attemptId, String campaignId, String contactId, String phone, String trunk,
                         String callerId, String server, String channelId, CallState state, Instant originateAt,
                         Instant ringAt, Instant answerAt, Instant endAt, CallOutcome outcome, String amdStatus,
                         String amdCause, String dtmf, List<String> recordings) {
    public CallRecord {
        if (attemptId == null || state == null) {
            throw new IllegalArgumentException("call record needs attemptId and state");
        }
        if (state == CallState.ENDED && outcome == null) {
            throw new IllegalArgumentException("call record " + attemptId + " ENDED without an outcome");
        }
        dtmf = dtmf == null ? "" : dtmf;
        recordings = recordings == null ? List.of() : List.copyOf(recordings);
    }

    /** The flow result, when a flow ran and the call ended. */
    public FlowResult flowResult() {
        return outcome == null ? null : outcome.flowResult();
    }
}
