package io.outdial.fallback.engine;

import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.scheme.Block;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.sms.SmsSplit;
import io.outdial.fallback.store.Consent;
import io.outdial.fallback.store.CostEntry;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.Step;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tries a scheme against scripted recipient behaviours without sending or storing anything: each behaviour runs
 * the real {@link CascadeEngine} on an {@link InMemoryRunStore}, with a virtual clock that jumps to the next
 * scripted event or due timer, and simulated channels that accept every send and report what the behaviour says
 * ({@link DryRunBehaviour}). The answer is the path each recipient takes: the blocks, the message texts, SMS
 * parts and encoding, the cost and refunds, the wait in force, the goals reached and how the run ended.
 */
public final class CascadeDryRun {

    /** Most steps (block visits) of one path; a longer path is cut and reported {@code truncated}. */
    public static final int MAX_STEPS = 100;
    /** Most simulated events and timer jumps for one behaviour. */
    static final int MAX_MOVES = 1000;
    /** When the simulated runs start. */
    static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final String ADDRESS = "+10000000000";
    private static final int BRANCH_SEARCH = 5000;

    private final Vertx vertx;
    private final EngineOptions options;

    /**
     * @param vertx   whose contexts and workers the simulated engines use
     * @param options the node's engine settings (prices, caps, stop words); timers are driven by the dry run
     */
    public CascadeDryRun(Vertx vertx, EngineOptions options) {
        this.vertx = vertx;
        this.options = new EngineOptions(Duration.ofDays(3650), options.timerBatch(), options.prices(),
                options.dailyCaps(), options.capZone(), options.stopWords());
    }

    /** The price plan paths are costed with. */
    public PricePlan prices() {
        return options.prices();
    }

    /**
     * One path per behaviour, in order.
     *
     * @param scheme     a valid scheme
     * @param behaviours 1..{@link DryRunBehaviour#MAX_BEHAVIOURS}
     * @param fields     the simulated contact's fields for {@code {{contact.<field>}}}
     * @return the paths; fails with IllegalArgumentException for an invalid scheme or a behaviour that does not
     *     fit it (a split branch that does not exist)
     */
    public Future<List<DryRunPath>> run(Scheme scheme, List<DryRunBehaviour> behaviours, Map<String, String> fields) {
        SchemeReport report = SchemeDocuments.validate(scheme);
        if (!report.isValid()) {
            return Future.failedFuture(new IllegalArgumentException("the scheme is not valid:\n" + report.render()));
        }
        if (behaviours.isEmpty() || behaviours.size() > DryRunBehaviour.MAX_BEHAVIOURS) {
            return Future.failedFuture(new IllegalArgumentException("a dry run takes 1.."
                    + DryRunBehaviour.MAX_BEHAVIOURS + " behaviours, got " + behaviours.size()));
        }
        List<String> ids = new ArrayList<>();
        try {
            for (DryRunBehaviour b : behaviours) {
                ids.add(recipientId(scheme, b));
            }
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        List<DryRunPath> out = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < behaviours.size(); i++) {
            int n = i;
            chain = chain.compose(v -> one(scheme, behaviours.get(n), ids.get(n), fields, n).map(p -> {
                out.add(p);
                return null;
            }));
        }
        return chain.map(v -> out);
    }

    /** A recipient id whose A/B hash picks the branches the behaviour asks for. */
    static String recipientId(Scheme scheme, DryRunBehaviour b) {
        Map<String, Block.Split> splits = new LinkedHashMap<>();
        b.branches().forEach((blockId, branch) -> {
            Block block = scheme.block(blockId);
            if (!(block instanceof Block.Split)) {
                throw new IllegalArgumentException("behaviour \"" + b.name() + "\": branches names \"" + blockId
                        + "\", which is not a split block of the scheme");
            }
            Block.Split s = (Block.Split) block;
            if (s.branches().stream().noneMatch(br -> br.name().equals(branch))) {
                throw new IllegalArgumentException("behaviour \"" + b.name() + "\": split " + blockId
                        + " has no branch \"" + branch + "\"");
            }
            splits.put(blockId, s);
        });
        for (int i = 0; i < BRANCH_SEARCH; i++) {
            String id = "dry-run-" + i;
            boolean all = true;
            for (Map.Entry<String, Block.Split> e : splits.entrySet()) {
                if (!ABSplit.pick(scheme.id(), e.getKey(), id, e.getValue()).name()
                        .equals(b.branches().get(e.getKey()))) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return id;
            }
        }
        throw new IllegalArgumentException("behaviour \"" + b.name() + "\": no recipient takes branches "
                + b.branches());
    }

