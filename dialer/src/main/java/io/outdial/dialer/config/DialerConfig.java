package io.outdial.dialer.config;

import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.contact.ImportLimits;
import io.outdial.dialer.server.HttpConfig;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.engine.PricePlan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration: one record per capability. Read by {@link ConfigLoader} from one YAML/JSON file
 * plus {@code DIALER_<SECTION>_<KEY>} environment overrides; every key is documented in
 * {@code docs/configuration.md}. To add a section, add a component here and a default in {@link #defaults()}.
 *
 * @param http     the HTTP listener
 * @param database the database
 * @param cluster  the embedded cluster member
 * @param shutdown graceful shutdown
 * @param asterisk the Asterisk servers (none: telephony is unavailable or simulated)
 * @param trunks   the outbound trunks
 * @param media    prompts and TTS audio served to Asterisk
 * @param dialing  node-wide dialing limits and how often the campaign table is followed
 * @param imports  limits of uploads and contact imports
 * @param smsc     the SMSCs messaging fallback sends SMS through (none: {@code serve} sends no SMS; {@code demo} and
 *                 {@code run} then use the sandbox SMSC)
 * @param chat     the WhatsApp, Viber and webhook channels of messaging fallback and their inbound webhooks
 * @param prices   what messaging fallback books per message (none: everything free)
 */
public record DialerConfig(HttpConfig http, DatabaseConfig database, ClusterConfig cluster,
                           ShutdownConfig shutdown, List<AriServerConfig> asterisk, List<TrunkConfig> trunks,
                           MediaConfig media, DialingConfig dialing, ImportsConfig imports, List<SmscConfig> smsc,
                           ChatConfig chat, PricesConfig prices) {
    public DialerConfig {
        chat = chat == null ? ChatConfig.defaults() : chat;
        prices = prices == null ? PricesConfig.defaults() : prices;
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(shutdown, "shutdown");
        asterisk = asterisk == null ? List.of() : List.copyOf(asterisk);
        trunks = trunks == null ? List.of() : List.copyOf(trunks);
        media = media == null ? MediaConfig.defaults() : media;
        dialing = dialing == null ? DialingConfig.defaults() : dialing;
        imports = imports == null ? ImportsConfig.defaults() : imports;
        requireUniqueNames("asterisk", asterisk.stream().map(AriServerConfig::name).toList());
        requireUniqueNames("trunks", trunks.stream().map(TrunkConfig::name).toList());
        smsc = smsc == null ? List.of() : List.copyOf(smsc);
        requireUniqueNames("smsc", smsc.stream().map(SmscConfig::name).toList());
    }

    /** Without a prices section (everything free). */
    public DialerConfig(HttpConfig http, DatabaseConfig database, ClusterConfig cluster, ShutdownConfig shutdown,
                        List<AriServerConfig> asterisk, List<TrunkConfig> trunks, MediaConfig media,
                        DialingConfig dialing, ImportsConfig imports, List<SmscConfig> smsc, ChatConfig chat) {
        this(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            PricesConfig.defaults());
    }

    /** Without a chat section. */
    public DialerConfig(HttpConfig http, DatabaseConfig database, ClusterConfig cluster, ShutdownConfig shutdown,
                        List<AriServerConfig> asterisk, List<TrunkConfig> trunks, MediaConfig media,
                        DialingConfig dialing, ImportsConfig imports, List<SmscConfig> smsc) {
        this(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, ChatConfig.defaults());
    }

    /** Without an smsc section. */
    public DialerConfig(HttpConfig http, DatabaseConfig database, ClusterConfig cluster, ShutdownConfig shutdown,
                        List<AriServerConfig> asterisk, List<TrunkConfig> trunks, MediaConfig media,
                        DialingConfig dialing, ImportsConfig imports) {
        this(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, List.of());
    }

    /** Without an imports section (its defaults). */
    public DialerConfig(HttpConfig http, DatabaseConfig database, ClusterConfig cluster, ShutdownConfig shutdown,
                        List<AriServerConfig> asterisk, List<TrunkConfig> trunks, MediaConfig media,
                        DialingConfig dialing, List<SmscConfig> smsc) {
        this(http, database, cluster, shutdown, asterisk, trunks, media, dialing, ImportsConfig.defaults(), smsc);
    }

    /** Without imports and smsc sections (their defaults). */
    public DialerConfig(HttpConfig http, DatabaseConfig database, ClusterConfig cluster, ShutdownConfig shutdown,
                        List<AriServerConfig> asterisk, List<TrunkConfig> trunks, MediaConfig media,
                        DialingConfig dialing) {
        this(http, database, cluster, shutdown, asterisk, trunks, media, dialing, ImportsConfig.defaults(), List.of());
    }

    /** Without a dialing section (its defaults). */
    public DialerConfig(HttpConfig http, DatabaseConfig database, ClusterConfig cluster, ShutdownConfig shutdown,
                        List<AriServerConfig> asterisk, List<TrunkConfig> trunks, MediaConfig media) {
        this(http, database, cluster, shutdown, asterisk, trunks, media, DialingConfig.defaults());
    }

    /** Without a media section (its defaults). */
    public DialerConfig(HttpConfig http, DatabaseConfig database, ClusterConfig cluster, ShutdownConfig shutdown,
                        List<AriServerConfig> asterisk, List<TrunkConfig> trunks) {
        this(http, database, cluster, shutdown, asterisk, trunks, MediaConfig.defaults());
    }

    private static void requireUniqueNames(String section, List<String> names) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException(section + ": name \"" + n + "\" is used twice (expected unique names)");
            }
        }
    }

    /**
     * Reads {@code file} (YAML or JSON; if any) over {@link #defaults()} and applies the {@code DIALER_<SECTION>_<KEY>}
     * variables of {@code env}. Unknown keys, wrong types and invalid values fail with an
     * {@link io.outdial.dialer.input.InvalidInput} naming the file or variable, the key, the value and what was
     * expected.
     */
    public static DialerConfig load(Optional<Path> file, Map<String, String> env) {
        return new ConfigLoader().load(file, env);
    }

    /** As {@link #load(Optional, Map)}, over {@code base} instead of the defaults. */
    public static DialerConfig load(DialerConfig base, Optional<Path> file, Map<String, String> env) {
        return new ConfigLoader().load(base, file, env);
    }

    /** As {@link #load(Optional, Map)}, from {@code text} (YAML or JSON) named {@code source} in problems. */
    public static DialerConfig parse(String text, String source, Map<String, String> env) {
        return new ConfigLoader().parse(text, source, env);
    }

    /** Every default; a file only needs the keys it changes. */
    public static DialerConfig defaults() {
        return new DialerConfig(HttpConfig.defaults(), DatabaseConfig.defaults(), ClusterConfig.defaults(),
            ShutdownConfig.defaults(), List.of(), List.of(), MediaConfig.defaults(), DialingConfig.defaults(),
            ImportsConfig.defaults());
    }

    /** How long live work may take to finish on a graceful shutdown ({@code shutdown.drainTimeout}). */
    public Duration drainTimeout() {
        return shutdown.drainTimeout();
    }

    /** The largest contact file or stop-list CSV the API accepts, in bytes ({@code imports.maxUploadBytes}). */
    public long maxUploadBytes() {
        return imports.maxUploadBytes();
    }

    /** The limits of one contact import ({@code imports} section). */
    public ImportLimits importLimits() {
        return imports.importLimits();
    }

    /** What messaging fallback books per message ({@code prices} section): the cascade engine's price plan. */
    public PricePlan pricePlan() {
        return prices.plan();
    }

    public DialerConfig withHttp(HttpConfig http) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    public DialerConfig withDatabase(DatabaseConfig database) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    public DialerConfig withCluster(ClusterConfig cluster) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    public DialerConfig withAsterisk(List<AriServerConfig> asterisk) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    public DialerConfig withTrunks(List<TrunkConfig> trunks) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    /** With another {@link #drainTimeout()}. */
    public DialerConfig withDrainTimeout(Duration drainTimeout) {
        return withShutdown(new ShutdownConfig(drainTimeout));
    }

    DialerConfig withShutdown(ShutdownConfig shutdown) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    public DialerConfig withDialing(DialingConfig dialing) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    DialerConfig withImports(ImportsConfig imports) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    public DialerConfig withSmsc(List<SmscConfig> smsc) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    public DialerConfig withChat(ChatConfig chat) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    DialerConfig withPrices(PricesConfig prices) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }

    public DialerConfig withMedia(MediaConfig media) {
        return new DialerConfig(http, database, cluster, shutdown, asterisk, trunks, media, dialing, imports, smsc, chat,
            prices);
    }
}
