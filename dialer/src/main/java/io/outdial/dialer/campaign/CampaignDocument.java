package io.outdial.dialer.campaign;

import static io.outdial.dialer.campaign.DefinitionBinder.or;
import static io.outdial.dialer.campaign.DefinitionBinder.refuse;
import static io.outdial.dialer.campaign.DefinitionBinder.whole;

import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.input.Reason;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;

/**
 * A campaign definition as written (docs/campaigns.md, "Campaign file"), bound by {@link DefinitionBinder}: absent
 * keys are null (their defaults are applied when the definition is turned into a {@link CampaignFile}), absent
 * sections are empty ones. The constructor refuses what no default repairs: a bad id, an unknown time zone or
 * region, a date-time without offset, a number out of range, both a flow file and a stored flow.
 */
record CampaignDocument(String id, String name, String contacts, String flow, String flowId, Long flowVersion,
                        String region, String timeZone, CalendarSection calendar, TrunkSection trunk,
                        LimitsSection limits, AttemptsSection attempts, AsteriskSection asterisk, Double timeScale,
                        Long priority, Long weight, Boolean alwaysActive, String startsAt, String endsAt,
                        PhoneRuleSection phoneRule, ColumnsSection columns, Long batch, Boolean amd, String scheme,
                        Long schemeVersion, java.util.List<io.outdial.fallback.channel.sms.SmscConfig> smsc) {
    private static final String ID_FORMAT = "1-64 letters, digits, '-' or '_'";

    CampaignDocument {
        if (id == null) {
            throw refuse("$.id", null, ID_FORMAT, Reason.MISSING, "field id is missing");
        }
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw refuse("$.id", id, ID_FORMAT, Reason.INVALID_FORMAT, "id \"" + id + "\" must be " + ID_FORMAT);
        }
        if (flow != null && flowId != null) {
            throw refuse("$.flowId", flowId, "no flowId when flow is given", Reason.CONFLICT,
                "give either flow (a file) or flowId (a stored flow), not both");
        }
        zone(timeZone);
        region = region(or(region, "US"));
        name = or(name, id);
        if (name.length() > CampaignFile.MAX_NAME) {
            throw refuse("$.name", name, "at most " + CampaignFile.MAX_NAME + " characters", Reason.OUT_OF_RANGE,
                "field name is " + name.length() + " characters; at most " + CampaignFile.MAX_NAME);
        }
        whole("flowVersion", flowVersion, 0, 0);
        whole("schemeVersion", schemeVersion, 0, 0);
        if (scheme != null && !CampaignFile.isSchemeFile(scheme) && !scheme.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw refuse("$.scheme", scheme, "a stored scheme id or a scheme file (.yaml, .yml, .json)",
                Reason.INVALID_FORMAT, "field scheme \"" + scheme + "\" is neither a scheme id (1-64 letters,"
                + " digits, '_', '.' or '-') nor a scheme file (.yaml, .yml or .json)");
        }
        smsc = smsc == null ? java.util.List.of() : java.util.List.copyOf(smsc);
        if (schemeVersion != null && scheme == null) {
            throw refuse("$.schemeVersion", schemeVersion.toString(), "no schemeVersion without scheme",
                Reason.CONFLICT, "field schemeVersion is given without scheme");
        }
        whole("priority", priority, 0, Integer.MIN_VALUE);
        whole("weight", weight, 1, 1);
        whole("batch", batch, 20, 1);
        Instant from = instant("startsAt", startsAt);
        Instant to = instant("endsAt", endsAt);
        if (from != null && to != null && !to.isAfter(from)) {
            throw refuse("$.endsAt", to.toString(), "after startsAt " + from, Reason.CONFLICT,
                "endsAt " + to + " is not after startsAt " + from);
        }
        calendar = or(calendar, CalendarSection.ALWAYS);
        trunk = or(trunk, new TrunkSection(null, null, null, null, null, null, null, null));
        limits = or(limits, new LimitsSection(null, null, null, null, null));
        attempts = or(attempts, new AttemptsSection(null, null, null));
    }

    /** The zone of contacts without one ({@code timeZone}, default UTC). */
    ZoneId zone() {
        return zone(timeZone);
    }

    Instant startsAtInstant() {
        return instant("startsAt", startsAt);
    }

    Instant endsAtInstant() {
        return instant("endsAt", endsAt);
    }

    private static ZoneId zone(String v) {
        try {
            return ZoneId.of(or(v, "UTC"));
        } catch (DateTimeException e) {
            throw refuse("$.timeZone", v, "a time zone such as Europe/Kyiv or UTC", Reason.INVALID_FORMAT,
                "field timeZone \"" + v + "\" is not a time zone (e.g. Europe/Kyiv, UTC)");
        }
    }

    private static Instant instant(String field, String v) {
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException e) {
            throw refuse("$." + field, v, "a date-time with offset such as 2026-12-01T09:00:00+02:00",
                Reason.INVALID_FORMAT, "field " + field + " \"" + v
                + "\" is not a date-time with offset (e.g. 2026-12-01T09:00:00+02:00)");
        }
    }

    private static String region(String v) {
        if (PhoneNormalizer.knowsRegion(v)) {
            return v;
        }
        String upper = v.trim().toUpperCase(Locale.ROOT);
        String hint = !upper.equals(v) && PhoneNormalizer.knowsRegion(upper) ? "; did you mean \"" + upper + "\"?"
            : " (an upper-case ISO 3166 code such as UA or US)";
        throw refuse("$.region", v, "an upper-case ISO 3166 code such as UA or US", Reason.NOT_ALLOWED,
            "field region \"" + v + "\" is not a region code the phone number library knows" + hint);
    }
}
