package io.outdial.dialer.telephony;

import io.outdial.dialer.trunk.EndpointRef;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.dialer.trunk.TrunkHealth;
import io.outdial.dialer.ari.AriEvent;
import io.outdial.dialer.ari.AriException;
import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.ari.AriModel;
import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.OutcomeKind;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's {@link TrunkHealth}, fed by two sources per (server, trunk):
 * <ol>
 *   <li>the ARI state of the trunk's fixed endpoint ({@link TrunkConfig#fixedEndpoint()}), read with
 *       {@code GET /endpoints/{tech}/{resource}} when a server comes up and every {@code endpointPollInterval}, and,
 *       for a trunk with {@code endpointEvents}, pushed by {@code EndpointStateChange} (the app then subscribes to
 *       {@code endpoint:TECH/resource}). "offline" is
 *       down, "online" and "unknown" (PJSIP without qualify) are up, a 404 is down ("does not exist");</li>
 *   <li>a {@link CircuitBreaker} on the trunk's call results on that server (this class is the {@link CallListener}
 *       the engines report final records to).</li>
 * </ol>
 * {@link #down} is cheap and does no I/O. Thread-safe. Use: build, {@link #attach} every server before the servers
 * start, {@link #stop()} on shutdown.
 */
final class TrunkMonitor implements TrunkHealth, CallListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrunkMonitor.class);

    /** What is known about one endpoint on one server. */
    private record EndpointStatus(String state, boolean missing, Instant since) {
        boolean down() {
            return missing || "offline".equals(state);
        }
    }

    private final Vertx vertx;
    private final Clock clock;
    private final Map<String, Trunk> trunks;
    private final Map<String, EndpointStatus> endpoints = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    /** The fixed endpoints a trunk with {@code endpointEvents} dials through: subscribed on every server. */
    private final Set<EndpointRef> pushed = new HashSet<>();
    private final List<AriServer> servers = new ArrayList<>();
    private final List<Long> timers = new ArrayList<>();

    /** A monitor of these trunks (by name). */
    public TrunkMonitor(Vertx vertx, Clock clock, Map<String, Trunk> trunks) {
        this.vertx = vertx;
        this.clock = clock;
        this.trunks = new LinkedHashMap<>(trunks);
        this.trunks.values().stream().filter(t -> t.config().endpointEvents())
                .forEach(t -> t.config().fixedEndpoint().ifPresent(pushed::add));
    }

    /**
     * Follows the endpoints of every trunk on {@code server}: reads and subscribes each time the server comes up,
     * then polls. Call before the server starts (it adds event and health handlers).
     */
    public synchronized void attach(AriServer server) {
        servers.add(server);
        server.onEvent(e -> {
            if (e instanceof AriEvent.EndpointStateChange) {
                AriModel.Endpoint ep = ((AriEvent.EndpointStateChange) e).endpoint();
                if (ep != null && ep.technology() != null && ep.resource() != null) {
                    update(server, new EndpointRef(ep.technology(), ep.resource()), ep.state(), false);
                }
            }
        });
        server.onHealthChange(h -> {
            if (h.state() == AriHealth.State.UP) {
                refresh(server, true);
            } else {
                subscribed.removeIf(k -> k.startsWith(server.config().name() + '\n'));
            }
        });
        Map<Long, List<EndpointRef>> byInterval = new LinkedHashMap<>();
        for (Trunk t : trunks.values()) {
            t.config().fixedEndpoint().ifPresent(ref -> byInterval.computeIfAbsent(
                    t.config().endpointPollInterval().toMillis(), k -> new ArrayList<>()).add(ref));
        }
        byInterval.forEach((ms, refs) -> timers.add(vertx.setPeriodic(ms, id -> {
            if (server.ready()) {
                refs.stream().distinct().forEach(ref -> poll(server, ref));
            }
        })));
    }

    /** Stops polling. */
    public synchronized void stop() {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
    }

    /**
     * Reads every trunk endpoint on {@code server} now; with {@code subscribe}, also subscribes to those of trunks
     * with {@code endpointEvents}.
     */
    public void refresh(AriServer server, boolean subscribe) {
        trunks.values().stream().map(t -> t.config().fixedEndpoint()).flatMap(Optional::stream).distinct()
                .forEach(ref -> {
                    if (subscribe && pushed.contains(ref)) { // a trunk through it has endpointEvents
                        server.rest().subscribe(server.config().app(), ref.eventSource()).onComplete(ar -> {
                            if (ar.succeeded()) {
                                subscribed.add(key(server.config().name(), ref));
                            } else {
                                LOG.warn("trunk health: ari {} subscription to {} failed: {}",
                                        server.config().name(), ref.eventSource(), ar.cause().getMessage());
                            }
                        });
                    }
                    poll(server, ref);
                });
    }

    private void poll(AriServer server, EndpointRef ref) {
        server.rest().endpoint(ref.technology(), ref.resource()).onComplete(ar -> {
            if (ar.succeeded()) {
                update(server, ref, ar.result().state(), false);
            } else if (ar.cause() instanceof AriException && ((AriException) ar.cause()).notFound()) {
                update(server, ref, null, true);
            } else {
                // no answer: the server's own health says so; keep the last known state
                LOG.debug("trunk health: ari {} GET endpoint {} failed: {}", server.config().name(), ref,
                        ar.cause().getMessage());
            }
        });
    }

    private void update(AriServer server, EndpointRef ref, String state, boolean missing) {
        String s = state == null ? "unknown" : state.toLowerCase(Locale.ROOT);
        String key = key(server.config().name(), ref);
        EndpointStatus old = endpoints.get(key);
        if (old != null && old.missing() == missing && old.state().equals(s)) {
            return;
        }
        EndpointStatus next = new EndpointStatus(s, missing, clock.instant());
        endpoints.put(key, next);
        if (next.down()) {
            LOG.warn("trunk health: ari {} endpoint {} is {}", server.config().name(), ref,
                    missing ? "missing (404)" : s);
        } else if (old == null || old.down()) {
            LOG.info("trunk health: ari {} endpoint {} is {}", server.config().name(), ref, s);
        }
    }

    @Override
    public Optional<String> down(String server, String trunk) {
        Trunk t = trunks.get(trunk);
        if (t == null) {
            return Optional.empty();
        }
        Optional<EndpointRef> ref = t.config().fixedEndpoint();
        if (ref.isPresent()) {
            EndpointStatus st = endpoints.get(key(server, ref.get()));
            if (st != null && st.missing()) {
                return Optional.of("endpoint " + ref.get() + " does not exist on server " + server);
            }
            if (st != null && st.down()) {
                return Optional.of("endpoint " + ref.get() + " is " + st.state() + " on server " + server + " since "
                        + st.since());
            }
        }
        CircuitBreaker b = breakers.get(key(server, trunk));
        return b == null ? Optional.empty()
                : b.down(clock.instant()).map(why -> "trunk " + trunk + " on server " + server + ": " + why);
    }

    /** The breaker of a trunk on a server (created closed on first use). */
    CircuitBreaker breaker(String server, String trunk) {
        Trunk t = trunks.get(trunk);
        TrunkConfig c = t == null ? null : t.config();
        return breakers.computeIfAbsent(key(server, trunk), k -> c == null ? new CircuitBreaker(10,
                Duration.ofSeconds(30)) : new CircuitBreaker(c.breakerFailures(), c.breakerOpenFor()));
    }

    /**
     * Feeds the breaker: CONGESTION (dial status CONGESTION/CHANUNAVAIL), NO_ANSWER with dial status CHANUNAVAIL
     * and no ringing, and FAILED after an originate was sent (HTTP error, no dial status) count as failures; a call that reached the far end (answered, machine, busy,
     * no answer, invalid number, rejected) closes it; LOST and calls never sent (server not ready) do not count.
     */
    @Override
    public void onEnded(CallRecord r) {
        if (r.server() == null || r.trunk() == null || r.outcome() == null) {
            return;
        }
        OutcomeKind kind = r.outcome().kind();
        if (kind == OutcomeKind.NO_ANSWER && r.ringAt() == null
                && r.outcome().chanUnavailable()) {
            kind = OutcomeKind.CONGESTION; // CHANUNAVAIL with cause 18-20: it never rang, the trunk did not carry it
        }
        switch (kind) {
            case CONGESTION:
            case FAILED:
                if (r.originateAt() == null) {
                    return;
                }
                CircuitBreaker b = breaker(r.server(), r.trunk());
                boolean wasOpen = b.state(clock.instant()) != CircuitBreaker.State.CLOSED;
                b.failure(clock.instant(), kind + " " + r.outcome().detail());
                if (b.state(clock.instant()) == CircuitBreaker.State.OPEN && !wasOpen) {
                    LOG.warn("trunk health: trunk {} on ari {} marked down after {} consecutive failed calls (last: {})",
                            r.trunk(), r.server(), b.failures(), r.outcome().detail());
                }
                break;
            case LOST:
            case NOT_PLACED:
                break;
            default:
                CircuitBreaker existing = breakers.get(key(r.server(), r.trunk()));
                if (existing != null) {
                    if (existing.state(clock.instant()) != CircuitBreaker.State.CLOSED) {
                        LOG.info("trunk health: trunk {} on ari {} carries calls again", r.trunk(), r.server());
                    }
                    existing.success();
                }
                break;
        }
    }

    /** Whether the app is subscribed to {@code endpoint} on {@code server} (since the server last came up). */
    public boolean subscribed(String server, EndpointRef endpoint) {
        return subscribed.contains(key(server, endpoint));
    }

    /** The servers attached, in order. */
    public synchronized List<String> serverNames() {
        List<String> out = new ArrayList<>();
        servers.forEach(s -> out.add(s.config().name()));
        return out;
    }

    private static String key(String server, String what) {
        return server + '\n' + what;
    }

    /** Technologies are case-insensitive in Asterisk ("pjsip/{number}@carrier" dials PJSIP/carrier). */
    private static String key(String server, EndpointRef ref) {
        return key(server, ref.technology().toUpperCase(Locale.ROOT) + "/" + ref.resource());
    }
}