    private Future<DryRunPath> one(Scheme scheme, DryRunBehaviour b, String recipientId, Map<String, String> fields,
                                   int n) {
        Sim sim = new Sim(b);
        Map<String, String> f = new HashMap<>(fields == null ? Map.of() : fields);
        List<DryRunBehaviour.Outcome> wa = b.outcomes().get(ChannelType.WHATSAPP);
        if (wa != null && wa.get(0).statuses().contains(Status.NO_CONSENT)) {
            f.remove(Consent.field(ChannelType.WHATSAPP));
        } else {
            f.putIfAbsent(Consent.field(ChannelType.WHATSAPP), "yes");
        }
        List<Channel> channels = new ArrayList<>();
        for (ChannelType t : ChannelType.values()) {
            channels.add(sim.channel(t));
        }
        // the scheme runs under its own id and version, and only in this engine
        CascadeEngine engine = new CascadeEngine(vertx, sim.clock, sim.store, sim.stopList, Schemes.of(List.of(scheme)),
                channels, options);
        String runId = "dry-run/" + (n + 1);
        return engine.startRun(runId, "dry-run", scheme.id(), scheme.version(),
                        new Recipient(recipientId, ADDRESS, f))
                .compose(r -> loop(engine, sim, runId, 0))
                .map(v -> path(scheme, b, sim, runId));
    }

    private Future<Void> loop(CascadeEngine engine, Sim sim, String runId, int moves) {
        Run run = sim.store.run(runId).orElseThrow();
        boolean active = run.state().active();
        if (active && (moves >= MAX_MOVES || sim.store.steps(runId).size() >= MAX_STEPS)) {
            sim.truncated = true;
            return engine.cancel(runId).compose(v -> loop(engine, sim, runId, moves + 1));
        }
        if (moves >= MAX_MOVES + 1) {
            return Future.succeededFuture();
        }
        Instant deadline = null;
        if (active) {
            Step st = sim.store.step(runId, run.step()).orElse(null);
            deadline = st == null || st.state() != Step.StepState.WAITING ? null : st.deadline();
        }
        Pending next = sim.peek();
        if (next == null && deadline == null) {
            if (active) {
                sim.truncated = true;
                return engine.cancel(runId);
            }
            return Future.succeededFuture();
        }
        if (next != null && (deadline == null || next.at.isBefore(deadline))) {
            sim.poll();
            sim.clock.moveTo(next.at);
            return engine.onEvent(next.event).compose(v -> loop(engine, sim, runId, moves + 1));
        }
        sim.clock.moveTo(deadline);
        return engine.tick().compose(v -> loop(engine, sim, runId, moves + 1));
    }

    private DryRunPath path(Scheme scheme, DryRunBehaviour b, Sim sim, String runId) {
        Run run = sim.store.run(runId).orElseThrow();
        Map<Integer, MessageRecord> bySeq = new HashMap<>();
        sim.store.messages(runId).forEach(m -> bySeq.put(m.step(), m));
        Map<String, long[]> money = new HashMap<>();
        long total = 0;
        for (CostEntry c : sim.store.costs(runId)) {
            long[] bc = money.computeIfAbsent(c.messageId(), k -> new long[2]);
            if (c.amount() >= 0) {
                bc[0] += c.amount();
            } else {
                bc[1] -= c.amount();
            }
            total += c.amount();
        }
        List<DryRunPath.PathStep> steps = new ArrayList<>();
        List<String> goals = new ArrayList<>();
        for (Step st : sim.store.steps(runId)) {
            Block block = scheme.block(st.blockId());
            Duration wait = null;
            String channel = null;
            if (block instanceof Block.ChannelBlock) {
                wait = ((Block.ChannelBlock) block).decisionTime();
                channel = ((Block.ChannelBlock) block).type().json();
            } else if (block instanceof Block.Delay) {
                wait = ((Block.Delay) block).duration();
            } else if (block instanceof Block.Goal) {
                goals.add(((Block.Goal) block).name());
            }
            DryRunPath.PathMessage msg = null;
            MessageRecord m = bySeq.get(st.seq());
            if (m != null) {
                OutboundMessage out = sim.sent.get(m.id());
                String text = m.text();
                SmsSplit split = m.channel() == ChannelType.SMS ? SmsSplit.of(text == null ? "" : text) : null;
                long[] bc = money.getOrDefault(m.id(), new long[2]);
                msg = new DryRunPath.PathMessage(text, out == null ? Map.of() : out.content(),
                        split == null ? m.segments() : split.segments(),
                        split == null ? null : split.encoding().name(), bc[0], bc[1],
                        m.status() == null ? null : m.status().json(), sim.reported.getOrDefault(m.id(), List.of()),
                        m.error());
            }
            steps.add(new DryRunPath.PathStep(st.seq(), st.blockId(), block.typeName(), channel,
                    Duration.between(START, st.enteredAt()), wait, msg, st.outcome(), st.next()));
        }
        String outcome = sim.truncated ? "truncated" : !goals.isEmpty() ? "goal"
                : run.state().name().toLowerCase(java.util.Locale.ROOT);
        if ("done".equals(outcome)) {
            outcome = "end";
        }
        return new DryRunPath(b.name(), outcome, goals, run.state().name(), run.reason(), steps, total,
                Duration.between(START, run.updatedAt()), sim.truncated);
    }

