package io.outdial.dialer.stoplist;

/**
 * Numbers that must never be called or messaged. Checked when a contact is picked and again just before
 * the originate or send; the stop-list always wins (ARCHITECTURE §3.5).
 */
public interface StopList {

    /** Scope of the global list; any other scope is a campaign id. */
    String GLOBAL = "*";

    /** True when {@code e164} is on the global list or on {@code campaignId}'s list. Blocking (JDBC). */
    boolean isBlocked(String campaignId, String e164);
}
