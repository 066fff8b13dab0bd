package io.outdial.dialer.dialing;

import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.dialing.CampaignScheduler.DialTask;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.vertx.core.Future;

import java.time.Instant;

/**
 * An attempt's outcome as one transaction, written by the call-record writer after the call's earlier records: the
 * final call record, then the contact's result (the attempt rules' decision), then the stop-list add of a flow's
 * unsubscribe. A failure anywhere rolls all three back; nothing is half-written.
 */
final class AttemptOutcomeWrite {
    /** The stop-list entry's reason and source when a caller unsubscribed in the IVR flow. */
    static final String UNSUBSCRIBED = "unsubscribed in the IVR flow";
    static final String UNSUBSCRIBE_SOURCE = "ivr-unsubscribe";

    private AttemptOutcomeWrite() { }

    /**
     * Stores {@code rec} with its effect on the contact of {@code task}; the returned completion's counter update is
     * for the caller to run (the transaction has committed when the Future succeeds).
     */
    static Future<CampaignScheduler.Completion> store(CallRecordWriter records, CampaignScheduler scheduler,
                                                     JdbcStopList stopList, DialTask task, CallRecord rec,
                                                     OutcomeMapping.Mapped mapped, Instant end) {
        return records.save(rec, c -> {
            CampaignScheduler.Completion done = scheduler.complete(c, task, mapped.outcome(), mapped.flowKey(), end);
            if (rec.flowResult() != null && rec.flowResult().unsubscribed()) {
                stopList.add(c, scheduler.campaignId(), task.e164(), UNSUBSCRIBED, UNSUBSCRIBE_SOURCE);
            }
            return done;
        });
    }
}
