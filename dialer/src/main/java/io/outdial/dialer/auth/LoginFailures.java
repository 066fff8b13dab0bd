package io.outdial.dialer.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Where failed logins are counted (docs/security.md): {@link LoginThrottle} in this node's memory, or a count shared
 * by every node of a cluster, with the same limits ({@link #perUser()}, {@link #perAddress()}, {@link #window()}).
 * Methods may block (a cluster round trip): call them on a worker thread.
 */
public interface LoginFailures {
    /**
     * Counted in this node's memory, with the defaults: 5 failures per user, 20 per address, in 15 minutes (also the
     * limits, and the node's own count, of a cluster's shared count).
     */
    static LoginFailures inMemory(Clock clock) {
        return LoginThrottle.defaults(clock);
    }

    /** Most failures of one user name within {@link #window()}. */
    int perUser();

    /** Most failures from one client address within {@link #window()}. */
    int perAddress();

    /** How long a failure counts. */
    Duration window();

    /** How long {@code user} from {@code address} must wait before trying again; empty: may try now. */
    Optional<Duration> wait(String user, String address);

    /** Counts a failed login. */
    void failed(String user, String address);

    /** A successful login clears the user's failures (not the address's). */
    void succeeded(String user);
}
