package io.outdial.dialer.dialing;

import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.trunk.TrunkHealth;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Asterisk servers a runner dials through: which engine takes the next call on a trunk and, when none can,
 * why not ({@code asterisk_down} when no server is ready, {@code trunk_down} when every ready server has the
 * trunk down).
 */
interface Dialing {

    /** The engine for the next call on {@code trunk}, or empty when none can take it. */
    Optional<CallEngine> pick(String trunk);

    /** Every engine (crash recovery looks for each server's unfinished attempts). */
    List<CallEngine> engines();

    /** Trunk states (default: every trunk up). */
    TrunkHealth trunkHealth();

    /** Calls live on all servers. */
    default int activeCalls() {
        return engines().stream().mapToInt(CallEngine::activeCalls).sum();
    }

    /** Why {@link #pick} is empty for {@code trunk}. */
    default WhyNotDialing unavailable(String trunk) {
        List<CallEngine> all = engines();
        CallEngine firstReady = null;
        StringBuilder down = new StringBuilder();
        for (CallEngine e : all) {
            if (e.server().ready()) {
                firstReady = firstReady == null ? e : firstReady;
            } else {
                down.append(down.length() == 0 ? "" : "; ").append(e.server().config().name()).append(": ")
                    .append(e.server().health().detail());
            }
        }
        if (firstReady == null) {
            String names = all.size() == 1 ? all.get(0).server().config().name()
                : all.stream().map(e -> e.server().config().name()).toList().toString();
            String detail = all.size() == 1 ? all.get(0).server().health().detail() : down.toString();
            return new WhyNotDialing.AsteriskDown(names, detail);
        }
        for (CallEngine e : all) {
            if (e.server().ready()) {
                Optional<String> why = trunkHealth().down(e.server().config().name(), trunk);
                if (why.isPresent()) {
                    return new WhyNotDialing.TrunkDown(trunk, why.get());
                }
            }
        }
        return new WhyNotDialing.TrunkDown(trunk, "no ready Asterisk reaches it");
    }

    /** The node's telephony: calls go through {@link Telephony#pick} (fewest live calls among ready servers). */
    static Dialing of(Telephony telephony) {
        Objects.requireNonNull(telephony, "telephony");
        return new Dialing() {
            @Override
            public Optional<CallEngine> pick(String trunk) {
                return telephony.pick(trunk);
            }

            @Override
            public List<CallEngine> engines() {
                return telephony.engines();
            }

            @Override
            public TrunkHealth trunkHealth() {
                return telephony.trunkHealth();
            }
        };
    }

    /** One engine (the headless run, tests); every trunk up. */
    static Dialing of(CallEngine engine) {
        return of(List.of(engine), TrunkHealth::alwaysUp);
    }

    /** Several engines with a trunk health: the ready engine reaching the trunk with the fewest live calls. */
    static Dialing of(List<CallEngine> engines, Supplier<TrunkHealth> health) {
        List<CallEngine> all = List.copyOf(engines);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("dialing needs at least one call engine");
        }
        return new Dialing() {
            @Override
            public Optional<CallEngine> pick(String trunk) {
                CallEngine best = null;
                for (CallEngine e : all) {
                    if (!e.server().ready() || health.get().down(e.server().config().name(), trunk).isPresent()) {
                        continue;
                    }
                    if (best == null || e.activeCalls() < best.activeCalls()) {
                        best = e;
                    }
                }
                return Optional.ofNullable(best);
            }

            @Override
            public List<CallEngine> engines() {
                return all;
            }

            @Override
            public TrunkHealth trunkHealth() {
                return health.get();
            }
        };
    }
}
