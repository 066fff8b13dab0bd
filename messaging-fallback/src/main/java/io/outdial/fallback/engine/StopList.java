package io.outdial.fallback.engine;

/** The stop-list, owned by the dialer. Blocking; called on worker threads. */
public interface StopList {

    /** True when nothing may be sent to this address. */
    boolean contains(String address);

    /** Adds an address, with why (a STOP reply, an unsubscribe status). Adding twice is harmless. */
    void add(String address, String reason);
}
