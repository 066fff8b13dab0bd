package io.outdial.dialer.campaign;

import java.time.Instant;
import java.util.Objects;

/**
 * A campaign's identity, state and scheduling knobs. Calendar, attempt rules, limits and flow live in
 * {@code settings} (JSON owned by the runner's configuration).
 *
 * @param id stable id (letters, digits, '-', '_')
 * @param name display name
 * @param state life-cycle state
 * @param priority higher gets free lines first
 * @param weight share of lines within its priority
 * @param alwaysActive if true it does not finish when it runs out of contacts (new ones may arrive)
 * @param startsAt when a SCHEDULED campaign starts, may be null
 * @param endsAt when it stops for good, may be null
 * @param settings JSON settings, may be null
 * @param createdAt creation time
 * @param updatedAt last change
 * @param version optimistic-lock version
 */
public record Campaign(String id, String name, CampaignState state, int priority, int weight, boolean alwaysActive,
                       Instant startsAt, Instant endsAt, String settings, Instant createdAt, Instant updatedAt,
                       int version) {
    public Campaign {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("campaign id \"" + id + "\" must be 1-64 letters, digits, '-' or '_'");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        if (weight < 1) {
            throw new IllegalArgumentException("campaign " + id + " weight " + weight + " is below 1");
        }
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("campaign " + id + " ends at " + endsAt + ", not after its start " + startsAt);
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new draft. */
    public static Campaign draft(String id, String name, Instant now) {
        return new Campaign(id, name, CampaignState.DRAFT, 0, 1, false, null, null, null, now, now, 0);
    }

    public Campaign withState(CampaignState s, Instant now) {
        return new Campaign(id, name, s, priority, weight, alwaysActive, startsAt, endsAt, settings, createdAt, now, version);
    }

    public Campaign withSchedule(Instant starts, Instant ends) {
        return new Campaign(id, name, state, priority, weight, alwaysActive, starts, ends, settings, createdAt, updatedAt,
                version);
    }

    public Campaign withShare(int newPriority, int newWeight, boolean always) {
        return new Campaign(id, name, state, newPriority, newWeight, always, startsAt, endsAt, settings, createdAt,
                updatedAt, version);
    }
}
