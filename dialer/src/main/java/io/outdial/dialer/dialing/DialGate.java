package io.outdial.dialer.dialing;

import io.outdial.dialer.contact.Contact;
import java.util.List;
import java.util.Set;

/**
 * Which picked contacts of a campaign may be dialed now. A campaign whose cascade scheme starts with a message
 * dials a contact only once its run reached the scheme's voice block; the others are held
 * ({@link io.outdial.dialer.contact.ContactState#HELD}) by the scheduler. Blocking: called on a worker by each pick.
 */
@FunctionalInterface
public interface DialGate {
    /** Every contact may be dialed (no cascade, or a scheme whose first block is the dialing). */
    DialGate OPEN = (campaignId, claimed) -> Set.of();

    /** The ids among {@code claimed} that must not be dialed now. */
    Set<Long> held(String campaignId, List<Contact> claimed);
}
