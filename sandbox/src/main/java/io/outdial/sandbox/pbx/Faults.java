package io.outdial.sandbox.pbx;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Fault injection for tests: the sandbox misbehaves the way a real Asterisk or network can.
 * Path patterns are full-match regexes on the request path after {@code /ari}, e.g. {@code "/channels.*"}.
 */
public interface Faults {

    /** Closes every events websocket from the server side (apps with live channels stay registered). */
    void dropWebsockets();

    /** Delays the reply to every REST request whose path matches {@code pathRegex} by {@code delay}. */
    void delayRest(String pathRegex, Duration delay);

    /** The next {@code count} matching REST requests (-1: all) get {@code status} with {"message":"Injected fault"}. */
    void failRest(String pathRegex, int status, int count);

    /** The next {@code count} matching REST requests (-1: all) have their TCP connection closed without a reply. */
    void resetRest(String pathRegex, int count);

    /** While on, REST requests are never answered (the client must time out). */
    void hangRest(boolean on);

    /** While on, newly dialled callees ring until the originate timeout, whatever their script says. */
    void stopAnswering(boolean on);

    /**
     * Asterisk starts shutting down ({@code core stop now}): every channel is hung up (ChannelHangupRequest, StasisEnd
     * for the channels in Stasis, ChannelDestroyed with cause 0 "Unknown"), and from then on every REST request and
     * websocket upgrade is refused with 503 and Asterisk's HTML error page ("Service Unavailable", "Shutdown in
     * progress"). Connected websockets stay open. Lasts until {@link #down()} then {@link #up()}, or {@link #clear()}.
     */
    void shutdown();

    /** Asterisk goes down: websockets and the listener close, every call vanishes without events. */
    Future<Void> down();

    /**
     * Asterisk comes back on the same port (tried again for up to 10 s while another socket on the machine holds it;
     * fails with the {@code BindException} after that).
     */
    Future<Void> up();

    /**
     * Sets the state of endpoint {@code endpoint} ({@code TECH/resource}, e.g. {@code PJSIP/carrier}) to "online",
     * "offline" or "unknown", creating it if needed. Subscribed apps get {@code EndpointStateChange}; originates
     * through an offline endpoint fail with 500 "Allocation failed" (no reachable contact).
     */
    void endpointState(String endpoint, String state);

    /** Removes an endpoint: {@code GET /endpoints/TECH/resource} answers 404 "Endpoint not found". */
    void removeEndpoint(String endpoint);

    /**
     * Unloads module {@code name} ({@code res_ari_channels.so}, with or without {@code .so}): it leaves
     * {@code GET /asterisk/modules} and {@code GET /asterisk/modules/{name}} answers 404, as a module that
     * {@code autoload = no} did not load. Only the listing changes; the resources keep working.
     */
    void unloadModule(String name);

    /** While on, every {@code sound:http(s)://} fetch fails (the PBX cannot reach the media server). */
    void mediaUnreachable(boolean on);

    /**
     * Removes dialplan context {@code context} ({@code dialer-amd} or {@code dialer-doctor}): a Local channel into it
     * ends at once, and a call originated into it is hung up on answer without entering Stasis.
     */
    void removeContext(String context);

    /**
     * Another process takes application {@code app}: the sandbox connects an events websocket of its own for it, so
     * the current owner gets {@code ApplicationReplaced}. Completes once connected; {@link #clear()} closes it.
     */
    Future<Void> replaceApp(String app);

    /** Shifts the PBX's wall clock (the {@code Date} header of every ARI reply) by {@code skew}. */
    void clockSkew(Duration skew);

    /** Removes every REST fault, turns answering back on and restores the default endpoints (PJSIP/carrier online). */
    void clear();
}
