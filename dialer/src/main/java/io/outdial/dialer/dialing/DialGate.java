package io.outdial.dialer.dialing;

import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.contact.Contact;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which picked contacts of a campaign may be dialed now. A campaign whose cascade scheme starts with a message
 * dials a contact only while its run waits at the scheme's voice block; the others are held
 * ({@link io.outdial.dialer.contact.ContactState#HELD}) by the scheduler, or closed when their run will never be at
 * the voice block again (it ended, or it left that block). Blocking: called on a worker by each pick and before each
 * originate.
 */
@FunctionalInterface
public interface DialGate {
    /** Every contact may be dialed (no cascade, or a scheme whose first block is the dialing). */
    DialGate OPEN = (campaignId, claimed) -> Set.of();

    /** The ids among {@code claimed} that must not be dialed now. */
    Set<Long> held(String campaignId, List<Contact> claimed);

    /**
     * The gate's answer for {@code claimed}, read in one go: contacts to hold, and contacts never to dial, with the
     * result and the reason they are closed with. Default: {@link #held} and none closed.
     */
    default Verdict verdict(String campaignId, List<Contact> claimed) {
        return new Verdict(held(campaignId, claimed), Map.of());
    }

    /** A contact closed by the gate: its result and why. */
    record Closing(ContactResult result, String reason) { }

    /**
     * What the gate decided for a batch of picked contacts.
     *
     * @param held   ids to set HELD (not dialed yet, may be later)
     * @param closed ids never to dial, with how they are closed
     */
    record Verdict(Set<Long> held, Map<Long, Closing> closed) {
        public Verdict {
            held = Set.copyOf(held);
            closed = Map.copyOf(closed);
        }

        /** Whether the gate lets {@code contactId} be dialed. */
        public boolean dials(long contactId) {
            return !held.contains(contactId) && !closed.containsKey(contactId);
        }
    }
}
