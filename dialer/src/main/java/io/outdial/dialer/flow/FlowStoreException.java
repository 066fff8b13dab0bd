package io.outdial.dialer.flow;

/**
 * A stored flow that cannot be used: a missing or invalid version (the message names flow and version). A database
 * failure is a {@link io.outdial.dialer.storage.StorageException}.
 */
final class FlowStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FlowStoreException(String message) {
        super(message);
    }

    FlowStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
