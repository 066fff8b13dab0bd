package io.outdial.dialer.contact;

/** Where a contact is in the scheduler's life cycle. */
public enum ContactState {
    /** Waiting for {@code next_attempt_at}; picked by the scheduler when due. */
    WAITING,
    /** Claimed by a scheduler: an attempt is being set up or is in progress. */
    DIALING,
    /** Done; {@code result} says how. */
    CLOSED,
    /**
     * Not dialed: its campaign's scheme starts with a message, and the contact's cascade run has not reached the
     * scheme's voice block yet. The run hands it to the dialing (WAITING, due now) when it does; closed when the run
     * ends without reaching it.
     */
    HELD
}
