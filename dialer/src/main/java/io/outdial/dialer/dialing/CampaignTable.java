package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.storage.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link CampaignRunners} reads of the campaign table on each reconcile, with the lifecycle's due moves
 * ({@link CampaignLifecycle#due}) applied for the campaigns this node owns. Blocking: call it on a worker.
 */
final class CampaignTable {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunners.class);

    /**
     * What the reconcile read: the rows this node owns, the campaigns whose end time passed while a runner here
     * dials, and the ids and rows of the campaigns another node owns.
     */
    record Snapshot(Map<String, Campaign> rows, List<String> toFinish, List<String> elsewhere,
                    Map<String, Campaign> others) { }

    private final Database database;
    private final Clock clock;
    private final CampaignOwnership ownership;

    CampaignTable(Database database, Clock clock, CampaignOwnership ownership) {
        this.database = database;
        this.clock = clock;
        this.ownership = ownership;
    }

    /** On a worker: the rows, with the due SCHEDULED → RUNNING and (without a runner) → FINISHED moves applied. */
    Snapshot read(List<String> withRunner, List<String> ended, boolean withFinished) {
        JdbcCampaignStore store = new JdbcCampaignStore(database.dataSource(), clock);
        Map<String, Campaign> rows = new LinkedHashMap<>();
        // the first read after a start also takes the FINISHED rows: /ready shows them "idle, finished" as before
        // the restart, until they are archived or deleted
        List<CampaignState> states = withFinished
                ? List.of(CampaignState.RUNNING, CampaignState.SCHEDULED, CampaignState.PAUSED, CampaignState.FINISHED)
                : List.of(CampaignState.RUNNING, CampaignState.SCHEDULED, CampaignState.PAUSED);
        // one statement: a campaign moved meanwhile (paused and resumed) is seen in one state or the other, never in
        // neither (then this node would drop it and its counts as gone)
        store.inStates(states).forEach(c -> rows.put(c.id(), c));
        for (String id : withRunner) {
            if (!rows.containsKey(id)) {
                store.get(id).ifPresent(c -> rows.put(c.id(), c));
            }
        }
        for (String id : ended) { // finished here: followed until archived (shown so) or deleted (dropped)
            if (!rows.containsKey(id)) {
                store.get(id).ifPresent(c -> rows.put(c.id(), c));
            }
        }
        Instant now = clock.instant();
        List<String> toFinish = new ArrayList<>();
        for (Campaign c : List.copyOf(rows.values())) {
            Optional<CampaignLifecycle.Move> move = CampaignLifecycle.due(c, now, true);
            if (move.isEmpty() || !ownership.owns(c)) {
                continue;
            }
            if (move.get().to() == CampaignState.FINISHED && withRunner.contains(c.id())) {
                toFinish.add(c.id()); // pause the runner first, then finish
                continue;
            }
            try {
                store.moveTo(c, move.get().to(), move.get().reason()).ifPresent(m -> rows.put(m.id(), m));
            } catch (RuntimeException e) {
                LOG.warn("campaign {}: automatic move to {} failed: {}", c.id(), move.get().to(), e.toString());
            }
        }
        Map<String, Campaign> owned = new LinkedHashMap<>();
        Map<String, Campaign> others = new LinkedHashMap<>();
        rows.forEach((id, c) -> {
            if (ownership.owns(c)) {
                owned.put(id, c);
            } else {
                others.put(id, c);
            }
        });
        return new Snapshot(owned, toFinish, List.copyOf(others.keySet()), others);
    }
}
