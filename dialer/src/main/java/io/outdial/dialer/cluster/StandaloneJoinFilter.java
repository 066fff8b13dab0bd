package io.outdial.dialer.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Hazelcast's "No join method is enabled! Starting standalone." warning. A single node (the default, the
 * demo, {@code cluster.join: false}) has no join method on purpose, and {@link ClusterNode} already logs the
 * member's mode at start; a warning at every start would teach readers to ignore warnings. Named in logback.xml,
 * which instantiates it by its name: so public, with a public no-argument constructor.
 */
public final class StandaloneJoinFilter extends TurboFilter {
    private static final String LOGGER = "com.hazelcast.instance.impl.Node";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (format != null && logger != null && LOGGER.equals(logger.getName())
            && format.contains("No join method is enabled")) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
