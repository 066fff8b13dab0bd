package io.outdial.dialer.calendar;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the time zones a contact is evaluated in: the explicit zone column when set, else the zones
 * libphonenumber maps the number to (all of them: the calendar intersects their windows), else a default.
 */
public final class ContactZones {
    private static final String UNKNOWN = PhoneNumberToTimeZonesMapper.getUnknownTimeZone();

    private final ZoneId fallback;
    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final PhoneNumberToTimeZonesMapper mapper = PhoneNumberToTimeZonesMapper.getInstance();

    /** @param fallback the zone used when neither the column nor the number gives one */
    public ContactZones(ZoneId fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /**
     * The zones for a contact.
     *
     * @param explicitZone an IANA zone id from the contact row, or null/blank
     * @param e164 the number in E.164 form, or null
     * @throws IllegalArgumentException when {@code explicitZone} is set but not a known zone id
     */
    public List<ZoneId> zonesFor(String explicitZone, String e164) {
        if (explicitZone != null && !explicitZone.isBlank()) {
            return List.of(parseZone(explicitZone));
        }
        if (e164 != null && !e164.isBlank()) {
            try {
                PhoneNumber number = util.parse(e164, "ZZ");
                Set<ZoneId> zones = new LinkedHashSet<>();
                for (String id : mapper.getTimeZonesForNumber(number)) {
                    if (!UNKNOWN.equals(id)) {
                        zones.add(ZoneId.of(id));
                    }
                }
                if (!zones.isEmpty()) {
                    return List.copyOf(zones);
                }
            } catch (NumberParseException | DateTimeException e) {
                return List.of(fallback);
            }
        }
        return List.of(fallback);
    }

    /** Parses a zone id with an error naming the value. */
    public static ZoneId parseZone(String id) {
        try {
            return ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time zone \"" + id + "\" is not a known IANA zone id such as Europe/Kyiv", e);
        }
    }
}
