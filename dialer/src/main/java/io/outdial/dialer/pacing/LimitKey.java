package io.outdial.dialer.pacing;

import java.util.List;
import java.util.Objects;

/**
 * One level a limit applies at: the whole node/cluster, a trunk or a campaign.
 *
 * @param level the level
 * @param id the trunk or campaign id; {@code "*"} for {@link Level#GLOBAL}
 */
public record LimitKey(Level level, String id) {

    /** Levels, from widest to narrowest. */
    public enum Level { GLOBAL, TRUNK, CAMPAIGN }

    /** The single global key. */
    public static final LimitKey GLOBAL = new LimitKey(Level.GLOBAL, "*");

    public LimitKey {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(id, "id");
    }

    public static LimitKey trunk(String id) {
        return new LimitKey(Level.TRUNK, id);
    }

    public static LimitKey campaign(String id) {
        return new LimitKey(Level.CAMPAIGN, id);
    }

    /** The three keys a call of {@code campaign} on {@code trunk} counts against. */
    public static List<LimitKey> levelsFor(String campaign, String trunk) {
        return List.of(GLOBAL, trunk(trunk), campaign(campaign));
    }

    @Override
    public String toString() {
        return level == Level.GLOBAL ? "global" : level.name().toLowerCase() + " " + id;
    }
}
