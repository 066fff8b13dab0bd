package io.outdial.dialer.telephony;

import io.outdial.dialer.node.Component;
import io.outdial.dialer.node.DrainTracker;
import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.ready.Readiness;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.trunk.EndpointRef;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.dialer.trunk.TrunkHealth;
import io.outdial.dialer.node.EventLoops;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The node's telephony as a {@link Component}: one {@link io.outdial.dialer.ari.AriServer} and one
 * {@link CallEngine} per configured Asterisk ({@code asterisk[]}), the configured {@code trunks[]}, each server's
 * health in {@code /ready} as {@code asterisk:<name>}, and a drain hook that stops new originates and waits for
 * live calls. {@link io.outdial.dialer.app.DialerApp} builds it and starts it before every added component, so other
 * components reach it with {@code app.telephony()} and may dial from their own {@code start()}.
 *
 * <p>Before start, {@link #addSimulatedServer}, {@link #usePromptResolver} and {@link #useCallListener} may adjust
 * it (the demo, the IVR media wiring, the campaign runner). {@link #start()} completes once every server was tried
 * once: servers that are down stay DOWN in {@code /ready} with the reason and keep reconnecting by themselves.
 */
public final class TelephonyComponent implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(TelephonyComponent.class);

    private final Vertx vertx;
    private final Readiness readiness;
    private final Database database;
    private final CallRecordWriter callRecords;
    private final Clock clock;
    private final List<AriServerConfig> servers = new ArrayList<>();
    private final Map<String, String> simulated = new LinkedHashMap<>();
    private final Map<String, Trunk> trunks = new LinkedHashMap<>();
    private PromptResolver prompts = PromptResolver.mediaOnly();
    private CallListener listener = CallListener.NONE;
    private volatile CallListener callStates = CallListener.NONE;
    private double flowTimeScale = 1.0;
    private volatile Telephony telephony;
    private volatile TrunkMonitor monitor;
    private volatile boolean accepting = true;
    /** Whether {@link #start()} fails when a server does not come up at its first try ({@link #oneServer}). */
    private boolean serversMustBeUp;

    /** Built by the composition root from the {@code asterisk} and {@code trunks} sections. */
    public TelephonyComponent(Vertx vertx, Readiness readiness, DrainTracker drain, Database database, Clock clock,
                              List<AriServerConfig> asterisk, List<TrunkConfig> trunkConfigs) {
        this(vertx, readiness, drain, database, clock, asterisk, trunkConfigs, () -> null);
    }

    /** As above; the call records it writes carry {@code nodeId}'s answer (this node's id, asked at each write). */
    public TelephonyComponent(Vertx vertx, Readiness readiness, DrainTracker drain, Database database, Clock clock,
                              List<AriServerConfig> asterisk, List<TrunkConfig> trunkConfigs,
                              java.util.function.Supplier<String> nodeId) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.database = database;
        this.callRecords = database == null ? null : new CallRecordWriter(database, nodeId);
        this.clock = Objects.requireNonNull(clock, "clock");
        asterisk.forEach(this::addServer);
        trunkConfigs.forEach(t -> trunks.put(t.name(), new Trunk(t)));
        drain.onDrain("telephony", this::drain);
    }

    /**
     * The telephony of a one-off run with no node around it (the {@code run} command): one server, one trunk, no
     * database (the run's campaign runner writes its call records itself) and a readiness nobody serves. Unlike a
     * node's, its {@link #start()} fails (with the server's reason) when the server does not come up at the first
     * try: a run cannot dial without it.
     */
    public static TelephonyComponent oneServer(Vertx vertx, Clock clock, AriServerConfig server, TrunkConfig trunk) {
        TelephonyComponent c = new TelephonyComponent(vertx, new Readiness(Duration.ofSeconds(3)),
            new DrainTracker(vertx), null, clock, List.of(server), List.of(trunk));
        c.serversMustBeUp = true;
        return c;
    }

    @Override
    public String name() {
        return "telephony";
    }

    /** Adds a simulated server (the demo's sandbox PBX): shown as SIMULATED with {@code label} when UP. */
    public synchronized TelephonyComponent addSimulatedServer(AriServerConfig config, String label) {
        addServer(config);
        simulated.put(config.name(), label);
        return this;
    }

    /** Adds a trunk not in the configuration (the demo's simulated carrier); before start. */
    public synchronized TelephonyComponent addTrunk(TrunkConfig trunk) {
        requireNotStarted("addTrunk");
        if (trunks.putIfAbsent(trunk.name(), new Trunk(trunk)) != null) {
            throw new IllegalArgumentException("trunk name " + trunk.name() + " is used twice");
        }
        return this;
    }

    /** Replaces the prompt resolver (default: media only, no TTS); before start. */
    public synchronized TelephonyComponent usePromptResolver(PromptResolver resolver) {
        requireNotStarted("usePromptResolver");
        this.prompts = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /** Sets the listener told after each call record is stored (default: none); before start. */
    public synchronized TelephonyComponent useCallListener(CallListener next) {
        requireNotStarted("useCallListener");
        this.listener = Objects.requireNonNull(next, "listener");
        return this;
    }

    /**
     * Runs the flows' timers {@code timeScale} times faster than real time (default 1): give the sandbox PBX's
     * {@code timeScale} when the node dials a time-scaled sandbox, so gather and record timeouts keep pace with the
     * simulated callees. Before start.
     */
    public synchronized TelephonyComponent useFlowTimeScale(double timeScale) {
        requireNotStarted("useFlowTimeScale");
        this.flowTimeScale = CallEngine.checkedTimeScale(timeScale);
        return this;
    }

    private void addServer(AriServerConfig config) {
        requireNotStarted("addServer");
        if (servers.stream().anyMatch(s -> s.name().equals(config.name()))) {
            throw new IllegalArgumentException("asterisk name " + config.name() + " is used twice");
        }
        servers.add(config);
        // DOWN until start: a configured server nobody connects to must not vanish from /ready.
        readiness.register(checkName(config.name()), () -> Future.succeededFuture(status(config)));
    }

    /**
     * Counts this node's calls by state from now on, as the gauges {@code outdial_calls{state}} on {@code registry}
     * ({@link CallListener#countingByState}); called once, before start.
     */
    public void countCallStates(io.micrometer.core.instrument.MeterRegistry registry) {
        callStates = CallListener.countingByState(registry);
    }

    /** The readiness entry of a server: {@code asterisk:<name>}. */
    public static String checkName(String server) {
        return "asterisk:" + server;
    }

    @Override
    public synchronized Future<Void> start() {
        if (servers.isEmpty()) {
            LOG.warn("telephony: no Asterisk configured (section asterisk): calls cannot be placed");
            return Future.succeededFuture();
        }
        // each server's calls on an event loop of their own, not queued behind the rest of the node
        return EventLoops.fresh(vertx, servers.size()).compose(this::startOn);
    }

    private synchronized Future<Void> startOn(List<Context> contexts) {
        CallListener stored = callRecords == null ? listener : callRecords.listener(listener);
        TrunkMonitor m = new TrunkMonitor(vertx, clock, trunks);
        CallListener calls = new CallListener() {
            @Override
            public void onStateChange(CallRecord record) {
                callStates.onStateChange(record);
                stored.onStateChange(record);
            }

            @Override
            public void onEnded(CallRecord record) {
                callStates.onEnded(record);
                try {
                    m.onEnded(record);
                } finally {
                    stored.onEnded(record);
                }
            }
        };
        Telephony t = new Telephony(vertx, List.copyOf(servers), contexts, prompts, trunks::get, clock, calls);
        t.engines().forEach(e -> m.attach(e.server()));
        t.useTrunkHealth(m);
        t.useFlowTimeScale(flowTimeScale);
        monitor = m;
        telephony = t;
        trunks.keySet().forEach(name -> readiness.register(trunkCheckName(name),
            () -> Future.succeededFuture(trunkStatus(name))));
        servers.forEach(s -> LOG.info("telephony: connecting to Asterisk {} at {} as app {}{}", s.name(), s.url(),
            s.app(), simulated.containsKey(s.name()) ? " (SIMULATED: " + simulated.get(s.name()) + ")" : ""));
        return t.start(serversMustBeUp).onSuccess(v -> t.health().forEach(h -> LOG.info("telephony: asterisk {} {}: {}",
            h.server(), h.state(), h.detail())));
    }

    @Override
    public Future<Void> stop() {
        TrunkMonitor m = monitor;
        if (m != null) {
            m.stop();
        }
        Telephony t = telephony;
        return t == null ? Future.succeededFuture() : t.stop();
    }

    /** Stops new originates and completes when no call is live (the drain's timeout bounds the wait). */
    private Future<Void> drain() {
        accepting = false;
        Telephony t = telephony;
        if (t == null || t.activeCalls() == 0) {
            return Future.succeededFuture();
        }
        LOG.info("telephony: draining {} live call(s)", t.activeCalls());
        Promise<Void> idle = Promise.promise();
        vertx.setPeriodic(100, id -> {
            // calls on a server that is not reachable cannot be seen to end: not waited for (recovered at the
            // next start)
            if (t.engines().stream().noneMatch(e -> e.activeCalls() > 0 && e.server().ready())) {
                vertx.cancelTimer(id);
                idle.tryComplete();
            }
        });
        return idle.future();
    }

    private DependencyStatus status(AriServerConfig config) {
        String server = config.name();
        Telephony t = telephony;
        CallEngine engine = t == null ? null : t.engine(server);
        if (engine == null) {
            return DependencyStatus.down("no ARI client connected to " + config.url() + " yet");
        }
        AriHealth h = engine.server().health();
        if (h.state() != AriHealth.State.UP) {
            return DependencyStatus.down(h.state() + ": " + h.detail() + " (since " + h.since() + ")");
        }
        String label = simulated.get(server);
        return label == null ? DependencyStatus.up(h.detail()) : DependencyStatus.simulated(label + "; " + h.detail());
    }

    /** The readiness entry of a trunk: {@code trunk:<name>}. */
    public static String trunkCheckName(String trunk) {
        return "trunk:" + trunk;
    }

    /**
     * A trunk in {@code /ready}: UP when every ready server reaches it, DEGRADED (with the reasons) when some do
     * not, DOWN when none does (or no server is ready). Servers that are not ready are left out while another is
     * ready: their own {@code asterisk:<name>} entry says why.
     */
    public DependencyStatus trunkStatus(String trunk) {
        Telephony t = telephony;
        if (t == null) {
            return DependencyStatus.down("telephony not started");
        }
        TrunkHealth health = t.trunkHealth();
        List<String> up = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (CallEngine e : t.engines()) {
            if (!e.server().ready()) {
                continue;
            }
            String server = e.server().config().name();
            Optional<String> why = health.down(server, trunk);
            if (why.isPresent()) {
                down.add(why.get());
            } else {
                up.add(server);
            }
        }
        if (up.isEmpty() && down.isEmpty()) {
            return DependencyStatus.down("no Asterisk server is ready");
        }
        if (up.isEmpty()) {
            return DependencyStatus.down(String.join("; ", down));
        }
        if (!down.isEmpty()) {
            return DependencyStatus.degraded(String.join("; ", down) + "; reachable through " + String.join(", ", up));
        }
        return DependencyStatus.up("reachable through " + String.join(", ", up));
    }

    /** What this node knows about trunk states (every trunk up before start). */
    public TrunkHealth trunkHealth() {
        TrunkMonitor m = monitor;
        return m == null ? TrunkHealth.alwaysUp() : m;
    }

    /**
     * Whether the app is subscribed on {@code server} to the events of {@code trunk}'s fixed endpoint (a trunk with
     * {@code endpointEvents}; since the server last came up): its early call failures are seen from then on.
     */
    public boolean subscribed(String server, String trunk) {
        TrunkMonitor m = monitor;
        Trunk t = trunk(trunk).orElse(null);
        Optional<EndpointRef> ref = t == null ? Optional.empty() : t.config().fixedEndpoint();
        return m != null && ref.isPresent() && m.subscribed(server, ref.get());
    }

    /**
     * The node's one writer of call records (the engines' state changes go through it; the campaign runners write
     * their attempt rows and outcomes through it too, so each call's records stay in order); null without a
     * database.
     */
    public CallRecordWriter callRecords() {
        return callRecords;
    }

    /** The node's telephony, once started with at least one server (empty otherwise). */
    public Optional<Telephony> telephony() {
        return Optional.ofNullable(telephony);
    }

    /** Whether new calls may be placed (false once the node drains). Callers check it before originating. */
    public boolean accepting() {
        return accepting && telephony != null;
    }

    /** The trunks by name (configured plus added), in order. */
    public synchronized Map<String, Trunk> trunks() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(trunks));
    }

    /** A trunk by name. */
    public synchronized Optional<Trunk> trunk(String name) {
        return Optional.ofNullable(trunks.get(name));
    }

    /** The servers' configurations (passwords are left out of their {@code toString}). */
    public synchronized List<AriServerConfig> servers() {
        return List.copyOf(servers);
    }

    private void requireNotStarted(String what) {
        if (telephony != null) {
            throw new IllegalStateException("telephony: " + what + " after start");
        }
    }
}
