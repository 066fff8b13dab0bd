package io.outdial.dialer.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outdial.dialer.contact.ColumnMapping;
import io.outdial.dialer.contact.PhoneRule;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.spi.FlowRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param scheme       the cascade scheme whose first (voice) block is this campaign's dialing: a stored scheme id,
 *                     or the absolute path of a scheme file; null for a campaign without messaging fallback
 * @param schemeVersion the stored scheme's version; 0 = its latest valid version when the campaign starts
 * @param smsc         headless run only: the SMSCs its messaging fallback sends SMS through; empty: the sandbox SMSC
 * @param document     the definition as stored (paths made absolute)
 */
public record CampaignFile(CampaignSettings settings, String name, Path contacts, Path flow, String flowId,
                           int flowVersion, String region, TrunkConfig trunk, Asterisk asterisk, double timeScale,
                           int priority, int weight, boolean alwaysActive, Instant startsAt, Instant endsAt,
                           ColumnMapping columns, String scheme, int schemeVersion,
                           List<io.outdial.fallback.channel.sms.SmscConfig> smsc, ObjectNode document) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEGACY_FILE_KEY = "campaignFile";
    /** Longest display name ({@code campaign.name}). */
    public static final int MAX_NAME = 200;

    /** Top-level fields a definition may have; anything else is a typo and is refused. */
    public static final Set<String> FIELDS = java.util.Arrays.stream(CampaignDocument.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).collect(java.util.stream.Collectors.toUnmodifiableSet());

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
            throw new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem("campaign file " + file, "$",
                    null, "a readable file", Reason.MISSING, "campaign file " + file + " cannot be read: "
                    + e.getMessage())), e);
        }
        JsonNode root = io.outdial.dialer.config.StrictDocuments.read(text, true, "campaign file " + file);
        CampaignFile f = parse(root, file.toAbsolutePath().getParent(), "campaign file " + file);
        if (f.contacts() == null) {
            throw InvalidInput.of("campaign file " + file, "$.contacts", null, "the contacts file", Reason.MISSING,
                    "campaign file " + file + ": field contacts (the contacts file) is missing");
        }
        return f;
    }

    /** The definition stored with campaign {@code id} (its {@code settings} column). */
    public static CampaignFile fromStored(String id, String json) {
        if (json == null || json.isBlank()) {
            throw InvalidInput.of("campaign " + id, "$", null, "a stored definition", Reason.MISSING,
                    "campaign " + id + " has no stored definition");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem("campaign " + id, "$", null,
                    "JSON", Reason.SYNTAX, "campaign " + id + ": stored definition is not JSON: " + e.getMessage())),
                    e);
        }
        // Definitions stored before 0.2 named a campaign file instead of holding the definition.
        CampaignFile f = root.has(LEGACY_FILE_KEY) && root.size() == 1
                ? load(Path.of(root.get(LEGACY_FILE_KEY).asText())) : parse(root, null, "campaign " + id, true);
        if (!f.settings().campaignId().equals(id)) {
            throw InvalidInput.of("campaign " + id, "$.id", f.settings().campaignId(), id, Reason.CONFLICT,
                    "campaign " + id + ": stored definition has id " + f.settings().campaignId());
        }
        return f;
    }

    /** The JSON stored with the campaign: the document with file paths made absolute. */
    public String stored() {
        return document.toString();
    }

    /**
     * Checks a definition given as a JSON/YAML tree: bound into {@link CampaignDocument} and its section records,
     * whose constructors check the values.
     *
     * @param dir    folder that relative file paths are resolved against, or null (paths must then be absolute)
     * @param source names the definition in error messages (e.g. "campaign file x.yaml")
     */
    public static CampaignFile parse(JsonNode root, Path dir, String source) {
        return parse(root, dir, source, false);
    }

    /**
     * @param stored a definition this node stored (its paths were checked and made absolute when it was given)
     */
    private static CampaignFile parse(JsonNode root, Path dir, String source, boolean stored) {
        if (root == null || !root.isObject()) {
            throw InvalidInput.of(source, "$", root == null ? null : root.toString(), "a mapping of fields",
                    Reason.WRONG_TYPE, source + ": expected a mapping of fields");
        }
        refuseNul(root, "", source);
        CampaignDocument d = DefinitionBinder.bind(root, source);
        String id = d.id();
        ObjectNode doc = root.deepCopy();
        Path contacts = path(doc, "contacts", d.contacts(), dir, source);
        Path flow = stored ? path(doc, "flow", d.flow(), null, source)
                : localFile(doc, "flow", d.flow(), dir, source, "flowId", "POST /api/v1/flows");
        String scheme = d.scheme() == null || !isSchemeFile(d.scheme()) ? d.scheme()
                : (stored ? path(doc, "scheme", d.scheme(), null, source)
                        : localFile(doc, "scheme", d.scheme(), dir, source, "a scheme id", "POST /api/v1/schemes"))
                        .toString();
        TrunkConfig trunk = d.trunk().config();
        LimitsSection limits = d.limits();
        int batch = limits.batch(DefinitionBinder.whole("batch", d.batch(), 20, 1));
        CampaignSettings settings;
        try {
            settings = new CampaignSettings(id, d.calendar().calendar(), d.attempts().attemptRules(), d.zone(),
                    limits.lineLimits(id, trunk), limits.rateLimits(id, trunk), d.amd(), batch,
                    d.phoneRule() == null ? PhoneRule.DEFAULT : d.phoneRule().phoneRule());
        } catch (IllegalArgumentException e) {
            // the settings' own checks across sections
            throw new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem(source, "$", null, null,
                    Reason.INVALID_VALUE, source + ": " + e.getMessage())), e);
        }
        return new CampaignFile(settings, d.name(), contacts, flow, d.flowId(),
                DefinitionBinder.whole("flowVersion", d.flowVersion(), 0, 0), d.region(), trunk,
                d.asterisk() == null ? null : d.asterisk().asterisk(), DefinitionBinder.or(d.timeScale(), 1.0),
                DefinitionBinder.whole("priority", d.priority(), 0, Integer.MIN_VALUE),
                DefinitionBinder.whole("weight", d.weight(), 1, 1), DefinitionBinder.or(d.alwaysActive(), false),
                d.startsAtInstant(), d.endsAtInstant(), d.columns() == null ? null : d.columns().mapping(), scheme,
                DefinitionBinder.whole("schemeVersion", d.schemeVersion(), 0, 0), d.smsc(), doc);
    }

    /** The same definition running stored flow version {@code version} (the campaign's pinned version). */
    public CampaignFile withFlowVersion(int version) {
        return new CampaignFile(settings, name, contacts, flow, flowId, version, region, trunk, asterisk, timeScale,
            priority, weight, alwaysActive, startsAt, endsAt, columns, scheme, schemeVersion, smsc, document);
    }

    /**
     * The validated flow of the {@code flow} file this definition names, or null when it names none; throws naming
     * the file when it is invalid, and for a definition naming a stored flow ({@code flowId}). Blocking (reads the
     * file).
     */
    public FlowRunner loadFlow() {
        return FlowFile.load(this);
    }

    /** True when a {@code scheme} value names a file (ends in .yaml, .yml or .json) rather than a stored scheme. */
    public static boolean isSchemeFile(String scheme) {
        String l = scheme.toLowerCase(java.util.Locale.ROOT);
        return l.endsWith(".yaml") || l.endsWith(".yml") || l.endsWith(".json");
    }

    /** A new DRAFT campaign row for this definition (the definition stored in its settings). */
    public io.outdial.dialer.campaign.Campaign draft(Instant now) {
        return new io.outdial.dialer.campaign.Campaign(settings.campaignId(), name,
                io.outdial.dialer.campaign.CampaignState.DRAFT, priority, weight, alwaysActive, startsAt, endsAt,
                stored(), now, now, 0);
    }

    /**
     * A flow file comes only from the campaign file's own folder (a relative path that stays inside it); a definition
     * without a folder (sent over the API) names a stored flow ({@code flowId}) instead. So a definition can never
     * make the node read, and echo, another file of the server.
     */
    /** A file named by {@code field} in the campaign file's own folder; a definition sent over the API names none. */
    private static Path localFile(ObjectNode doc, String field, String v, Path dir, String source, String apiField,
            String upload) {
        if (v == null) {
            return null;
        }
        if (dir == null) {
            throw InvalidInput.of(source, "$." + field, v, "no " + field + " file here: " + apiField,
                    Reason.NOT_ALLOWED, source + ": field " + field + " names a file of the server, which a definition"
                    + " sent over the API cannot use; upload it (" + upload + ") and set " + apiField);
        }
        Path p;
        try {
            p = Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw InvalidInput.of(source, "$." + field, v, "a file name", Reason.INVALID_FORMAT, source
                    + ": field " + field + " \"" + v + "\" is not a file name");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path resolved = base.resolve(p).normalize();
        if (p.isAbsolute() || !resolved.startsWith(base) || resolved.equals(base)) {
            throw InvalidInput.of(source, "$." + field, v, "a file in the campaign file's folder",
                    Reason.INVALID_VALUE, source + ": field " + field + " \"" + v
                    + "\" must name a file in the campaign file's folder " + base
                    + " (a relative path, no .. leaving it)");
        }
        doc.put(field, resolved.toString());
        return resolved;
    }

    private static Path path(ObjectNode doc, String field, String v, Path dir, String source) {
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        if (!p.isAbsolute()) {
            if (dir == null) {
                throw InvalidInput.of(source, "$." + field, v, "an absolute path", Reason.INVALID_FORMAT, source
                        + ": field " + field + " \"" + v + "\" must be an absolute path here");
            }
            p = dir.resolve(p);
        }
        p = p.toAbsolutePath().normalize();
        doc.put(field, p.toString());
        return p;
    }

    /** A NUL character in any key or text of the definition (an id, a name, a path) is refused, naming where. */
    private static void refuseNul(JsonNode n, String path, String source) {
        if (n.isTextual() && n.asText().indexOf('\0') >= 0) {
            throw InvalidInput.of(source, "$." + path, n.asText().replace("\0", "\\u0000"), "no NUL character",
                    Reason.INVALID_FORMAT, source + ": field " + path + " holds a NUL character (\\u0000)");
        }
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                refuseNul(n.get(i), path + "[" + i + "]", source);
            }
        }
        n.fieldNames().forEachRemaining(f -> {
            String at = path.isEmpty() ? f : path + "." + f;
            if (f.indexOf('\0') >= 0) {
                throw InvalidInput.of(source, path.isEmpty() ? "$" : "$." + path, f.replace("\0", "\\u0000"),
                        "no NUL character", Reason.INVALID_FORMAT, source + ": a field name in "
                        + (path.isEmpty() ? "the definition" : path) + " holds a NUL character (\\u0000)");
            }
            refuseNul(n.get(f), at, source);
        });
    }
}
