package io.outdial.dialer.storage;

/**
 * The one storage failure: the database could not be opened, migrated or used by a store. The message names the
 * database or the store's operation and the cause; the JDBC exception is the cause. Bad input is never one of these.
 * The HTTP problem handler answers a request that failed because the database is unreachable (a connection failure
 * anywhere in the cause chain) with 503 and {@code Retry-After}; any other storage failure is a logged 500.
 */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
