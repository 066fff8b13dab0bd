package io.outdial.dialer.dialing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which campaign gets the next free line: the highest priority with demand first; within a
 * priority, the campaign with the lowest (lines + 1) / weight, so shares converge to the weights.
 */
final class FairShare {
    private FairShare() { }

    /**
     * A campaign competing for lines.
     *
     * @param campaign the id
     * @param priority higher goes first
     * @param weight share within its priority, at least 1
     * @param inUse lines it holds now
     * @param wants how many more lines it could use now (due contacts), 0 for none
     */
    public record Claim(String campaign, int priority, int weight, int inUse, int wants) {
        public Claim {
            Objects.requireNonNull(campaign, "campaign");
            if (weight < 1) {
                throw new IllegalArgumentException("campaign " + campaign + " weight " + weight + " is below 1");
            }
            if (inUse < 0 || wants < 0) {
                throw new IllegalArgumentException("campaign " + campaign + " line counts are negative");
            }
        }
    }

    private static final Comparator<Claim> ORDER = Comparator.comparingInt((Claim c) -> -c.priority())
            .thenComparingDouble(c -> (c.inUse() + 1.0) / c.weight())
            .thenComparing(Claim::campaign);

    /** The campaign that should get the next line, or empty when none wants one. */
    public static Optional<String> next(List<Claim> claims) {
        return claims.stream().filter(c -> c.wants() > 0).min(ORDER).map(Claim::campaign);
    }

    /** Splits {@code freeLines} among the claims one line at a time by {@link #next}; never beyond demand. */
    public static Map<String, Integer> allocate(int freeLines, List<Claim> claims) {
        List<Claim> state = new ArrayList<>(claims);
        Map<String, Integer> given = new HashMap<>();
        for (int i = 0; i < freeLines; i++) {
            Optional<String> winner = next(state);
            if (winner.isEmpty()) {
                break;
            }
            given.merge(winner.get(), 1, Integer::sum);
            for (int j = 0; j < state.size(); j++) {
                Claim c = state.get(j);
                if (c.campaign().equals(winner.get())) {
                    state.set(j, new Claim(c.campaign(), c.priority(), c.weight(), c.inUse() + 1, c.wants() - 1));
                }
            }
        }
        return given;
    }
}
