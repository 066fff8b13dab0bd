package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.ivr.spi.FlowRunner;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

/**
 * A definition's flow as the node's runners get it: none, a stored flow ({@code flowId}, through the node's flow
 * source) or a flow file ({@code flow}, read and validated on {@code worker}).
 */
final class DefinitionFlows implements CampaignRunners.FlowSource {
    private final CampaignRunners.FlowSource stored;
    private final WorkerExecutor worker;

    /** @param stored resolves stored flows; null when this node runs no flow store */
    DefinitionFlows(CampaignRunners.FlowSource stored, WorkerExecutor worker) {
        this.stored = stored;
        this.worker = worker;
    }

    @Override
    public Future<FlowRunner> flow(CampaignFile file) {
        if (file.flowId() == null && file.flow() == null) {
            return Future.succeededFuture(null);
        }
        if (file.flowId() != null) {
            if (stored == null) {
                return Future.failedFuture(new IllegalStateException("flowId " + file.flowId()
                    + " needs the flow store, which this node does not run"));
            }
            return stored.flow(file);
        }
        return worker.executeBlocking(file::loadFlow, false);
    }
}
