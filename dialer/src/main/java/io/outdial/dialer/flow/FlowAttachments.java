package io.outdial.dialer.flow;

import io.outdial.ivr.engine.FlowInterpreter;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.ivr.tts.TtsCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Attaches a stored flow version to a campaign: checks it is valid, builds its runner once per
 * {@code (flowId, version)} (shared by every campaign and call using it) and renders its static prompts ahead.
 * The JDBC read runs on a worker; a draft or a missing version fails with a {@link FlowStoreException}.
 */
final class FlowAttachments {
    private static final Logger LOG = LoggerFactory.getLogger(FlowAttachments.class);

    private final Vertx vertx;
    private final JdbcFlowStore store;
    private final Function<Flow, Future<TtsCache.RenderAheadReport>> renderAhead;
    private final Map<String, Future<Attached>> attached = new ConcurrentHashMap<>();

    /**
     * @param renderAhead renders a flow's static texts (e.g. {@code PromptMedia::renderAhead}); its failure is
     *                    logged and does not stop the attach (the prompts render at first use instead)
     */
    FlowAttachments(Vertx vertx, JdbcFlowStore store,
                           Function<Flow, Future<TtsCache.RenderAheadReport>> renderAhead) {
        this.vertx = vertx;
        this.store = store;
        this.renderAhead = renderAhead;
    }

    /**
     * An attached flow version.
     *
     * @param flow     the flow as it runs (stamped with the stored version)
     * @param runner   its interpreter, shared and thread-safe
     * @param rendered what render-ahead did, or null when it failed
     */
    record Attached(Flow flow, FlowRunner runner, TtsCache.RenderAheadReport rendered) { }

    /** Attaches {@code (flowId, version)}; later calls for the same version return the same runner. */
    Future<Attached> attach(String flowId, int version) {
        String key = flowId + "#" + version;
        Future<Attached> existing = attached.get(key);
        if (existing != null) {
            return existing;
        }
        Future<Attached> result = vertx.executeBlocking(() -> store.report(flowId, version), false)
            .compose(this::prepare)
            .onFailure(e -> attached.remove(key));
        Future<Attached> raced = attached.putIfAbsent(key, result);
        return raced != null ? raced : result;
    }

    private Future<Attached> prepare(ValidationReport report) {
        Flow flow = report.flow();
        FlowRunner runner = FlowInterpreter.of(report);
        return renderAhead.apply(flow)
            .map(r -> new Attached(flow, runner, r))
            .recover(e -> {
                LOG.warn("flow {} v{}: render-ahead failed, prompts render at first use: {}", flow.id(),
                    flow.version(), e.toString());
                return Future.succeededFuture(new Attached(flow, runner, null));
            })
            .onSuccess(a -> LOG.info("flow {} v{} attached", flow.id(), flow.version()));
    }
}
