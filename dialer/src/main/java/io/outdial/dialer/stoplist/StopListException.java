package io.outdial.dialer.stoplist;

/** A stop-list storage failure (not bad input, which is an IllegalArgumentException). */
public final class StopListException extends RuntimeException {
    public StopListException(String message, Throwable cause) {
        super(message, cause);
    }
}
