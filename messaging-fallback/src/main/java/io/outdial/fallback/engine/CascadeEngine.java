package io.outdial.fallback.engine;

import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.store.RunStore;
import io.outdial.fallback.store.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks one run per recipient through a scheme: sends through the channels, waits on durable timers, follows
 * links on statuses, replies and IVR events. A run's work is serialized in its own lane on the engine's context;
 * store calls run on worker threads. Timers are read from the store every {@link EngineOptions#pollInterval()}
 * against the injected clock, so a new engine on the same store resumes every run where it was.
 */
public final class CascadeEngine {

    private static final Logger LOG = LoggerFactory.getLogger(CascadeEngine.class);

    private final Vertx vertx;
    private final Context context;
    private final Clock clock;
    private final RunStore store;
    private final Schemes schemes;
    private final EngineOptions options;
    private final Map<ChannelType, Channel> channels = new EnumMap<>(ChannelType.class);
    private final Walker walker;
    private final Lanes lanes = new Lanes();
    private final Set<String> timersInFlight = new HashSet<>();
    private final Set<String> validSchemes = ConcurrentHashMap.newKeySet();
    /**
     * Per channel and address, the submit in flight (until its outcome is recorded) of the latest message to it; a
     * reply from that address waits for it (at most {@link #REPLY_WAIT_MS}).
     */
    private final Map<String, Future<Void>> submitting = new ConcurrentHashMap<>();
    /** How long a reply waits for the submit of a message to its sender, in flight when it came, to be recorded. */
    static final long REPLY_WAIT_MS = 30_000;
    private long periodic = -1;
    private boolean ticking;

    /**
     * An engine. Call {@link #start()} before use.
     *
     * @param vertx    the Vert.x instance whose workers run store calls
     * @param clock    the time source for timers, caps and records
     * @param store    runs, steps, messages, timers, costs and counters
     * @param stopList checked before every send
     * @param schemes  the scheme versions runs are pinned to
     * @param channels one channel per kind used by the schemes
     * @param options  engine settings
     */
    public CascadeEngine(Vertx vertx, Clock clock, RunStore store, StopList stopList, Schemes schemes,
                         List<Channel> channels, EngineOptions options) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.clock = clock;
        this.store = store;
        this.schemes = schemes;
        this.options = options;
        this.walker = new Walker(store, stopList, schemes, options, clock);
        for (Channel c : channels) {
            this.channels.put(c.type(), c);
            c.events(e -> onEvent(e).onFailure(err -> LOG.error("event {} not handled", e, err)));
        }
    }

    /** Resumes every active run from the store, then starts looking for due timers. */
    public Future<Void> start() {
        return onContext(() -> blocking(store::activeRuns).compose(runs -> {
            LOG.info("cascade engine starting: {} active run(s), {} timer(s)", runs.size(), store.timerCount());
            List<Future<Void>> all = new ArrayList<>();
            for (Run r : runs) {
                all.add(lanes.run(r.id(), () -> step(() -> walker.recover(r)).compose(this::drive)));
            }
            periodic = vertx.setPeriodic(options.pollInterval().toMillis(), id -> tick()
                    .onFailure(err -> LOG.error("timer look-up failed; retried at the next tick", err)));
            return Future.join(all).<Void>mapEmpty().recover(err -> {
                LOG.error("some runs could not be resumed; they stay as they were", err);
                return Future.succeededFuture();
            });
        }));
    }

    /** Stops looking for timers and waits for the work under way. A new engine may then take the store. */
    public Future<Void> stop() {
        return onContext(() -> {
            if (periodic >= 0) {
                vertx.cancelTimer(periodic);
                periodic = -1;
            }
            return lanes.drained();
        });
    }

    /**
     * Starts a run for a recipient on a scheme version. Starting the same run id twice starts it once.
     *
     * @return the run as it stands once its first wait began (or it ended)
     */
    public Future<Run> startRun(String runId, String campaignId, String schemeId, int schemeVersion,
                                Recipient recipient) {
        return onContext(() -> lanes.run(runId, () -> step(() -> {
            checkScheme(schemeId, schemeVersion);
            Run run = new Run(runId, campaignId, schemeId, schemeVersion, recipient, RunState.RUNNING, null, 0,
                    clock.instant(), clock.instant(), null);
            return Driven.of(walker.start(run), store, runId);
        }).compose(d -> driveToRun(d, runId))));
    }

    /**
     * What a step of a run being started returned: the next send, or none and the run as the step left it (read
     * inside the step, where the store has it at hand).
     */
    private record Driven(SendRequest next, Run run) {
        static Driven of(SendRequest next, RunStore store, String runId) {
            return new Driven(next, next == null ? store.run(runId).orElseThrow() : null);
        }
    }

    /** {@link #drive} for a run being started: completes with the run once it sends nothing more. */
    private Future<Run> driveToRun(Driven d, String runId) {
        if (d.next() == null) {
            return Future.succeededFuture(d.run());
        }
        String id = d.next().message().id();
        return sendAndRecord(d.next(), ar -> Driven.of(ar.succeeded() ? walker.submitted(id, ar.result())
                : walker.sendFailed(id, ar.cause()), store, runId)).compose(n -> driveToRun(n, runId));
    }

    /**
     * Submits a message, then records the outcome in a step of its run; until that step is done, a reply from the
     * message's address waits ({@link #submitting}).
     */
    private <T> Future<T> sendAndRecord(SendRequest req,
                                        java.util.function.Function<AsyncResult<Submitted>, T> record) {
        String address = req.message().channel() + "|" + req.message().to();
        // a channel may complete on its own thread; the walker's next step starts from the engine's context
        Future<T> recorded = submit(req).transform(ar -> onContext(() -> step(() -> record.apply(ar))));
        Future<Void> inFlight = recorded.mapEmpty();
        submitting.put(address, inFlight);
        inFlight.onComplete(x -> submitting.remove(address, inFlight));
        return recorded;
    }

    /** Cancels a run: nothing more is sent; its timer is dropped. Cancelling a finished run does nothing. */
    public Future<Void> cancel(String runId) {
        return onContext(() -> lanes.run(runId, () -> step(() -> {
            walker.cancel(runId);
            return null;
        })));
    }

    /**
     * Handles a status, reply or IVR event from a channel. Duplicates, late events and events for finished runs
     * are recorded and move nothing; a receipt that comes before its submit response waits for it, and so does a
     * reply that comes while a message to its sender is being submitted.
     */
    public Future<Void> onEvent(ChannelEvent e) {
        return onContext(() -> {
            // a reply finds its message by its sender's address: one sent to it and still being submitted (the answer
            // of the provider not yet recorded) is waited for, or the reply would find no message sent
            if (!(e instanceof ChannelEvent.Reply r) || !submitting.containsKey(r.channel() + "|" + r.from())) {
                return dispatch(e);
            }
            return submitsSettled(r.channel(), r.from()).compose(x -> onContext(() -> dispatch(e)));
        });
    }

    /**
     * Completes once no message to {@code address} on {@code channel} is being submitted by this engine (its submit
     * response recorded), or after {@link #REPLY_WAIT_MS}: a reply from that address then finds the message it
     * answers.
     */
    public Future<Void> submitsSettled(ChannelType channel, String address) {
        Future<Void> submitted = submitting.get(channel + "|" + address);
        if (submitted == null) {
            return Future.succeededFuture();
        }
        Promise<Void> waited = Promise.promise();
        long timer = vertx.setTimer(REPLY_WAIT_MS, t -> waited.tryComplete());
        submitted.onComplete(x -> {
            vertx.cancelTimer(timer);
            waited.tryComplete();
        });
        return waited.future();
    }

    private Future<Void> dispatch(ChannelEvent e) {
        // an owner the store holds in memory needs no worker call
        Optional<MessageRecord> known = providerId(e) == null ? Optional.empty()
                : store.rememberedOwner(e.channel(), providerId(e));
        return (known.isPresent() ? Future.succeededFuture(known) : blocking(() -> owner(e))).compose(m -> {
            if (m.isEmpty()) {
                return Future.succeededFuture();
            }
            return lanes.run(m.get().runId(), () -> step(() -> walker.event(m.get().id(), e))
                    .compose(this::drive));
        });
    }

    /** The provider id an event names, or null (a reply). */
    private static String providerId(ChannelEvent e) {
        if (e instanceof ChannelEvent.StatusReport) {
            return ((ChannelEvent.StatusReport) e).providerId();
        } else if (e instanceof ChannelEvent.IvrKey) {
            return ((ChannelEvent.IvrKey) e).providerId();
        } else if (e instanceof ChannelEvent.IvrMessage) {
            return ((ChannelEvent.IvrMessage) e).providerId();
        }
        return null;
    }

    /**
     * Fails a message of run {@code runId} that was accepted but will never get a status (e.g. a call handed to a
     * campaign's dialing that ended without a call); a live block takes its error link. A message that already has
     * a status, or whose run moved on, stays as it is.
     */
    public Future<Void> failAccepted(String runId, String messageId, String why) {
        return onContext(() -> lanes.run(runId, () -> step(() -> walker.failedAfterSubmit(messageId, why))
                .compose(this::drive)));
    }

    /**
     * True when a message of the store owns this provider id on this channel; inbound webhooks refuse statuses
     * for ids it does not know.
     */
    public Future<Boolean> knows(ChannelType channel, String providerId) {
        return onContext(() -> blocking(() -> store.knowsProviderId(channel, providerId)));
    }

    /** Fires the timers due by the clock now; returns how many were due. Also called every poll interval. */
    public Future<Integer> tick() {
        return onContext(() -> {
            if (ticking) {
                return Future.succeededFuture(0);
            }
            ticking = true;
            return blocking(() -> store.dueTimers(clock.instant(), options.timerBatch())).compose(due -> {
                List<Future<Void>> all = new ArrayList<>();
                for (Timer t : due) {
                    if (timersInFlight.add(t.id())) {
                        all.add(lanes.run(t.runId(), () -> step(() -> walker.timer(t)).compose(this::drive))
                                .onComplete(ar -> timersInFlight.remove(t.id())));
                    }
                }
                return Future.join(all).<Integer>map(due.size()).otherwise(due.size());
            }).eventually(() -> {
                ticking = false;
                return Future.succeededFuture();
            });
        });
    }

    /** The store the engine writes to (runs, steps, messages, costs, counters). */
    public RunStore store() {
        return store;
    }

    private Optional<MessageRecord> owner(ChannelEvent e) {
        String providerId = providerId(e);
        if (providerId != null) {
            return store.findOrPark(e.channel(), providerId, e);
        } else if (e instanceof ChannelEvent.Reply) {
            ChannelEvent.Reply r = (ChannelEvent.Reply) e;
            Optional<MessageRecord> m = store.latestMessageTo(e.channel(), r.from());
            if (m.isEmpty()) {
                LOG.info("reply from {} matches no message sent on {}; ignored", r.from(), e.channel().json());
            }
            return m;
        }
        throw new IllegalStateException("unknown event " + e);
    }

    /** Submits what the walker prepared, records the outcome, and repeats while the run goes on sending. */
    private Future<Void> drive(SendRequest req) {
        if (req == null) {
            return Future.succeededFuture();
        }
        String id = req.message().id();
        return sendAndRecord(req, ar -> ar.succeeded() ? walker.submitted(id, ar.result())
                : walker.sendFailed(id, ar.cause())).compose(this::drive);
    }

    private Future<Submitted> submit(SendRequest req) {
        Channel ch = channels.get(req.message().channel());
        return ch == null
                ? Future.failedFuture(new SendException(SendException.Reason.UNAVAILABLE, "no "
                        + req.message().channel().json() + " channel is configured"))
                : ch.send(req.message());
    }

    private void checkScheme(String id, int version) {
        Scheme s = schemes.get(id, version);
        if (s == null) {
            throw new IllegalArgumentException("scheme " + id + " v" + version + " is unknown");
        }
        if (validSchemes.add(id + "@" + version)) {
            var report = SchemeDocuments.validate(s);
            if (!report.isValid()) {
                validSchemes.remove(id + "@" + version);
                throw new IllegalArgumentException("scheme " + id + " v" + version + " is not valid:\n"
                        + report.render());
            }
        }
    }

    /** One step of a run on a worker: the store may write its writes together, before the engine acts on it. */
    private <T> Future<T> step(Supplier<T> work) {
        return blocking(() -> store.batch(work));
    }

    private <T> Future<T> blocking(Callable<T> task) {
        return context.executeBlocking(task, false);
    }

    private <T> Future<T> onContext(Supplier<Future<T>> task) {
        if (Vertx.currentContext() == context && Context.isOnEventLoopThread()) {
            return task.get();
        }
        Promise<T> p = Promise.promise();
        context.runOnContext(v -> {
            try {
                task.get().onComplete(p);
            } catch (RuntimeException e) {
                p.fail(e);
            }
        });
        return p.future();
    }
}
