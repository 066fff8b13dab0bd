package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkHealth;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * All Asterisk servers of this node: one {@link AriServer} and one {@link CallEngine} per configured server.
 * The composition root builds one, {@link #start()}s it, reads {@link #health()} for /ready, and places calls
 * with {@link #originate(CallRequest)}, which picks a ready server in turn.
 */
public final class Telephony {
    private final Map<String, CallEngine> engines = new LinkedHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile TrunkHealth trunkHealth = TrunkHealth.alwaysUp();

    /** Builds (does not start) the servers and engines. */
    public Telephony(Vertx vertx, List<AriServerConfig> servers, PromptResolver resolver,
                     Function<String, Trunk> trunks, Clock clock, CallListener listener) {
        this(vertx, servers, null, resolver, trunks, clock, listener);
    }

    /**
     * Builds (does not start) the servers and engines, server {@code i} on {@code contexts.get(i)}
     * ({@code contexts} null: each on the caller's context).
     */
    public Telephony(Vertx vertx, List<AriServerConfig> servers, List<Context> contexts, PromptResolver resolver,
                     Function<String, Trunk> trunks, Clock clock, CallListener listener) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("telephony needs at least one ARI server");
        }
        for (int i = 0; i < servers.size(); i++) {
            AriServerConfig cfg = servers.get(i);
            if (engines.containsKey(cfg.name())) {
                throw new IllegalArgumentException("ARI server name " + cfg.name() + " is used twice");
            }
            AriServer server = contexts == null ? new AriServer(vertx, cfg, clock)
                : new AriServer(vertx, cfg, clock, contexts.get(i));
            engines.put(cfg.name(), new CallEngine(vertx, server, resolver, trunks, clock, listener));
        }
    }

    /**
     * Connects every server. Completes when all tried once; a server that is down stays DOWN and keeps
     * retrying by itself, so this never fails: read {@link #health()}.
     */
    public Future<Void> start() {
        return start(false);
    }

    /**
     * {@link #start()}; with {@code mustBeUp} it fails instead, with the first server's reason, when a server does not
     * come up at its first try (a single run needs its one server now).
     */
    public Future<Void> start(boolean mustBeUp) {
        List<Future<Void>> all = new ArrayList<>();
        // a server that is not needed up now counts as tried whatever came of it
        engines.values().forEach(e -> all.add(mustBeUp ? e.server().start() : e.server().start().otherwiseEmpty()));
        return Future.all(all).mapEmpty();
    }

    /** Disconnects every server. */
    public Future<Void> stop() {
        List<Future<Void>> all = new ArrayList<>();
        engines.values().forEach(e -> all.add(e.server().stop()));
        return Future.join(all).mapEmpty();
    }

    /** The health of each server, in configuration order. */
    public List<AriHealth> health() {
        List<AriHealth> out = new ArrayList<>(engines.size());
        engines.values().forEach(e -> out.add(e.server().health()));
        return out;
    }

    /** True when at least one server can take calls. */
    public boolean anyReady() {
        return engines.values().stream().anyMatch(e -> e.server().ready());
    }

    /** The engine of a server by name, or null. */
    public CallEngine engine(String serverName) {
        return engines.get(serverName);
    }

    /** Calls not yet ended on all servers. */
    public int activeCalls() {
        return engines.values().stream().mapToInt(CallEngine::activeCalls).sum();
    }

    /**
     * Places a call on the next ready server (round robin). With none ready the attempt ends FAILED at once,
     * naming each server's state. The future completes with the final record.
     */
    public Future<CallRecord> originate(CallRequest request) {
        List<CallEngine> list = new ArrayList<>(engines.values());
        int start = Math.floorMod(next.getAndIncrement(), list.size());
        for (int i = 0; i < list.size(); i++) {
            CallEngine e = list.get((start + i) % list.size());
            if (e.server().ready()) {
                return e.originate(request);
            }
        }
        return list.get(start).originate(request); // ends FAILED "not ready", with that server's reason
    }

    /**
     * Runs the flows' timers on every engine {@code timeScale} times faster than real time (a time-scaled sandbox;
     * see {@link CallEngine#useFlowTimeScale}).
     */
    public void useFlowTimeScale(double timeScale) {
        engines.values().forEach(e -> e.useFlowTimeScale(timeScale));
    }

    /** Sets what {@link #pick} asks about trunks (default: every trunk up). */
    public void useTrunkHealth(TrunkHealth health) {
        this.trunkHealth = Objects.requireNonNull(health, "health");
    }

    /** What this node knows about trunk states. */
    public TrunkHealth trunkHealth() {
        return trunkHealth;
    }

    /** Every engine, in configuration order. */
    public List<CallEngine> engines() {
        return List.copyOf(engines.values());
    }

    /**
     * The engine to place a call on {@code trunk}: among servers that are ready and reach the trunk, the one with
     * the fewest live calls (configuration order breaks ties). Empty when none can take the call.
     */
    public Optional<CallEngine> pick(String trunk) {
        CallEngine best = null;
        for (CallEngine e : engines.values()) {
            if (!e.server().ready() || trunkHealth.down(e.server().config().name(), trunk).isPresent()) {
                continue;
            }
            if (best == null || e.activeCalls() < best.activeCalls()) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }
}
