package io.outdial.dialer.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.attempt.AttemptRule;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.attempt.RuleAction;
import io.outdial.dialer.calendar.CalendarBuilder;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.config.DurationDeserializer;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.trunk.TrunkConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A campaign file for the headless {@code run} command (format in docs/campaigns.md, "Campaign file").
 *
 * @param settings  how the campaign dials
 * @param name      display name
 * @param contacts  the contacts file (CSV or XLSX), resolved against the campaign file's folder
 * @param flow      the flow file, or null (answered calls are then hung up at once)
 * @param region    default region for national numbers
 * @param trunk     the trunk
 * @param asterisk  a real Asterisk to dial through, or null for the embedded sandbox PBX
 * @param timeScale sandbox only: virtual time runs this many times faster (demos, tests)
 */
public record CampaignFile(CampaignSettings settings, String name, Path contacts, Path flow, String region,
                           TrunkConfig trunk, Asterisk asterisk, double timeScale) {

    /** Connection to a real Asterisk (ARI). */
    public record Asterisk(String url, String username, String password, String app) { }

    /** Reads and checks {@code file}; errors name the field, the bad value and what was expected. */
    public static CampaignFile load(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("campaign file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("campaign file " + file + ": expected a YAML mapping");
        }
        Path dir = file.toAbsolutePath().getParent();
        String id = text(root, "id", null, file);
        if (id == null) {
            throw new IllegalArgumentException("campaign file " + file + ": field id is missing");
        }
        String contacts = text(root, "contacts", null, file);
        if (contacts == null) {
            throw new IllegalArgumentException("campaign file " + file + ": field contacts (the contacts file) is missing");
        }
        String flow = text(root, "flow", null, file);
        ZoneId zone = ZoneId.of(text(root, "timeZone", "UTC", file));
        JsonNode t = root.path("trunk");
        TrunkConfig trunk = new TrunkConfig(text(t, "name", "carrier", file),
                text(t, "endpoint", "PJSIP/{number}@carrier", file), strings(t.path("callerIds")),
                t.path("rotateCallerId").asBoolean(false), t.path("maxLines").asInt(30), t.path("maxCps").asDouble(10),
                duration(t, "originateTimeout", "30s", file), t.path("amd").asBoolean(false));
        JsonNode l = root.path("limits");
        LineLimits lines = new LineLimits(l.path("globalLines").asInt(1000), Map.of(trunk.name(), trunk.maxLines()),
                Map.of(id, l.path("lines").asInt(10)));
        RateLimits rates = new RateLimits(RateLimit.NONE,
                Map.of(trunk.name(), new RateLimit((int) Math.ceil(trunk.maxCps()), 0)),
                Map.of(id, new RateLimit(l.path("perSecond").asInt(0), l.path("perMinute").asInt(0))));
        CampaignSettings settings = new CampaignSettings(id, calendar(root.path("calendar"), file),
                rules(root.path("attempts"), file), zone, lines, rates, null, l.path("batch").asInt(20));
        JsonNode a = root.path("asterisk");
        Asterisk asterisk = a.isMissingNode() || a.isNull() ? null : new Asterisk(text(a, "url", null, file),
                text(a, "username", "dialer", file), text(a, "password", "", file), text(a, "app", "dialer", file));
        return new CampaignFile(settings, text(root, "name", id, file), dir.resolve(contacts),
                flow == null ? null : dir.resolve(flow), text(root, "region", "US", file), trunk, asterisk,
                root.path("timeScale").asDouble(1.0));
    }

    private static CallingCalendar calendar(JsonNode c, Path file) {
        CalendarBuilder b = CallingCalendar.builder();
        if (c.isMissingNode()) {
            return b.everyDay("00:00-24:00").build();
        }
        if (c.has("everyDay")) {
            b.everyDay(strings(c.get("everyDay")).toArray(new String[0]));
        }
        if (c.has("weekdays")) {
            b.weekdays(strings(c.get("weekdays")).toArray(new String[0]));
        }
        for (DayOfWeek d : DayOfWeek.values()) {
            String key = d.name().toLowerCase(Locale.ROOT);
            if (c.has(key)) {
                b.on(d, strings(c.get(key)).toArray(new String[0]));
            }
        }
        for (String date : strings(c.path("closed"))) {
            b.closedOn(LocalDate.parse(date));
        }
        if (c.has("quietHours")) {
            b.quietHours(c.get("quietHours").asText());
        }
        if (c.has("startDate")) {
            b.startDate(LocalDate.parse(c.get("startDate").asText()));
        }
        if (c.has("endDate")) {
            b.endDate(LocalDate.parse(c.get("endDate").asText()));
        }
        return b.build();
    }

    private static AttemptRules rules(JsonNode a, Path file) {
        AttemptRules d = AttemptRules.defaults();
        List<AttemptRule> rules = new ArrayList<>();
        for (JsonNode r : a.path("rules")) {
            AttemptOutcome o;
            try {
                o = AttemptOutcome.valueOf(text(r, "outcome", "", file));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("campaign file " + file + ": attempts.rules outcome \""
                        + r.path("outcome").asText() + "\" is not one of " + List.of(AttemptOutcome.values()), e);
            }
            String flowResult = text(r, "flowResult", null, file);
            RuleAction action = r.has("close") ? new RuleAction.Close(ContactResult.valueOf(r.get("close").asText()))
                    : new RuleAction.Retry(duration(r, "retryAfter", "30m", file), r.path("maxRetries").asInt(1));
            rules.add(new AttemptRule(o, flowResult, action));
        }
        for (AttemptRule def : d.rules()) {
            if (rules.stream().noneMatch(r -> r.key().equals(def.key()))) {
                rules.add(def);
            }
        }
        return new AttemptRules(rules, a.path("totalCap").asInt(d.totalCap()), a.path("dailyCap").asInt(d.dailyCap()));
    }

    private static String text(JsonNode n, String field, String dflt, Path file) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("campaign file " + file + ": field " + field + " must be a text, got " + v);
        }
        return v.asText();
    }

    private static Duration duration(JsonNode n, String field, String dflt, Path file) {
        String v = text(n, field, dflt, file);
        try {
            return DurationDeserializer.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("campaign file " + file + ": field " + field + " \"" + v
                    + "\" is not a duration (e.g. 30s, 10m, 2h)", e);
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
        }
        for (JsonNode x : n) {
            out.add(x.asText());
        }
        return out;
    }
}
