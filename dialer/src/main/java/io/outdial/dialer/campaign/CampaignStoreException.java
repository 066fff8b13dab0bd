package io.outdial.dialer.campaign;

/** A campaign storage failure (database error), as opposed to bad input. */
public final class CampaignStoreException extends RuntimeException {
    public CampaignStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
