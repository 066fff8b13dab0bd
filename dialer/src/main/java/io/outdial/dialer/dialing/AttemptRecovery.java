package io.outdial.dialer.dialing;

import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.dialing.CampaignScheduler.DialTask;
import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.pacing.Lease;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash safety on start (ARCHITECTURE §3 rule 1): attempts a previous process left DIALING are handed to the
 * call engine's recovery (live channels re-attached, vanished ones LOST, so the rules retry them later, never
 * at once); contacts claimed without an attempt row (never dialed) go back to waiting.
 *
 * <p>Scoped to the node ({@link NodeScope}): at the start it takes the attempts and claims of this node, of rows
 * without a node and of dead nodes; {@link #recoverOrphans} (run by the owner now and then) takes only those of
 * other nodes that died since (failover). What another live node started is never touched: its calls are its own
 * until its liveness lease expires. One instance per runner: an attempt is handed over at most once.
 */
final class AttemptRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRecovery.class);

    private final RunnerParts p;
    private final WorkerExecutor worker;
    /** Attempts already handed to an engine or finished by this instance (touched on workers). */
    private final Set<String> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Contacts already finished or given back by this instance. */
    private final Set<Long> handledContacts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    AttemptRecovery(RunnerParts parts, WorkerExecutor worker) {
        this.p = parts;
        this.worker = worker;
    }

    private record Live(DialTask task, CallRecord stored, CallEngine engine) { }

    /** An attempt whose call ended and was stored, but whose contact result was not written before the stop. */
    private record Ended(DialTask task, CallRecord stored) { }

    private record Found(List<Live> live, List<Ended> ended) { }

    /** Runs on the runner context; returns how many attempts were handed to the engine. */
    Future<Integer> recover(BiConsumer<DialTask, CallRecord> finished, IntConsumer activeDelta) {
        return recover(p.scope()::recoverable, finished, activeDelta);
    }

    /**
     * Failover: the attempts and claims of other nodes of this campaign that died since this runner started (their
     * liveness lease expired); this node's own are never touched here.
     */
    Future<Integer> recoverOrphans(BiConsumer<DialTask, CallRecord> finished, IntConsumer activeDelta) {
        return recover(p.scope()::orphaned, finished, activeDelta);
    }

    private Future<Integer> recover(java.util.function.Predicate<String> nodes,
                                    BiConsumer<DialTask, CallRecord> finished, IntConsumer activeDelta) {
        List<CallEngine> engines = p.dialing().engines();
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return worker.executeBlocking(() -> {
            List<Live> live = new ArrayList<>();
            List<Ended> ended = new ArrayList<>();
            Set<Long> withAttempt = new HashSet<>();
            for (CallEngine engine : engines) {
                for (CallRecord r : p.records().store().findUnfinished(engine.server().config().name(), nodes)) {
                    if (!p.campaignId().equals(r.campaignId()) || r.contactId() == null
                            || !handled.add(r.attemptId())) {
                        continue;
                    }
                    Optional<Contact> c = p.contacts().get(Long.parseLong(r.contactId()));
                    if (c.isEmpty() || c.get().state() != ContactState.DIALING) {
                        continue;
                    }
                    withAttempt.add(c.get().id());
                    live.add(new Live(task(c.get(), r.phone()), r, engine));
                }
            }
            Instant now = p.clock().instant();
            for (Map.Entry<Long, String> claim : p.contacts().dialingClaims(p.campaignId()).entrySet()) {
                long id = claim.getKey();
                if (withAttempt.contains(id) || !nodes.test(claim.getValue()) || handledContacts.contains(id)) {
                    continue; // being recovered, or claimed by a live node (its calls are its own)
                }
                Optional<Contact> c = p.contacts().get(id);
                // the attempt the runner would have made (its id is campaign-contact-number, see the runner)
                String attemptId = c.map(x -> p.campaignId() + "-" + id + "-" + (x.attempts().total() + 1))
                        .orElse(null);
                if (attemptId != null && handled.contains(attemptId)) {
                    continue;
                }
                Optional<CallRecord> row = attemptId == null ? Optional.empty() : p.records().store().find(attemptId);
                if (row.isPresent() && row.get().outcome() == null) {
                    continue; // its attempt is live on a server this runner does not dial through; not ours
                }
                Optional<CallRecord> done = row;
                handledContacts.add(id);
                if (done.isPresent()) {
                    handled.add(attemptId);
                    // the call ended and its record was stored, the stop came before the contact's result: finish
                    // that, never dial it again for this attempt
                    ended.add(new Ended(task(c.get(), done.get().phone()), done.get()));
                } else if (p.contacts().unclaim(id, now)) {
                    LOG.info("campaign {} contact {}: claimed but never dialed before the restart; waiting again",
                            p.campaignId(), id);
                }
            }
            return new Found(live, ended);
        }, false).map(found -> {
            for (Ended e : found.ended()) {
                activeDelta.accept(1);
                LOG.info("campaign {} attempt {}: ended {} before the restart; storing its result",
                        p.campaignId(), e.stored().attemptId(), e.stored().outcome().kind());
                finished.accept(e.task(), e.stored());
            }
            List<Live> live = found.live();
            for (Live l : live) {
                CallRecord r = l.stored();
                CallRequest req = new CallRequest(r.attemptId(), p.campaignId(), r.contactId(), r.phone(),
                        l.task().contact().fields(), p.trunk(), l.task().contact().attempts().total() + 1,
                        r.channelId(), p.amd(), p.machinePolicy(), p.flow(), Map.of());
                activeDelta.accept(1);
                LOG.info("campaign {} attempt {} channel {}: recovering after a restart", p.campaignId(),
                        r.attemptId(), r.channelId());
                // the live call's line, counted without blocking the runner's event loop (a cluster round trip)
                Future.fromCompletionStage(p.pacer().adoptLive(p.campaignId(), p.trunk().name()), context)
                        .onComplete(adopted -> {
                            if (adopted.failed()) {
                                LOG.warn("campaign {} attempt {}: its line was not counted: {}", p.campaignId(),
                                        r.attemptId(), adopted.cause().toString());
                            }
                            Lease lease = adopted.result();
                            l.engine().recover(req, r).onComplete(done -> {
                                if (lease != null) {
                                    p.pacer().finished(lease);
                                }
                                finished.accept(l.task(), done.result());
                            });
                        });
            }
            return live.size() + found.ended().size();
        });
    }

    private DialTask task(Contact c, String phone) {
        int index = 0;
        for (int i = 0; i < c.phones().phones().size(); i++) {
            if (c.phones().get(i).e164().equals(phone)) {
                index = i;
            }
        }
        return new DialTask(c, index, phone, p.zones().zonesFor(c.timeZone(), c.phones().primary()));
    }
}
