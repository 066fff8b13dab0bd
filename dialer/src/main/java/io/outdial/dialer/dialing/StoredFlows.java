package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.flow.JdbcFlowStore;
import io.outdial.ivr.spi.FlowRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * A definition's flow in serve mode: {@code flowId} (+ {@code flowVersion}, 0 = the latest attachable version, which
 * the campaign runners pin at the campaign's first start) through {@link IvrWiring#attach} over the node's flow
 * store; a {@code flow} file through the campaign-file loader. Blocking reads run on a worker.
 */
final class StoredFlows implements CampaignRunners.FlowSource {
    private final Vertx vertx;
    private final Supplier<JdbcFlowStore> store;
    private final IvrWiring ivr;

    /** Over the flow store and prompt media of {@code ivr} (the store exists once its component started). */
    public StoredFlows(Vertx vertx, IvrWiring ivr) {
        this.vertx = vertx;
        this.ivr = ivr;
        this.store = ivr::store;
    }

    @Override
    public Future<FlowRunner> flow(CampaignFile file) {
        if (file.flowId() == null) {
            return vertx.executeBlocking(file::loadFlow, false);
        }
        if (store.get() == null) {
            return Future.failedFuture(new IllegalStateException("the flow store is not started"));
        }
        String id = file.flowId();
        return version(file).compose(v -> ivr.attach(id, v));
    }

    @Override
    public Future<Integer> version(CampaignFile file) {
        JdbcFlowStore s = store.get();
        if (file.flowId() == null || file.flowVersion() > 0) {
            return Future.succeededFuture(file.flowVersion());
        }
        if (s == null) {
            return Future.failedFuture(new IllegalStateException("the flow store is not started"));
        }
        return vertx.executeBlocking(() -> latestAttachable(s, file.flowId()), false);
    }

    private static int latestAttachable(JdbcFlowStore s, String flowId) {
        int latest = s.latestValid(flowId);
        if (latest == JdbcFlowStore.NO_FLOW) {
            throw new IllegalArgumentException("flow " + flowId + " does not exist");
        }
        if (latest > 0) {
            return latest;
        }
        throw new IllegalArgumentException("flow " + flowId + " has no valid version to attach (only drafts)");
    }
}
