package io.outdial.fallback.engine;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.scheme.Block;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.ContentTemplate;
import io.outdial.fallback.scheme.Link;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.sms.SmsSplit;
import io.outdial.fallback.store.Consent;
import io.outdial.fallback.store.CostEntry;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.MessageRecord.MessageState;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.store.RunStore;
import io.outdial.fallback.store.Step;
import io.outdial.fallback.store.Step.StepState;
import io.outdial.fallback.store.Timer;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run state machine. Every method is synchronous, blocks on the store, runs on a worker thread and is
 * called for one run at a time (the engine's lanes). It writes before the engine acts: a message is PENDING and
 * its step SENDING before the submit, so a restarted engine never submits it again. Returns the send the engine
 * must make next, or null.
 */
final class Walker {

    private static final Logger LOG = LoggerFactory.getLogger(Walker.class);
    /** Blocks a run may pass without waiting, so a loop of splits and goals cannot spin forever. */
    private static final int MAX_HOPS = 64;

    private final RunStore store;
    private final StopList stopList;
    private final Schemes schemes;
    private final EngineOptions options;
    private final Clock clock;
    private final LinkMatcher matcher = new LinkMatcher();
    private final StatusRecorder statuses;

    Walker(RunStore store, StopList stopList, Schemes schemes, EngineOptions options, Clock clock) {
        this.store = store;
        this.stopList = stopList;
        this.schemes = schemes;
        this.options = options;
        this.clock = clock;
        this.statuses = new StatusRecorder(store, stopList, options, clock);
    }

    /** Starts a new run at the scheme's start block; a run id seen before starts nothing. */
    SendRequest start(Run run) {
        if (!store.insertRun(run)) {
            return null;
        }
        Scheme scheme = scheme(run);
        LOG.info("run {} started: scheme {} v{} recipient {}", run.id(), run.schemeId(), run.schemeVersion(),
                run.recipient().id());
        return enter(run, scheme, scheme.start(), 0);
    }

    /** The provider accepted a message. */
    SendRequest submitted(String messageId, Submitted s) {
        MessageRecord m = store.message(messageId).orElseThrow();
        if (m.state() != MessageState.PENDING) {
            return null;
        }
        Instant now = clock.instant();
        Run run = store.run(m.runId()).orElseThrow();
        long cost = options.prices().price(m.channel()) * s.segments();
        m = m.submitted(s.providerIds(), s.segments(), cost, now);
        store.saveMessage(m);
        if (cost > 0) {
            store.book(new CostEntry(run.id(), run.campaignId(), run.schemeId(), m.blockId(), m.id(), m.channel(),
                    s.segments(), cost, now));
        }
        count(run, m.blockId(), Counter.SENT, 1);
        LOG.info("run {} block {}: {} message {} accepted as {} ({} part(s))", run.id(), m.blockId(),
                m.channel().json(), m.id(), s.providerIds(), s.segments());
        Step step = store.step(run.id(), m.step()).orElseThrow();
        if (run.state().active() && run.step() == step.seq() && step.state() == StepState.SENDING) {
            startWaiting(run, step, (Block.ChannelBlock) scheme(run).block(step.blockId()), now);
        }
        SendRequest next = null;
        for (ChannelEvent parked : store.attachProviderIds(m.id(), m.channel(), s.providerIds())) {
            SendRequest r = event(m.id(), parked);
            next = next == null ? r : next;
        }
        return next;
    }

    /** The submit failed: the error link, or the run fails. */
    SendRequest sendFailed(String messageId, Throwable cause) {
        MessageRecord m = store.message(messageId).orElseThrow();
        if (m.state() != MessageState.PENDING) {
            return null;
        }
        String why = String.valueOf(cause);
        if (cause instanceof SendException) {
            SendException se = (SendException) cause;
            why = se.reason() + (se.providerCode() == null ? "" : "[" + se.providerCode() + "]") + ": "
                    + se.getMessage();
        }
        store.saveMessage(m.failed(MessageState.FAILED, why));
        Run run = store.run(m.runId()).orElseThrow();
        Step step = store.step(run.id(), m.step()).orElseThrow();
        LOG.warn("run {} block {}: {} message {} not sent: {}", run.id(), m.blockId(), m.channel().json(), m.id(),
                why);
        if (!run.state().active() || run.step() != step.seq()) {
            return null;
        }
        return error(run, scheme(run), step, (Block.ChannelBlock) scheme(run).block(step.blockId()), why, 0);
    }

    /**
     * A message accepted earlier will never get a status (a call handed to a campaign's dialing that ended without
     * a call: stop-listed, no number or calendar opening left): it fails now and the block takes its error link.
     */
    SendRequest failedAfterSubmit(String messageId, String why) {
        MessageRecord m = store.message(messageId).orElse(null);
        if (m == null || m.state() != MessageState.SUBMITTED || m.status() != null && m.status() != Status.SENT) {
            return null;
        }
        store.saveMessage(m.failed(MessageState.FAILED, why));
        Run run = store.run(m.runId()).orElseThrow();
        Step step = store.step(run.id(), m.step()).orElseThrow();
        LOG.warn("run {} block {}: {} message {} failed after it was accepted: {}", run.id(), m.blockId(),
                m.channel().json(), m.id(), why);
        if (!run.state().active() || run.step() != step.seq() || step.state() != StepState.WAITING) {
            return null;
        }
        return error(run, scheme(run), step, (Block.ChannelBlock) scheme(run).block(step.blockId()), why, 0);
    }

    /** A status, reply or IVR event of a message. Late and duplicate events are recorded and move nothing. */
    SendRequest event(String messageId, ChannelEvent e) {
        MessageRecord m = store.message(messageId).orElseThrow();
        Run run = store.run(m.runId()).orElseThrow();
        Step step = store.step(run.id(), m.step()).orElseThrow();
        Scheme scheme = scheme(run);
        Block.ChannelBlock block = (Block.ChannelBlock) scheme.block(m.blockId());
        Instant now = clock.instant();
        SendRequest next = null;
        boolean live = run.state().active() && run.step() == step.seq() && step.state() == StepState.WAITING;
        if (live && !now.isBefore(step.deadline())) {
            // The decision time is over even if its timer has not fired yet: the timeout decides, not this event.
            next = decide(run, scheme, step, block, matcher.timeout(block), "timeout");
            live = false;
        }
        Link link = null;
        if (e instanceof ChannelEvent.StatusReport) {
            Status st = statuses.apply(run, m, (ChannelEvent.StatusReport) e);
            link = st == null ? null : matcher.status(block, st);
        } else if (e instanceof ChannelEvent.Reply) {
            String text = ((ChannelEvent.Reply) e).text();
            count(run, m.blockId(), Counter.REPLIED, 1);
            LOG.info("run {} block {}: reply \"{}\"{}", run.id(), m.blockId(), text, live ? "" : " (late)");
            if (options.isStopWord(text)) {
                stopList.add(m.address(), "reply " + text.trim());
            }
            link = matcher.reply(block, text);
        } else if (e instanceof ChannelEvent.IvrKey) {
            link = matcher.key(block, ((ChannelEvent.IvrKey) e).key());
        } else if (e instanceof ChannelEvent.IvrMessage) {
            link = matcher.message(block, ((ChannelEvent.IvrMessage) e).event());
        } else {
            throw new IllegalStateException("unknown event " + e);
        }
        if (live && link != null) {
            return decide(run, scheme, step, block, link, link.describe());
        }
        return next;
    }

    /** A timer fired: the delay ends, or the decision time ran out. */
    SendRequest timer(Timer t) {
        Run run = store.run(t.runId()).orElse(null);
        Step step = store.step(t.runId(), t.step()).orElse(null);
        if (run == null || step == null || !run.state().active() || run.step() != t.step()
                || step.state() != StepState.WAITING) {
            store.deleteTimer(t.runId(), t.step());
            return null;
        }
        if (clock.instant().isBefore(step.deadline())) {
            return null;
        }
        Scheme scheme = scheme(run);
        Block b = scheme.block(step.blockId());
        if (b instanceof Block.Delay) {
            leave(run, step, "delay", ((Block.Delay) b).next());
            return enter(run, scheme, ((Block.Delay) b).next(), 0);
        }
        Block.ChannelBlock cb = (Block.ChannelBlock) b;
        return decide(run, scheme, step, cb, matcher.timeout(cb), "timeout");
    }

    /** Cancels an active run. */
    void cancel(String runId) {
        Run run = store.run(runId).orElse(null);
        if (run == null || !run.state().active()) {
            return;
        }
        Step step = store.step(runId, run.step()).orElse(null);
        count(run, run.blockId(), Counter.CANCELLED, 1);
        finish(run, step, RunState.CANCELLED, "cancelled");
    }

    /** Takes up a run where a stopped engine left it; never submits a message that may have gone out. */
    SendRequest recover(Run run) {
        Scheme scheme = scheme(run);
        if (run.step() == 0) {
            return enter(run, scheme, scheme.start(), 0);
        }
        Step step = store.step(run.id(), run.step()).orElseThrow();
        Block b = scheme.block(step.blockId());
        switch (step.state()) {
            case ENTERED:
                return act(run, scheme, step, b, 0);
            case SENDING:
                MessageRecord m = store.message(step.messageId()).orElseThrow();
                if (m.state() == MessageState.SUBMITTED) {
                    startWaiting(run, step, (Block.ChannelBlock) b, m.sentAt());
                    return null;
                }
                String why = "submit outcome unknown after a restart; not sent again";
                if (m.state() == MessageState.PENDING) {
                    store.saveMessage(m.failed(MessageState.UNKNOWN, why));
                } else {
                    why = m.error();
                }
                LOG.warn("run {} block {}: message {}: {}", run.id(), step.blockId(), m.id(), why);
                return error(run, scheme, step, (Block.ChannelBlock) b, why, 0);
            case WAITING:
                store.saveTimer(new Timer(run.id(), step.seq(), b instanceof Block.Delay ? Timer.Kind.DELAY
                        : Timer.Kind.DECISION, step.deadline()));
                return null;
            case DONE:
                if (step.next() != null) {
                    return enter(run, scheme, step.next(), 0);
                }
                store.updateRun(run.with(RunState.DONE, clock.instant(), step.outcome()));
                return null;
            default:
                throw new IllegalStateException("unknown step state " + step.state());
        }
    }

    private SendRequest enter(Run run, Scheme scheme, String blockId, int hops) {
        Instant now = clock.instant();
        int seq = run.step() + 1;
        Step step = new Step(run.id(), seq, blockId, StepState.ENTERED, now, null, null, null, null);
        store.saveStep(step);
        Run at = run.at(blockId, seq, RunState.RUNNING, now);
        store.updateRun(at);
        count(at, blockId, Counter.ENTERED, 1);
        count(at, blockId, Counter.RUNNING, 1);
        return act(at, scheme, step, scheme.block(blockId), hops);
    }

    private SendRequest act(Run run, Scheme scheme, Step step, Block b, int hops) {
        if (hops > MAX_HOPS) {
            return finish(run, step, RunState.FAILED, "passed " + MAX_HOPS + " blocks without waiting; a loop?");
        }
        if (b instanceof Block.End) {
            return finish(run, step, RunState.DONE, "end");
        } else if (b instanceof Block.Goal) {
            Block.Goal g = (Block.Goal) b;
            count(run, step.blockId(), Counter.GOAL_REACHED, 1);
            LOG.info("run {} block {}: goal \"{}\" reached", run.id(), step.blockId(), g.name());
            if (g.next() == null) {
                return finish(run, step, RunState.DONE, "goal " + g.name());
            }
            leave(run, step, "goal " + g.name(), g.next());
            return enter(run, scheme, g.next(), hops + 1);
        } else if (b instanceof Block.Split) {
            Block.Branch br = ABSplit.pick(scheme.id(), step.blockId(), run.recipient().id(), (Block.Split) b);
            count(run, step.blockId() + "/" + br.name(), Counter.ENTERED, 1);
            leave(run, step, "branch " + br.name(), br.next());
            return enter(run, scheme, br.next(), hops + 1);
        } else if (b instanceof Block.Delay) {
            Instant due = step.enteredAt().plus(((Block.Delay) b).duration());
            store.saveTimer(new Timer(run.id(), step.seq(), Timer.Kind.DELAY, due));
            store.saveStep(step.with(StepState.WAITING, due, null));
            store.updateRun(run.with(RunState.WAITING, clock.instant(), null));
            count(run, step.blockId(), Counter.WAITING, 1);
            return null;
        } else if (b instanceof Block.ChannelBlock) {
            return prepareSend(run, scheme, step, (Block.ChannelBlock) b, hops);
        }
        throw new IllegalStateException("unknown block " + b);
    }

    private SendRequest prepareSend(Run run, Scheme scheme, Step step, Block.ChannelBlock b, int hops) {
        String address = run.recipient().address();
        if (stopList.contains(run.campaignId(), address)) {
            LOG.info("run {} block {}: {} is stop-listed; nothing sent", run.id(), step.blockId(), address);
            count(run, step.blockId(), Counter.STOPPED, 1);
            return finish(run, step, RunState.STOPPED, "stop-listed");
        }
        if (b.type().requiresOptIn() && !Consent.granted(run.recipient(), b.type())) {
            LOG.info("run {} block {}: {} has no {} opt-in; nothing sent", run.id(), step.blockId(), address,
                    b.type().json());
            Link link = matcher.status(b, Status.NO_CONSENT);
            if (link == null) {
                link = matcher.error(b);
            }
            count(run, step.blockId(), Counter.FAILED, 1);
            return decide(run, scheme, step, b, link, "status " + Status.NO_CONSENT.json());
        }
        Instant now = clock.instant();
        Integer cap = options.dailyCaps().get(b.type());
        if (cap != null) {
            Instant dayStart = LocalDate.ofInstant(now, options.capZone()).atStartOfDay(options.capZone()).toInstant();
            int sent = store.sendsSince(address, b.type(), dayStart);
            if (sent >= cap) {
                return error(run, scheme, step, b, "frequency cap: " + sent + " " + b.type().json()
                        + " message(s) to " + address + " today, at most " + cap, hops);
            }
        }
        Map<String, String> content = new LinkedHashMap<>();
        b.content().forEach((k, v) -> content.put(k, ContentTemplate.render(v, run.recipient().fields())));
        if (b.type() == ChannelType.SMS) {
            int parts = SmsSplit.of(content.getOrDefault("text", "")).segments();
            if (parts > b.segmentLimit()) {
                return error(run, scheme, step, b, "the rendered text takes " + parts + " SMS parts, at most "
                        + b.segmentLimit(), hops);
            }
        }
        String messageId = run.id() + "/" + step.seq();
        String main = content.getOrDefault("text", content.values().stream().findFirst().orElse(""));
        store.saveMessage(MessageRecord.pending(messageId, run, step.seq(), step.blockId(), b.type(), main, now));
        store.saveStep(step.with(StepState.SENDING, null, messageId));
        return new SendRequest(new OutboundMessage(messageId, run.id(), step.blockId(), b.type(), address, content,
                run.recipient().fields(), b.segmentLimit(), b.decisionTime()));
    }

    private void startWaiting(Run run, Step step, Block.ChannelBlock b, Instant sentAt) {
        Instant deadline = sentAt.plus(b.decisionTime());
        store.saveTimer(new Timer(run.id(), step.seq(), Timer.Kind.DECISION, deadline));
        store.saveStep(step.with(StepState.WAITING, deadline, step.messageId()));
        store.updateRun(run.with(RunState.WAITING, clock.instant(), null));
        count(run, step.blockId(), Counter.WAITING, 1);
    }

    private SendRequest decide(Run run, Scheme scheme, Step step, Block.ChannelBlock b, Link link, String why) {
        if (link == null) {
            LOG.info("run {} block {}: {} and no link for it; the run ends", run.id(), step.blockId(), why);
            return finish(run, step, RunState.DONE, why + " (no link)");
        }
        LOG.info("run {} block {}: {} -> {}", run.id(), step.blockId(), why, link.next());
        leave(run, step, why, link.next());
        return enter(run, scheme, link.next(), 0);
    }

    private SendRequest error(Run run, Scheme scheme, Step step, Block.ChannelBlock b, String why, int hops) {
        count(run, step.blockId(), Counter.FAILED, 1);
        Link link = matcher.error(b);
        if (link == null) {
            return finish(run, step, RunState.FAILED, why);
        }
        LOG.info("run {} block {}: error ({}) -> {}", run.id(), step.blockId(), why, link.next());
        leave(run, step, "error: " + why, link.next());
        return enter(run, scheme, link.next(), hops + 1);
    }

    private void leave(Run run, Step step, String why, String next) {
        if (step == null || step.state() == StepState.DONE) {
            return;
        }
        store.saveStep(step.done(why, next));
        store.deleteTimer(run.id(), step.seq());
        count(run, step.blockId(), Counter.RUNNING, -1);
        if (step.state() == StepState.WAITING) {
            count(run, step.blockId(), Counter.WAITING, -1);
        }
    }

    private SendRequest finish(Run run, Step step, RunState state, String why) {
        leave(run, step, why, null);
        store.updateRun(run.with(state, clock.instant(), why));
        LOG.info("run {} {}: {}", run.id(), state.name().toLowerCase(java.util.Locale.ROOT), why);
        return null;
    }

    private void count(Run run, String blockId, Counter c, long delta) {
        store.addCounter(run.schemeId(), blockId, c, delta);
    }

    private Scheme scheme(Run run) {
        Scheme s = schemes.get(run.schemeId(), run.schemeVersion());
        if (s == null) {
            throw new IllegalStateException("run " + run.id() + ": scheme " + run.schemeId() + " v"
                    + run.schemeVersion() + " is unknown");
        }
        return s;
    }
}
