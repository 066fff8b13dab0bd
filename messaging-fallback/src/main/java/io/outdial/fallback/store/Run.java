package io.outdial.fallback.store;

import java.time.Instant;

/**
 * One recipient's walk through one scheme version.
 *
 * @param id            run id, unique
 * @param campaignId    the campaign it belongs to, or null
 * @param schemeId      scheme id
 * @param schemeVersion scheme version, pinned for the run's life
 * @param recipient     who
 * @param state         where it is
 * @param blockId       the current (or last) block
 * @param step          the current step's number, from 1; 0 before the first block
 * @param startedAt     when the run started
 * @param updatedAt     last change
 * @param reason        why it ended, or null
 */
public record Run(String id, String campaignId, String schemeId, int schemeVersion, Recipient recipient,
                  RunState state, String blockId, int step, Instant startedAt, Instant updatedAt, String reason) {

    /** This run at a new step of a block. */
    public Run at(String block, int stepNo, RunState st, Instant now) {
        return new Run(id, campaignId, schemeId, schemeVersion, recipient, st, block, stepNo, startedAt, now, reason);
    }

    /** This run in another state. */
    public Run with(RunState st, Instant now, String why) {
        return new Run(id, campaignId, schemeId, schemeVersion, recipient, st, blockId, step, startedAt, now, why);
    }
}
