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
 */
final class AttemptRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRecovery.class);

    private final RunnerParts p;
    private final WorkerExecutor worker;

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
        List<CallEngine> engines = p.dialing().engines();
        return worker.executeBlocking(() -> {
            List<Live> live = new ArrayList<>();
            List<Ended> ended = new ArrayList<>();
            Set<Long> withAttempt = new HashSet<>();
            for (CallEngine engine : engines) {
                for (CallRecord r : p.records().store().findUnfinished(engine.server().config().name())) {
                    if (!p.campaignId().equals(r.campaignId()) || r.contactId() == null) {
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
            for (long id : p.contacts().dialingIds(p.campaignId())) {
                if (withAttempt.contains(id)) {
                    continue;
                }
                Optional<Contact> c = p.contacts().get(id);
                // the attempt the runner would have made (its id is campaign-contact-number, see the runner)
                Optional<CallRecord> done = c.flatMap(x -> p.records().store().find(p.campaignId() + "-" + id + "-"
                        + (x.attempts().total() + 1))).filter(r -> r.outcome() != null);
                if (done.isPresent()) {
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
                Lease lease = p.pacer().lines().adopt(p.campaignId(), p.trunk().name());
                l.engine().recover(req, r).onComplete(done -> {
                    p.pacer().finished(lease);
                    finished.accept(l.task(), done.result());
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
