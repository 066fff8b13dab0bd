package io.outdial.dialer.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops Hazelcast's "No join method is enabled! Starting standalone." warning. A single node (the default, the
 * demo, {@code cluster.join: false}) has no join method on purpose, and {@link ClusterNode} already logs the
 * member's mode at start; a warning at every start would teach readers to ignore warnings. {@link ClusterNode}
 * installs it before a member without join starts ({@link #install}), so it holds with any logging configuration.
 */
final class StandaloneJoinFilter extends TurboFilter {
    private static final String LOGGER = "com.hazelcast.instance.impl.Node";

    /**
     * Adds the filter to logback's context, once; nothing when SLF4J is bound to another logging library (which
     * then shows the warning).
     */
    static void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        synchronized (context) {
            if (context.getTurboFilterList().stream().noneMatch(StandaloneJoinFilter.class::isInstance)) {
                StandaloneJoinFilter filter = new StandaloneJoinFilter();
                filter.setContext(context);
                filter.start();
                context.addTurboFilter(filter);
            }
        }
    }

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
