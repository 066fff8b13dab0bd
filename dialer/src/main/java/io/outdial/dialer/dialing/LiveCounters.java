package io.outdial.dialer.dialing;

import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.contact.ContactCounts;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A campaign's counters kept in memory between database snapshots: every change swaps one immutable
 * {@link ContactCounts} atomically, so a reader always sees a set that adds up to the total, however many
 * threads move contacts. {@link #resync} replaces it with the store's snapshot (which also moves contacts
 * whose time came from planned to available).
 */
final class LiveCounters {
    private final AtomicReference<ContactCounts> current;

    public LiveCounters(ContactCounts initial) {
        current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /** The current consistent snapshot. */
    public ContactCounts snapshot() {
        return current.get();
    }

    /** Replaces the counters with a database snapshot. */
    public void resync(ContactCounts fromStore) {
        current.set(Objects.requireNonNull(fromStore, "fromStore"));
    }

    /** {@code n} new contacts, {@code stopListed} of them closed at once. */
    public ContactCounts imported(long n, long stopListed) {
        return apply(c -> new ContactCounts(c.total() + n, c.availableNow() + n - stopListed, c.planned(),
                c.inProgress(), c.closedSuccess(), c.closedNoSuccess(), c.exhausted(), c.noValidNumber(),
                c.stopListed() + stopListed));
    }

    /**
     * {@code n} due contacts were claimed by the scheduler. Contacts whose time came since the last snapshot are
     * still counted as planned here: what {@code availableNow} does not hold is taken from {@code planned}, so
     * neither goes negative.
     */
    public ContactCounts picked(long n) {
        return apply(c -> {
            long fromAvailable = Math.min(n, Math.max(0, c.availableNow()));
            long fromPlanned = Math.min(n - fromAvailable, Math.max(0, c.planned()));
            long rest = n - fromAvailable - fromPlanned; // only if the counters were already wrong
            return new ContactCounts(c.total(), c.availableNow() - fromAvailable - rest, c.planned() - fromPlanned,
                    c.inProgress() + n, c.closedSuccess(), c.closedNoSuccess(), c.exhausted(), c.noValidNumber(),
                    c.stopListed());
        });
    }

    /**
     * {@code n} waiting contacts' time came since the last read: they move from planned to available (at most what
     * planned holds, so neither goes negative).
     */
    public ContactCounts becameDue(long n) {
        return apply(c -> {
            long moved = Math.min(Math.max(0, n), Math.max(0, c.planned()));
            return new ContactCounts(c.total(), c.availableNow() + moved, c.planned() - moved, c.inProgress(),
                    c.closedSuccess(), c.closedNoSuccess(), c.exhausted(), c.noValidNumber(), c.stopListed());
        });
    }

    /** A contact in progress waits again (retry planned, or handed back unattempted). */
    public ContactCounts planned() {
        return apply(c -> new ContactCounts(c.total(), c.availableNow(), c.planned() + 1, c.inProgress() - 1,
                c.closedSuccess(), c.closedNoSuccess(), c.exhausted(), c.noValidNumber(), c.stopListed()));
    }

    /** A contact in progress closed with {@code result}. */
    public ContactCounts closed(ContactResult result) {
        return apply(c -> {
            long[] b = {c.closedSuccess(), c.closedNoSuccess(), c.exhausted(), c.noValidNumber(), c.stopListed()};
            b[bucket(result)]++;
            return new ContactCounts(c.total(), c.availableNow(), c.planned(), c.inProgress() - 1, b[0], b[1], b[2],
                    b[3], b[4]);
        });
    }

    private static int bucket(ContactResult r) {
        switch (r) {
            case SUCCESS:
                return 0;
            case EXHAUSTED:
                return 2;
            case NO_VALID_NUMBER:
                return 3;
            case STOP_LISTED:
                return 4;
            default:
                return 1;
        }
    }

    private ContactCounts apply(UnaryOperator<ContactCounts> f) {
        return current.updateAndGet(f);
    }
}
