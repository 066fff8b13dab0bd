package io.outdial.fallback.store;

import io.outdial.fallback.scheme.ChannelType;
import java.time.Instant;

/**
 * One line of the cost ledger: a booking at send (positive) or a refund (negative), in minor units.
 *
 * @param runId      the run
 * @param campaignId the campaign, or null
 * @param schemeId   the scheme
 * @param blockId    the block
 * @param messageId  the message
 * @param channel    the channel
 * @param units      billed units (SMS parts)
 * @param amount     minor units; negative for a refund
 * @param at         when
 */
public record CostEntry(String runId, String campaignId, String schemeId, String blockId, String messageId,
                        ChannelType channel, int units, long amount, Instant at) {
}
