package io.outdial.dialer.cluster;

import io.outdial.dialer.pacing.LimitedLines;
import io.outdial.dialer.pacing.LimitedRates;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.PacingBackend;
import io.outdial.dialer.pacing.RateLimits;

import java.util.Objects;

/** Line leases and rate windows kept in the cluster ({@link ClusterLineLeases}, {@link ClusterRateLimiter}). */
final class ClusterPacing implements PacingBackend {
    private final ClusterNode node;

    public ClusterPacing(ClusterNode node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public LimitedLines lines(LineLimits limits) {
        return new ClusterLineLeases(node, limits);
    }

    @Override
    public LimitedRates rates(RateLimits limits) {
        return new ClusterRateLimiter(node, limits);
    }
}
