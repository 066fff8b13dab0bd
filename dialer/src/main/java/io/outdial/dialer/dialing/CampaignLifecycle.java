package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;

import java.time.Instant;
import java.util.Optional;

/**
 * The automatic moves of the life cycle (pure): a SCHEDULED campaign starts at its start time; a RUNNING or
 * PAUSED one finishes at its end time; a RUNNING one finishes when no contact can ever be dialed again,
 * unless always-active. Manual moves are checked where they are stored ({@code JdbcCampaignStore.moveTo}).
 */
final class CampaignLifecycle {
    private CampaignLifecycle() { }

    /** Why an automatic move happens, for the log. */
    record Move(CampaignState to, String reason) { }

    /**
     * The automatic move due now, if any.
     *
     * @param openContacts whether some contact is still waiting or being dialed
     */
    static Optional<Move> due(Campaign c, Instant now, boolean openContacts) {
        boolean ended = c.endsAt() != null && !now.isBefore(c.endsAt());
        switch (c.state()) {
            case SCHEDULED:
                if (ended) {
                    return Optional.of(new Move(CampaignState.FINISHED, "end time " + c.endsAt() + " passed"));
                }
                if (c.startsAt() == null || !now.isBefore(c.startsAt())) {
                    return Optional.of(new Move(CampaignState.RUNNING, "start time " + c.startsAt() + " reached"));
                }
                return Optional.empty();
            case RUNNING:
            case PAUSED:
                if (ended) {
                    return Optional.of(new Move(CampaignState.FINISHED, "end time " + c.endsAt() + " passed"));
                }
                if (c.state() == CampaignState.RUNNING && !openContacts && !c.alwaysActive()) {
                    return Optional.of(new Move(CampaignState.FINISHED, "no contact can be dialed any more"));
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
