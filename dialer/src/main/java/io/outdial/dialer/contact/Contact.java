package io.outdial.dialer.contact;

import io.outdial.dialer.attempt.ContactAttempts;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stored contact of a campaign.
 *
 * @param id database id
 * @param campaignId its campaign
 * @param extId the caller's id for it (from the file), may be null
 * @param phones its numbers
 * @param timeZone explicit IANA zone, or null to derive from the number
 * @param fields custom fields by name (available to flows and reports)
 * @param state scheduler state
 * @param result how it closed, null unless {@link ContactState#CLOSED}
 * @param nextAttemptAt when it is due
 * @param attempts attempt history for the rules
 * @param lastOutcome last attempt's outcome key, may be null
 * @param lastAttemptAt when the last attempt ended, may be null
 */
public record Contact(long id, String campaignId, String extId, PhoneSet phones, String timeZone,
                      Map<String, String> fields, ContactState state, String result, Instant nextAttemptAt,
                      ContactAttempts attempts, String lastOutcome, Instant lastAttemptAt) {
    public Contact {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(phones, "phones");
        fields = Map.copyOf(fields);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(attempts, "attempts");
    }
}
