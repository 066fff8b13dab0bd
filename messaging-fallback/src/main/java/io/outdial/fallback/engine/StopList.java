package io.outdial.fallback.engine;

/** The stop-list, owned by the dialer. Blocking; called on worker threads. */
public interface StopList {

    /** True when nothing may be sent to this address. */
    boolean contains(String address);

    /**
     * True when nothing may be sent to this address in this campaign (a list kept per campaign answers for it;
     * by default the same as {@link #contains(String)}). The engine asks this before every send.
     */
    default boolean contains(String campaignId, String address) {
        return contains(address);
    }

    /** Adds an address, with why (a STOP reply, an unsubscribe status). Adding twice is harmless. */
    void add(String address, String reason);
}
