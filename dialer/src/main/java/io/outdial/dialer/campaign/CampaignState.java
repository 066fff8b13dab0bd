package io.outdial.dialer.campaign;

import java.util.EnumSet;
import java.util.Set;

/**
 * Campaign life cycle: DRAFT → SCHEDULED → RUNNING ⇄ PAUSED → FINISHED → ARCHIVED. DRAFT may start at once
 * (RUNNING); SCHEDULED may go back to DRAFT; RUNNING, PAUSED and SCHEDULED may be finished by hand.
 */
public enum CampaignState {
    DRAFT, SCHEDULED, RUNNING, PAUSED, FINISHED, ARCHIVED;

    /** States reachable from this one in one step. */
    public Set<CampaignState> next() {
        switch (this) {
            case DRAFT:
                return EnumSet.of(SCHEDULED, RUNNING);
            case SCHEDULED:
                return EnumSet.of(DRAFT, RUNNING, FINISHED);
            case RUNNING:
                return EnumSet.of(PAUSED, FINISHED);
            case PAUSED:
                return EnumSet.of(RUNNING, FINISHED);
            case FINISHED:
                return EnumSet.of(ARCHIVED);
            case ARCHIVED:
                return EnumSet.noneOf(CampaignState.class);
            default:
                throw new IllegalStateException("unknown state " + this);
        }
    }

    public boolean canMoveTo(CampaignState to) {
        return next().contains(to);
    }

    /** True for states in which contacts are dialed. */
    public boolean dials() {
        return this == RUNNING;
    }
}
