package io.outdial.dialer.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Where failed logins are counted (docs/security.md): {@link LoginThrottle} in this node's memory, or a count shared
 * by every node of a cluster. Methods may block (a cluster round trip): call them on a worker thread.
 */
public interface LoginFailures {
    /** How long {@code user} from {@code address} must wait before trying again; empty: may try now. */
    Optional<Duration> wait(String user, String address);

    /** Counts a failed login. */
    void failed(String user, String address);

    /** A successful login clears the user's failures (not the address's). */
    void succeeded(String user);
}
