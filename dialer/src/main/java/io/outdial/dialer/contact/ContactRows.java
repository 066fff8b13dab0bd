package io.outdial.dialer.contact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.attempt.ContactAttempts;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/** Mapping between {@code contact} rows and {@link Contact}s (column order of {@link #COLUMNS}). */
final class ContactRows {
    static final String COLUMNS = "id, campaign_id, ext_id, phones, phone_failures, time_zone, fields, state,"
            + " result, next_attempt_at, attempts, attempt_counts, attempt_day, day_attempts, last_outcome, last_attempt_at";
    /** How many columns {@link #COLUMNS} names. */
    static final int COUNT = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContactRows() { }

    static Contact read(ResultSet rs) throws SQLException {
        Date day = rs.getDate(13);
        ContactAttempts attempts = new ContactAttempts(rs.getInt(11), ContactAttempts.decodeByRule(rs.getString(12)),
                day == null ? null : day.toLocalDate(), rs.getInt(14));
        OffsetDateTime last = rs.getObject(16, OffsetDateTime.class);
        return new Contact(rs.getLong(1), rs.getString(2), rs.getString(3),
                PhoneSet.decode(rs.getString(4), rs.getString(5)), rs.getString(6), fromJson(rs.getString(7)),
                ContactState.valueOf(rs.getString(8)), rs.getString(9),
                rs.getObject(10, OffsetDateTime.class).toInstant(), attempts, rs.getString(15),
                last == null ? null : last.toInstant());
    }

    static Contact withState(Contact c, ContactState s) {
        return new Contact(c.id(), c.campaignId(), c.extId(), c.phones(), c.timeZone(), c.fields(), s, c.result(),
                c.nextAttemptAt(), c.attempts(), c.lastOutcome(), c.lastAttemptAt());
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    static String toJson(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("custom fields cannot be written as JSON", e);
        }
    }

    static Map<String, String> fromJson(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored custom fields are not JSON: " + truncate(json, 80), e);
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
