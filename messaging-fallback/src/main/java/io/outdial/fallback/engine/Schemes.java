package io.outdial.fallback.engine;

import io.outdial.fallback.scheme.Scheme;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Where the engine finds a scheme version a run is pinned to. Blocking; called on worker threads. */
public interface Schemes {

    /** The scheme, or null when unknown. */
    Scheme get(String id, int version);

    /** Schemes held in memory. */
    static Schemes of(List<Scheme> schemes) {
        Map<String, Scheme> byKey = new ConcurrentHashMap<>();
        schemes.forEach(s -> byKey.put(s.id() + "@" + s.version(), s));
        return (id, version) -> byKey.get(id + "@" + version);
    }
}
