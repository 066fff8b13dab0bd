package io.outdial.dialer.contact;

/** A contact storage failure (database error), as opposed to bad input. */
public final class ContactStoreException extends RuntimeException {
    public ContactStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
