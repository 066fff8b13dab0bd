package io.outdial.fallback.channel;

/** A send that did not reach the provider, or that the provider refused. */
public final class SendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a send failed. */
    public enum Reason {
        /** The provider refused the message (e.g. a negative submit_sm_resp). */
        REJECTED,
        /** The provider asks to slow down. */
        THROTTLED,
        /** No connection to the provider within the wait. */
        UNAVAILABLE,
        /** The message cannot be sent as is (bad address, too long). */
        INVALID,
        /** No answer from the provider: the message may or may not have been taken. */
        TIMEOUT
    }

    private final Reason reason;
    private final String providerCode;

    /** A failure with a reason and a message naming the input. */
    public SendException(Reason reason, String message) {
        super(message);
        this.reason = reason;
        this.providerCode = null;
    }

    /**
     * A refusal with the provider's own error code (e.g. WhatsApp {@code 131026}, Viber {@code 6}, HTTP
     * {@code 404}), kept in the message record's error as {@code REASON[code]: message}.
     */
    public SendException(Reason reason, String providerCode, String message) {
        super(message);
        this.reason = reason;
        this.providerCode = providerCode;
    }

    /** A failure with a cause. */
    public SendException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.providerCode = null;
    }

    /** The provider's error code, or null. */
    public String providerCode() {
        return providerCode;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }
}
