package io.outdial.dialer.flow;

/** A flow store failure: a missing or invalid version, or a database error (message names flow and version). */
public final class FlowStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlowStoreException(String message) {
        super(message);
    }

    public FlowStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
