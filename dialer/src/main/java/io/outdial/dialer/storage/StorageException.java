package io.outdial.dialer.storage;

/** The database could not be opened, migrated or used; the message names the database and the cause. */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
