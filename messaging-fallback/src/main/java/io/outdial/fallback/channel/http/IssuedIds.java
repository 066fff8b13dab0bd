package io.outdial.fallback.channel.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Provider ids a channel got back from its own sends, the latest {@code capacity} of them, with the address each
 * went to. Lets an inbound webhook recognise an id whose message the engine has not recorded yet.
 */
public final class IssuedIds {

    private final Map<String, String> ids;

    /** Keeps at most this many ids. */
    public IssuedIds(int capacity) {
        this.ids = new LinkedHashMap<>(256, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records an id and the address it went to. */
    public synchronized void add(String providerId, String address) {
        ids.put(providerId, address);
    }

    /** True when the id was issued. */
    public synchronized boolean contains(String providerId) {
        return ids.containsKey(providerId);
    }

    /** The address the id went to, or null. */
    public synchronized String address(String providerId) {
        return ids.get(providerId);
    }
}
