package io.outdial.fallback.channel.http;

/** An inbound webhook refused before anything changed: answered with its HTTP status (4xx) and reason. */
public final class HookRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** A refusal with the status to answer. */
    public HookRefused(int status, String reason) {
        super(reason);
        this.status = status;
    }

    /** The HTTP status to answer. */
    public int status() {
        return status;
    }
}
