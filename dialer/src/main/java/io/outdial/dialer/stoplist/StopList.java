package io.outdial.dialer.stoplist;

import java.sql.Connection;

/**
 * Numbers that must never be called or messaged. Checked when a contact is picked and again just before
 * the originate or send; the stop-list always wins (ARCHITECTURE §3.5).
 */
public interface StopList {

    /** Scope of the global list; any other scope is a campaign id. */
    String GLOBAL = "*";

    /** True when {@code e164} is on the global list or on {@code campaignId}'s list. Blocking (JDBC). */
    boolean isBlocked(String campaignId, String e164);

    /**
     * As {@link #isBlocked(String, String)}, read on {@code c} inside the caller's transaction (the check before
     * the originate commits with the attempt row). A list that is not in the database ignores {@code c}.
     */
    default boolean isBlocked(Connection c, String campaignId, String e164) {
        return isBlocked(campaignId, e164);
    }
}
