package io.outdial.dialer.contact;

/**
 * A campaign's contacts by situation, from one consistent snapshot.
 *
 * @param total all contacts
 * @param availableNow waiting and due now
 * @param planned waiting for a later time (retry or calendar)
 * @param inProgress claimed or being dialed
 * @param closedSuccess closed with success
 * @param closedNoSuccess closed without success (rule said failure, or no calendar window left)
 * @param exhausted closed because the attempt caps were reached
 * @param noValidNumber closed because no dialable number is left
 * @param stopListed closed because the number is stop-listed
 */
public record ContactCounts(long total, long availableNow, long planned, long inProgress, long closedSuccess,
                            long closedNoSuccess, long exhausted, long noValidNumber, long stopListed) {

    public static final ContactCounts ZERO = new ContactCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ContactCounts {
        if (availableNow + planned + inProgress + closedSuccess + closedNoSuccess + exhausted + noValidNumber
                + stopListed != total) {
            throw new IllegalArgumentException("contact counts do not add up to total " + total);
        }
    }

    /** Contacts that may still be dialed. */
    public long open() {
        return availableNow + planned + inProgress;
    }
}
