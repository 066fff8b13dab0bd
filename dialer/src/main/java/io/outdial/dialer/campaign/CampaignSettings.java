package io.outdial.dialer.campaign;

import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.contact.PhoneRule;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimits;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How one campaign dials, whatever it was read from (a campaign file, the API).
 *
 * @param campaignId   the campaign
 * @param calendar     when contacts may be called (in their local time)
 * @param rules        attempt rules and caps
 * @param defaultZone  the zone of contacts whose zone is unknown
 * @param lines        line limits (global, trunk, campaign)
 * @param rates        rate limits (global, trunk, campaign)
 * @param amd          run AMD (null = the trunk's setting)
 * @param batch        contacts picked at most per round
 * @param phoneRule    which of a contact's numbers to dial
 */
public record CampaignSettings(String campaignId, CallingCalendar calendar, AttemptRules rules, ZoneId defaultZone,
                               LineLimits lines, RateLimits rates, Boolean amd, int batch,
                               PhoneRule phoneRule) {
    public CampaignSettings {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(defaultZone, "defaultZone");
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(phoneRule, "phoneRule");
        if (batch < 1) {
            throw new IllegalArgumentException("campaign " + campaignId + ": batch " + batch + " must be >= 1");
        }
    }

    /** Settings dialing each contact's numbers in column order ({@link PhoneRule#DEFAULT}). */
    public CampaignSettings(String campaignId, CallingCalendar calendar, AttemptRules rules, ZoneId defaultZone,
                            LineLimits lines, RateLimits rates, Boolean amd, int batch) {
        this(campaignId, calendar, rules, defaultZone, lines, rates, amd, batch, PhoneRule.DEFAULT);
    }
}
