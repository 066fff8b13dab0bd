package io.outdial.fallback.support;

import io.outdial.fallback.engine.StopList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A stop-list in a map. */
public final class MemoryStopList implements StopList {

    private final Map<String, String> entries = new ConcurrentHashMap<>();

    @Override
    public boolean contains(String address) {
        return entries.containsKey(address);
    }

    @Override
    public void add(String address, String reason) {
        entries.putIfAbsent(address, reason);
    }

    public Map<String, String> entries() {
        return Map.copyOf(entries);
    }
}
