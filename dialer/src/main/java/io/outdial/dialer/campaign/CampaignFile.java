package io.outdial.dialer.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.attempt.AttemptRule;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.attempt.RuleAction;
import io.outdial.dialer.calendar.CalendarBuilder;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.config.DurationDeserializer;
import io.outdial.dialer.contact.ColumnMapping;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.contact.PhoneRule;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.trunk.TrunkConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A campaign definition: how one campaign dials (format in docs/campaigns.md, "Campaign file"). It is read from a
 * YAML/JSON campaign file ({@link #load}) or from a JSON body of the API ({@link #parse}), and stored with the
 * campaign ({@link #stored()}, {@link #fromStored}) so that any node can run the campaign from the database alone.
 *
 * @param settings     how the campaign dials
 * @param name         display name
 * @param contacts     the contacts file (CSV or XLSX), resolved against the campaign file's folder; null when the
 *                     contacts come another way (API import)
 * @param flow         the flow file, or null
 * @param flowId       a stored flow (API, {@code /api/v1/flows}) instead of a file, or null
 * @param flowVersion  the stored flow's version; 0 = its latest valid version when the campaign starts
 * @param region       default region for national numbers
 * @param trunk        the trunk
 * @param asterisk     a real Asterisk to dial through (headless run only), or null for the embedded sandbox PBX
 * @param timeScale    sandbox only: virtual time runs this many times faster (demos, tests)
 * @param priority     higher gets free shared lines first
 * @param weight       share of shared lines within its priority (at least 1)
 * @param alwaysActive does not finish when it runs out of contacts
 * @param startsAt     when a SCHEDULED campaign starts, or null
 * @param endsAt       when the campaign stops for good, or null
 * @param columns      column mapping of the contacts file, or null to detect it from the header
 * @param document     the definition as stored (paths made absolute)
 */
public record CampaignFile(CampaignSettings settings, String name, Path contacts, Path flow, String flowId,
                           int flowVersion, String region, TrunkConfig trunk, Asterisk asterisk, double timeScale,
                           int priority, int weight, boolean alwaysActive, Instant startsAt, Instant endsAt,
                           ColumnMapping columns, ObjectNode document) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEGACY_FILE_KEY = "campaignFile";
    /** Longest display name ({@code campaign.name}). */
    public static final int MAX_NAME = 200;

    /** Top-level fields a definition may have; anything else is a typo and is refused. */
    public static final Set<String> FIELDS = Set.of("id", "name", "contacts", "flow", "flowId", "flowVersion",
            "region", "timeZone", "calendar", "trunk", "limits", "attempts", "asterisk", "timeScale", "priority",
            "weight", "alwaysActive", "startsAt", "endsAt", "phoneRule", "columns", "batch", "amd");

    /**
     * Connection to a real Asterisk (ARI), and where it fetches the run's spoken prompts from.
     *
     * @param mediaHost the address the run's media listener binds (default {@code 127.0.0.1})
     * @param mediaPort its port (default 0: a free port)
     * @param mediaUrl  the base URL Asterisk fetches media from, e.g. {@code http://10.0.0.5:8090}; empty: the
     *                  listener's own address
     */
    public record Asterisk(String url, String username, String password, String app, String mediaHost,
                           int mediaPort, String mediaUrl) {
        public Asterisk(String url, String username, String password, String app) {
            this(url, username, password, app, "127.0.0.1", 0, "");
        }
    }

    /** Reads and checks {@code file}; errors name the field, the bad value and what was expected. */
    public static CampaignFile load(Path file) {
        String text;
        try {
            text = java.nio.file.Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("campaign file " + file + " cannot be read: " + e.getMessage(), e);
        }
        JsonNode root = io.outdial.dialer.config.StrictDocuments.read(text, true, "campaign file " + file);
        CampaignFile f = parse(root, file.toAbsolutePath().getParent(), "campaign file " + file);
        if (f.contacts() == null) {
            throw new IllegalArgumentException("campaign file " + file
                    + ": field contacts (the contacts file) is missing");
        }
        return f;
    }

    /** The definition stored with campaign {@code id} (its {@code settings} column). */
    public static CampaignFile fromStored(String id, String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("campaign " + id + " has no stored definition");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("campaign " + id + ": stored definition is not JSON: "
                    + e.getMessage(), e);
        }
        // Definitions stored before 0.2 named a campaign file instead of holding the definition.
        CampaignFile f = root.has(LEGACY_FILE_KEY) && root.size() == 1
                ? load(Path.of(root.get(LEGACY_FILE_KEY).asText())) : parse(root, null, "campaign " + id);
        if (!f.settings().campaignId().equals(id)) {
            throw new IllegalArgumentException("campaign " + id + ": stored definition has id "
                    + f.settings().campaignId());
        }
        return f;
    }

    /** The JSON stored with the campaign: the document with file paths made absolute. */
    public String stored() {
        return document.toString();
    }

    /**
     * Checks a definition given as a JSON/YAML tree.
     *
     * @param dir    folder that relative file paths are resolved against, or null (paths must then be absolute)
     * @param source names the definition in error messages (e.g. "campaign file x.yaml")
     */
    public static CampaignFile parse(JsonNode root, Path dir, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a mapping of fields");
        }
        refuseNul(root, "", source);
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(source + ": unknown field(s) " + unknown + "; known: "
                    + new TreeSet<>(FIELDS));
        }
        String id = text(root, "id", null, source);
        if (id == null) {
            throw new IllegalArgumentException(source + ": field id is missing");
        }
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException(source + ": id \"" + id + "\" must be 1-64 letters, digits, '-' or '_'");
        }
        ObjectNode doc = root.deepCopy();
        Path contacts = path(doc, "contacts", dir, source);
        Path flow = path(doc, "flow", dir, source);
        String flowId = text(root, "flowId", null, source);
        if (flow != null && flowId != null) {
            throw new IllegalArgumentException(source + ": give either flow (a file) or flowId (a stored flow), not both");
        }
        ZoneId zone = zone(text(root, "timeZone", "UTC", source), "timeZone", source);
        JsonNode t = root.path("trunk");
        TrunkConfig trunk;
        try {
            trunk = new TrunkConfig(text(t, "name", "carrier", source),
                    text(t, "endpoint", "PJSIP/{number}@carrier", source), strings(t.path("callerIds")),
                    t.path("rotateCallerId").asBoolean(false), integer(t, "maxLines", 30, 1, source),
                    t.path("maxCps").asDouble(10), duration(t, "originateTimeout", "30s", source),
                    t.path("amd").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": trunk: " + e.getMessage(), e);
        }
        JsonNode l = root.path("limits");
        LineLimits lines = new LineLimits(integer(l, "globalLines", 1000, 1, source),
                Map.of(trunk.name(), trunk.maxLines()), Map.of(id, integer(l, "lines", 10, 1, source)));
        RateLimits rates = new RateLimits(RateLimit.NONE,
                Map.of(trunk.name(), new RateLimit((int) Math.ceil(trunk.maxCps()), 0)),
                Map.of(id, new RateLimit(integer(l, "perSecond", 0, 0, source), integer(l, "perMinute", 0, 0, source))));
        Boolean amd = root.has("amd") ? root.get("amd").asBoolean() : null;
        int batch = integer(l, "batch", integer(root, "batch", 20, 1, source), 1, source);
        CampaignSettings settings;
        try {
            settings = new CampaignSettings(id, calendar(root.path("calendar"), source),
                    rules(root.path("attempts"), source), zone, lines, rates, amd, batch,
                    phoneRule(root.path("phoneRule"), source));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        JsonNode a = root.path("asterisk");
        Asterisk asterisk = a.isMissingNode() || a.isNull() ? null : new Asterisk(text(a, "url", null, source),
                text(a, "username", "dialer", source), text(a, "password", "", source), text(a, "app", "dialer", source),
                text(a, "mediaHost", "127.0.0.1", source), integer(a, "mediaPort", 0, 0, source),
                mediaUrl(text(a, "mediaUrl", "", source), source));
        int weight = integer(root, "weight", 1, 1, source);
        Instant startsAt = instant(root, "startsAt", source);
        Instant endsAt = instant(root, "endsAt", source);
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException(source + ": endsAt " + endsAt + " is not after startsAt " + startsAt);
        }
        String name = text(root, "name", id, source);
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException(source + ": field name is " + name.length() + " characters; at most "
                    + MAX_NAME);
        }
        String region = region(text(root, "region", "US", source), source);
        return new CampaignFile(settings, name, contacts, flow, flowId,
                integer(root, "flowVersion", 0, 0, source), region, trunk, asterisk,
                root.path("timeScale").asDouble(1.0), integer(root, "priority", 0, Integer.MIN_VALUE, source), weight,
                root.path("alwaysActive").asBoolean(false), startsAt, endsAt, columns(root.path("columns"), source),
                doc);
    }

    /** A new DRAFT campaign row for this definition (the definition stored in its settings). */
    public io.outdial.dialer.campaign.Campaign draft(Instant now) {
        return new io.outdial.dialer.campaign.Campaign(settings.campaignId(), name,
                io.outdial.dialer.campaign.CampaignState.DRAFT, priority, weight, alwaysActive, startsAt, endsAt,
                stored(), now, now, 0);
    }

    private static Path path(ObjectNode doc, String field, Path dir, String source) {
        String v = text(doc, field, null, source);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        if (!p.isAbsolute()) {
            if (dir == null) {
                throw new IllegalArgumentException(source + ": field " + field + " \"" + v
                        + "\" must be an absolute path here");
            }
            p = dir.resolve(p);
        }
        p = p.toAbsolutePath().normalize();
        doc.put(field, p.toString());
        return p;
    }

    private static String region(String v, String source) {
        if (PhoneNormalizer.knowsRegion(v)) {
            return v;
        }
        String upper = v.trim().toUpperCase(Locale.ROOT);
        String hint = !upper.equals(v) && PhoneNormalizer.knowsRegion(upper) ? "; did you mean \"" + upper + "\"?"
                : " (an upper-case ISO 3166 code such as UA or US)";
        throw new IllegalArgumentException(source + ": field region \"" + v
                + "\" is not a region code the phone number library knows" + hint);
    }

    private static PhoneRule phoneRule(JsonNode r, String source) {
        if (r.isMissingNode() || r.isNull()) {
            return PhoneRule.DEFAULT;
        }
        List<PhoneRule.Slot> slots = new ArrayList<>();
        for (JsonNode s : r.path("slots")) {
            String[] span = text(s, "hours", "", source).split("-", -1);
            if (span.length != 2) {
                throw new IllegalArgumentException(source + ": phoneRule.slots hours \"" + s.path("hours").asText()
                        + "\" is not HH:mm-HH:mm");
            }
            LocalTime from = LocalTime.parse(span[0].trim());
            LocalTime to = "24:00".equals(span[1].trim()) ? LocalTime.MIDNIGHT : LocalTime.parse(span[1].trim());
            slots.add(new PhoneRule.Slot(from, to, strings(s.path("labels"))));
        }
        return new PhoneRule(slots, integer(r, "maxFailuresPerPhone", PhoneRule.DEFAULT.maxFailuresPerPhone(), 1,
                source));
    }

    private static ColumnMapping columns(JsonNode c, String source) {
        if (c.isMissingNode() || c.isNull()) {
            return null;
        }
        if (!c.isObject()) {
            throw new IllegalArgumentException(source + ": field columns must be a mapping such as"
                    + " {\"phones\": [\"mobile\"], \"id\": \"customer\"}, got " + c);
        }
        List<ColumnMapping.PhoneColumn> phones = new ArrayList<>();
        for (JsonNode p : c.path("phones")) {
            String column = p.isTextual() ? p.asText() : p.isObject() ? text(p, "column", null, source) : null;
            String label = p.isObject() ? text(p, "label", null, source) : null;
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException(source + ": columns.phones entry " + p + " names no column; give"
                        + " a column name or {\"column\": \"mobile\", \"label\": \"mobile\"}");
            }
            if (label != null && (label.contains("=") || label.contains("|"))) {
                throw new IllegalArgumentException(source + ": columns.phones label \"" + label
                        + "\" must not contain '=' or '|' (they separate the stored phones)");
            }
            phones.add(new ColumnMapping.PhoneColumn(column, label));
        }
        if (phones.isEmpty()) {
            throw new IllegalArgumentException(source + ": columns.phones must name at least one phone column");
        }
        List<String> fields = c.has("fields") ? strings(c.get("fields")) : null;
        return new ColumnMapping(phones, text(c, "id", null, source), text(c, "timeZone", null, source), fields);
    }

    private static ZoneId zone(String v, String field, String source) {
        try {
            return ZoneId.of(v);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(source + ": field " + field + " \"" + v
                    + "\" is not a time zone (e.g. Europe/Kyiv, UTC)", e);
        }
    }

    private static Instant instant(JsonNode n, String field, String source) {
        String v = text(n, field, null, source);
        if (v == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(source + ": field " + field + " \"" + v
                    + "\" is not a date-time with offset (e.g. 2026-12-01T09:00:00+02:00)", e);
        }
    }

    private static int integer(JsonNode n, String field, int dflt, int min, String source) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isIntegralNumber() && !v.canConvertToInt() || v.isTextual() && v.asText().matches("-?\\d{10,}")
                && !fitsInt(v.asText())) {
            // 2147483648 must not wrap around to -2147483648
            throw new IllegalArgumentException(source + ": field " + field + " is " + v.asText()
                    + ", out of range (expected " + Math.max(min, Integer.MIN_VALUE) + ".." + Integer.MAX_VALUE + ")");
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() && !v.asText().matches("-?\\d+")) {
            throw new IllegalArgumentException(source + ": field " + field + " must be a whole number, got " + v);
        }
        int i = v.asInt();
        if (i < min) {
            throw new IllegalArgumentException(source + ": field " + field + " is " + i + ", must be at least " + min);
        }
        return i;
    }

    /** A NUL character in any key or text of the definition (an id, a name, a path) is refused, naming where. */
    private static void refuseNul(JsonNode n, String path, String source) {
        if (n.isTextual() && n.asText().indexOf('\0') >= 0) {
            throw new IllegalArgumentException(source + ": field " + path + " holds a NUL character (\\u0000)");
        }
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                refuseNul(n.get(i), path + "[" + i + "]", source);
            }
        }
        n.fieldNames().forEachRemaining(f -> {
            String at = path.isEmpty() ? f : path + "." + f;
            if (f.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(source + ": a field name in " + (path.isEmpty() ? "the definition"
                        : path) + " holds a NUL character (\\u0000)");
            }
            refuseNul(n.get(f), at, source);
        });
    }

    private static boolean fitsInt(String digits) {
        try {
            Integer.parseInt(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static CallingCalendar calendar(JsonNode c, String file) {
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

    private static AttemptRules rules(JsonNode a, String file) {
        AttemptRules d = AttemptRules.defaults();
        List<AttemptRule> rules = new ArrayList<>();
        for (JsonNode r : a.path("rules")) {
            AttemptOutcome o;
            try {
                o = AttemptOutcome.valueOf(text(r, "outcome", "", file));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": attempts.rules outcome \""
                        + r.path("outcome").asText() + "\" is not one of " + List.of(AttemptOutcome.values()), e);
            }
            String flowResult = text(r, "flowResult", null, file);
            RuleAction action = r.has("close") ? new RuleAction.Close(ContactResult.valueOf(r.get("close").asText()))
                    : new RuleAction.Retry(duration(r, "retryAfter", "30m", file), integer(r, "maxRetries", 1, 0, file));
            rules.add(new AttemptRule(o, flowResult, action));
        }
        for (AttemptRule def : d.rules()) {
            if (rules.stream().noneMatch(r -> r.key().equals(def.key()))) {
                rules.add(def);
            }
        }
        return new AttemptRules(rules, integer(a, "totalCap", d.totalCap(), 1, file),
                integer(a, "dailyCap", d.dailyCap(), 1, file));
    }

    private static String mediaUrl(String v, String source) {
        try {
            return new io.outdial.dialer.config.MediaConfig(v, "x", "", Duration.ZERO).baseUrl();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": field asterisk.mediaUrl: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, String dflt, String file) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException(file + ": field " + field + " must be a text, got " + v);
        }
        return v.asText();
    }

    private static Duration duration(JsonNode n, String field, String dflt, String file) {
        String v = text(n, field, dflt, file);
        try {
            return DurationDeserializer.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": field " + field + " \"" + v
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