    /** A scripted event due at a virtual instant. */
    private record Pending(Instant at, long seq, ChannelEvent event) {
    }

    /** One behaviour's world: clock, store, stop-list, channels and the scripted events to come. */
    private static final class Sim {
        final DryRunBehaviour behaviour;
        final VirtualClock clock = new VirtualClock(START);
        final InMemoryRunStore store = new InMemoryRunStore();
        final MemoryStopList stopList = new MemoryStopList();
        final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.at.equals(b.at)
                ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
        final Map<String, OutboundMessage> sent = new HashMap<>();
        final Map<String, List<String>> reported = new HashMap<>();
        final Map<ChannelType, Integer> sends = new EnumMap<>(ChannelType.class);
        long seq;
        int ids;
        boolean replied;
        boolean pressed;
        boolean truncated;

        Sim(DryRunBehaviour behaviour) {
            this.behaviour = behaviour;
        }

        synchronized Pending peek() {
            return queue.peek();
        }

        synchronized Pending poll() {
            return queue.poll();
        }

        synchronized void at(Duration after, ChannelEvent e) {
            queue.add(new Pending(clock.instant().plus(after), seq++, e));
        }

        synchronized Future<Submitted> send(OutboundMessage m) {
            ChannelType t = m.channel();
            int n = sends.merge(t, 1, Integer::sum) - 1;
            DryRunBehaviour.Outcome o = behaviour.outcome(t, n);
            sent.put(m.id(), m);
            List<String> words = new ArrayList<>();
            o.statuses().forEach(s -> words.add(s.json()));
            reported.put(m.id(), words);
            if (o.fails()) {
                return Future.failedFuture(new SendException(SendException.Reason.REJECTED,
                        "simulated: the provider refused the message"));
            }
            int parts = t == ChannelType.SMS ? SmsSplit.of(m.text()).segments() : 1;
            List<String> pids = new ArrayList<>();
            ids++;
            for (int i = 1; i <= parts; i++) {
                pids.add("sim-" + t.json() + "-" + ids + (parts > 1 ? "." + i : ""));
            }
            Duration after = Duration.ZERO;
            if (t == ChannelType.VOICE && o.answered() && !pressed) {
                pressed = true;
                Duration k = Duration.ofSeconds(20);
                if (behaviour.dtmf() != null) {
                    for (char c : behaviour.dtmf().toCharArray()) {
                        at(k, new ChannelEvent.IvrKey(t, pids.get(0), String.valueOf(c), clock.instant().plus(k)));
                        k = k.plusSeconds(2);
                    }
                }
                for (String ev : behaviour.ivrEvents()) {
                    at(k, new ChannelEvent.IvrMessage(t, pids.get(0), ev, clock.instant().plus(k)));
                    k = k.plusSeconds(2);
                }
                after = k;
            }
            for (Status s : o.statuses()) {
                after = after.plus(s == Status.READ ? Duration.ofMinutes(5) : Duration.ofSeconds(30));
                for (String pid : pids) {
                    at(after, new ChannelEvent.StatusReport(t, pid, s, null, clock.instant().plus(after)));
                }
            }
            if (behaviour.reply() != null && !replied && t.replies() && !o.undelivered()) {
                replied = true;
                at(behaviour.replyAfter(), new ChannelEvent.Reply(t, m.to(), null, behaviour.reply(),
                        clock.instant().plus(behaviour.replyAfter())));
            }
            return Future.succeededFuture(new Submitted(pids, parts));
        }

        Channel channel(ChannelType t) {
            return new Channel() {
                @Override
                public ChannelType type() {
                    return t;
                }

                @Override
                public Future<Submitted> send(OutboundMessage message) {
                    return Sim.this.send(message);
                }

                @Override
                public void events(Handler<ChannelEvent> handler) {
                    // events come from the script, handed to the engine by the dry run
                }
            };
        }
    }

    /** A stop-list of one simulated world. */
    private static final class MemoryStopList implements StopList {
        private final Set<String> addresses = new HashSet<>();

        @Override
        public synchronized boolean contains(String address) {
            return addresses.contains(address);
        }

        @Override
        public synchronized void add(String address, String reason) {
            addresses.add(address);
        }
    }

    /** A clock the dry run moves forward; it never goes back. */
    private static final class VirtualClock extends Clock {
        private final AtomicReference<Instant> now;

        VirtualClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void moveTo(Instant t) {
            now.updateAndGet(cur -> t.isAfter(cur) ? t : cur);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
