package io.outdial.dialer.cascade;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.config.ChatConfig;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.dialing.DialGate;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.ready.Readiness;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.stoplist.StopList;
import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.channel.sms.BindStatus;
import io.outdial.fallback.channel.sms.SmppChannel;
import io.outdial.fallback.channel.sms.SmsRouter;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.channel.viber.InfobipViber;
import io.outdial.fallback.channel.viber.ViberChannel;
import io.outdial.fallback.channel.webhook.WebhookChannel;
import io.outdial.fallback.channel.whatsapp.WhatsAppChannel;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.hooks.InboundHooks;
import io.outdial.fallback.scheme.Block;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.RunState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messaging fallback on a node: the cascade engine over the node's database ({@link JdbcRunStore},
 * {@link JdbcSchemeStore}), the dialer's stop-list, the SMS channels of the node's SMSCs and the {@link VoiceChannel}.
 * Every second it pins the scheme of each started campaign that has one and starts the missing runs: for a scheme
 * whose first block is the voice block, of each contact whose dialing reached its final outcome; for a scheme that
 * starts with a message, of every contact of the running campaign, held ({@link #dialGate()}) until its run reaches
 * the voice block. It also reports the calls handed to the dialing that ended and closes the held contacts whose run
 * ended, so a node killed at any point catches up when it comes back; the engine resumes the runs and timers it
 * finds in the store. Shows each SMSC bind in
 * {@code /ready} ({@code smsc:<name>}) and the counters and cost per scheme and block in {@code /metrics}. The
 * configured chat channels (WhatsApp, Viber, webhook) are given to the engine next to SMS and Voice, and their
 * inbound webhooks are served under {@link ApiSecurity#HOOKS}.
 *
 * <p>In a cluster ({@link #withLeadership}) one node at a time runs the cascades: the holder of the lease
 * {@link #LEASE}. Only it starts the engine (resuming the runs and timers it finds), feeds runs and sends; every node
 * serves the webhooks and keeps its SMSC binds, and an event or a cancel that reaches a node without the lease is
 * written to the {@link CascadeInbox}, which the engine's node takes every second. When the lease holder dies its
 * lease expires and another node takes it, starts the engine and resumes where the dead one stopped.
 */
public final class CascadeComponent implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(CascadeComponent.class);
    private static final int FEED_BATCH = 500;
    private static final java.time.Duration UNPINNED_LOOK = java.time.Duration.ofSeconds(10);
    /** The cluster lease of the node that runs the cascades. */
    public static final String LEASE = "cascade-engine";
    /** Inbox entries the engine's node takes at a time. */
    private static final int INBOX_BATCH = 500;

    /**
     * What the component uses.
     *
     * @param vertx     the node's Vert.x
     * @param database  the node's database
     * @param clock     the node's clock
     * @param readiness {@code /ready}
     * @param meters    {@code /metrics}
     * @param smsc      the SMSCs (each one {@link SmppChannel})
     * @param env       where SMSC passwords are read ({@link SmscConfig#passwordEnv()})
     * @param simulated SMSC names shown SIMULATED in {@code /ready} (the sandbox SMSC)
     * @param options   engine settings
     * @param chat      the WhatsApp, Viber and webhook channels (their secrets read through {@code env})
     */
    public record Services(Vertx vertx, Database database, Clock clock, Readiness readiness, MeterRegistry meters,
                           List<SmscConfig> smsc, Function<String, String> env, List<String> simulated,
                           EngineOptions options, ChatConfig chat) {
        public Services {
            smsc = List.copyOf(smsc);
            simulated = List.copyOf(simulated);
            chat = chat == null ? ChatConfig.defaults() : chat;
        }

        /** Without chat channels. */
        public Services(Vertx vertx, Database database, Clock clock, Readiness readiness, MeterRegistry meters,
                        List<SmscConfig> smsc, Function<String, String> env, List<String> simulated,
                        EngineOptions options) {
            this(vertx, database, clock, readiness, meters, smsc, env, simulated, options, ChatConfig.defaults());
        }
    }

    private final Services s;
    private final List<SmppChannel> smpp = new ArrayList<>();
    private volatile SmsRouter router;
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private volatile JdbcRunStore runs;
    private volatile JdbcSchemeStore schemes;
    private volatile JdbcCampaignStore campaigns;
    private volatile JdbcContactStore contacts;
    private VoiceChannel voice;
    private CascadeEngine engine;
    /** Whether a campaign's pinned scheme starts with a message, with the pin it was read from. */
    private final Map<String, Shape> shapes = new ConcurrentHashMap<>();
    /** Each campaign's pin as last checked against its definition, with the campaign row's version and creation. */
    private final Map<String, Checked> checkedPins = new ConcurrentHashMap<>();
    /** When the gate last found a campaign without a pinned scheme (it looks again after {@link #UNPINNED_LOOK}). */
    private final Map<String, Instant> unpinned = new ConcurrentHashMap<>();
    private MultiGauge blockGauge;
    private MultiGauge costGauge;
    private long periodic = -1;
    private boolean feeding;
    private final CascadeRoutes routes;
    private final WhatsAppChannel whatsApp;
    private final ViberChannel viber;
    private final WebhookChannel webhook;
    private volatile JdbcStopList stopListForViber;
    /** Whether this node holds the cascade lease (blocking; null: no cluster, this node runs the cascades). */
    private volatile java.util.function.BooleanSupplier leadership;
    /** True while this node's engine runs (started and not stopped). */
    private volatile boolean engineRuns;
    private volatile CascadeInbox inbox;
    private boolean turning;
    private boolean takingInbox;

    /** Builds the chat channels of {@link Services#chat()}; fails naming the key when a secret is not set. */
    public CascadeComponent(Services services) {
        this.s = services;
        this.routes = new CascadeRoutes(services.vertx(), this);
        ChatConfig chat = services.chat();
        // what the chat channels learn about their peers is kept in the database, for every node and restart
        JdbcChatPeers peers = new JdbcChatPeers(() -> s.database().dataSource(), s.clock());
        whatsApp = chat.whatsapp() == null ? null
            : new WhatsAppChannel(s.vertx(), s.clock(), chat.whatsapp(), s.env(), peers);
        ChatConfig.Viber v = chat.viber();
        viber = v == null ? null : new ViberChannel(s.vertx(), s.clock(), v.bot() == null ? null : v.bot().config(),
            v.infobip() == null ? null : new InfobipViber(v.infobip(), s.clock(), s.env()),
            // called on a worker thread by the channel (a bot user unsubscribed)
            (address, why) -> {
                JdbcStopList list = stopListForViber;
                if (list != null) {
                    list.add(StopList.GLOBAL, address, why, "viber");
                }
            }, v.http(), s.env(), peers);
        webhook = chat.webhook() == null ? null : new WebhookChannel(s.vertx(), s.clock(), chat.webhook(), s.env());
    }

    @Override
    public String name() {
        return "cascade";
    }

    /**
     * Runs the cascades only while {@code holdsLease} says this node holds the cascade lease (asked every second on
     * a worker; it may take the lease when free). Set before the start.
     */
    public CascadeComponent withLeadership(java.util.function.BooleanSupplier holdsLease) {
        this.leadership = holdsLease;
        return this;
    }

    /** Whether this node's engine runs the cascades now. */
    public boolean runsCascades() {
        return engineRuns;
    }

    @Override
    public void routes(Router router) {
        routes.mount(router);
        if (whatsApp == null && viber == null && webhook == null) {
            return;
        }
        // providers' callbacks: each route checks its provider's signature; events go to the engine (which works
        // on its own context and worker threads), replies are also kept with their run
        InboundHooks hooks = new InboundHooks(s.vertx(), this::inbound, (channel, id) -> engine == null
            ? Future.failedFuture("the cascade engine is starting") : engine.knows(channel, id));
        if (whatsApp != null) {
            hooks.whatsApp(whatsApp);
        }
        if (viber != null) {
            hooks.viber(viber);
        }
        if (webhook != null) {
            hooks.webhook(webhook);
        }
        router.route(ApiSecurity.HOOKS + "/*").subRouter(hooks.router());
    }

    /** An event of an inbound webhook: a reply is kept with its run, then the engine takes the event. */
    private Future<Void> inbound(ChannelEvent e) {
        CascadeEngine en = engine;
        if (en == null) {
            return Future.failedFuture("the cascade engine is starting");
        }
        Future<Void> kept = e instanceof ChannelEvent.Reply r ? keepReply(r) : Future.succeededFuture();
        return kept.compose(v -> take(e));
    }

    /** An event for the engine: taken here when this node runs the cascades, else handed to the node that does. */
    private Future<Void> take(ChannelEvent e) {
        if (engineRuns) {
            return engine.onEvent(e);
        }
        return s.vertx().executeBlocking(() -> {
            inbox.event(e);
            return null;
        }, false);
    }

    /**
     * Cancels a run: nothing more is sent. On a node that does not run the cascades the cancel is handed to the node
     * that does; the future then completes once the run is no longer active, or after 10 s.
     */
    public Future<Void> cancel(String runId) {
        if (engineRuns) {
            return engine.cancel(runId);
        }
        return s.vertx().executeBlocking(() -> {
            inbox.cancel(runId);
            return null;
        }, false).compose(v -> ended(runId, 200));
    }

    /** Completes once run {@code runId} is no longer active, looking every 50 ms at most {@code looks} times. */
    private Future<Void> ended(String runId, int looks) {
        return s.vertx().executeBlocking(() -> runs.run(runId).map(r -> r.state() == RunState.RUNNING
            || r.state() == RunState.WAITING).orElse(false), false).compose(active -> {
                if (!active || looks <= 1) {
                    return Future.<Void>succeededFuture();
                }
                io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
                s.vertx().setTimer(50, id -> ended(runId, looks - 1).onComplete(later));
                return later.future();
            });
    }

    /** Asks for the cascade lease; starts this node's engine when it got it, stops it when it lost it. */
    private Future<Void> lead() {
        if (turning) {
            return Future.succeededFuture();
        }
        turning = true;
        return s.vertx().executeBlocking(() -> leadership.getAsBoolean(), false).compose(holds -> {
            if (holds && !engineRuns) {
                LOG.info("cascade: this node holds the cascade lease: resuming runs and timers, taking the inbox");
                return engine.start().onSuccess(v -> engineRuns = true);
            }
            if (!holds && engineRuns) {
                LOG.warn("cascade: this node lost the cascade lease: its engine stops; another node runs the"
                    + " cascades");
                engineRuns = false;
                return engine.stop();
            }
            return Future.<Void>succeededFuture();
        }).onFailure(err -> LOG.warn("cascade: the lease could not be asked for; asked again in a second: {}",
            err.toString())).eventually(() -> {
                turning = false;
                return Future.succeededFuture();
            });
    }

    /**
     * Handles what other nodes handed over: events and cancels, oldest first; each entry removed once handled. A
     * batch is read only once the previous one is handled and removed, so no entry is read (and handled) twice.
     */
    private void takeInbox() {
        if (takingInbox) {
            return;
        }
        takingInbox = true;
        s.vertx().executeBlocking(() -> inbox.oldest(INBOX_BATCH), false).compose(entries -> {
            List<Future<Void>> all = new ArrayList<>();
            for (CascadeInbox.Entry en : entries) {
                Future<Void> handled = en.event() != null ? engine.onEvent(en.event()) : engine.cancel(en.runId());
                all.add(handled.onFailure(err -> LOG.error("cascade inbox entry {} failed; dropped: {}", en.id(),
                    err.toString())).transform(ar -> s.vertx().<Void>executeBlocking(() -> {
                        inbox.done(en.id());
                        return null;
                    }, false)).onFailure(err -> LOG.warn("cascade inbox entry {} not removed: {}", en.id(),
                        err.toString())));
            }
            return Future.join(all);
        }).onFailure(err -> LOG.warn("cascade: taking the inbox failed; taken again in a second: {}",
            err.toString())).onComplete(ar -> takingInbox = false);
    }

    /**
     * Keeps a reply with the run of the latest message sent to its address (the engine only counts them), once a
     * message to that address this node is submitting has its submit response recorded.
     */
    private Future<Void> keepReply(ChannelEvent.Reply r) {
        CascadeEngine en = engine;
        Future<Void> settled = en == null ? Future.succeededFuture() : en.submitsSettled(r.channel(), r.from());
        return settled.compose(x -> s.vertx().<Void>executeBlocking(() -> {
            Optional<MessageRecord> m = runs.latestMessageTo(r.channel(), r.from());
            runs.saveReply(new JdbcRunStore.StoredReply(m.map(MessageRecord::runId).orElse(null),
                m.map(MessageRecord::id).orElse(null), r.channel(), r.from(), r.text(), r.at()));
            return null;
        }, false)).recover(err -> {
            LOG.warn("reply from {} not kept: {}", r.from(), err.toString());
            return Future.succeededFuture();
        });
    }

    /** The configured chat channels (for status and tests). */
    public List<Channel> chatChannels() {
        List<Channel> out = new ArrayList<>();
        if (whatsApp != null) {
            out.add(whatsApp);
        }
        if (viber != null) {
            out.add(viber);
        }
        if (webhook != null) {
            out.add(webhook);
        }
        return out;
    }

    /** The run store, once started. */
    JdbcRunStore runs() {
        return runs;
    }

    /** The scheme store, once started. */
    JdbcSchemeStore schemes() {
        return schemes;
    }

    /**
     * The version numbers stored of scheme {@code schemeId} (valid ones and invalid drafts), oldest first; empty
     * when no such scheme is stored. Blocking JDBC: call on a worker.
     */
    public static List<Integer> storedVersions(DataSource ds, Clock clock, String schemeId) {
        return new JdbcSchemeStore(ds, clock).versions(schemeId).stream().map(JdbcSchemeStore.SchemeVersion::version)
            .toList();
    }

    /** The engine settings (prices, caps, stop words) runs and dry runs use. */
    public EngineOptions engineOptions() {
        return s.options();
    }

    /** The engine, once started. */
    public CascadeEngine engine() {
        return engine;
    }

    /** The SMS channels' binds. */
    public List<BindStatus> binds() {
        return smpp.stream().flatMap(c -> c.status().stream()).collect(Collectors.toList());
    }

    /** The name of the SMSC that sent an SMS message, or null (not SMS, not submitted, no SMSC). */
    public String smscOf(MessageRecord m) {
        if (m.channel() != ChannelType.SMS || m.providerIds().isEmpty() || smpp.isEmpty()) {
            return null;
        }
        SmsRouter r = router;
        return r != null ? r.smscOf(m.providerIds().get(0)) : smpp.get(0).config().name();
    }

    /** Campaigns whose scheme cannot run, with why. */
    public Map<String, String> problems() {
        return Map.copyOf(problems);
    }

    /** The stores over the node's database (open before any component starts). */
    private synchronized void openStores() {
        if (contacts != null) {
            return;
        }
        var ds = s.database().dataSource();
        runs = new JdbcRunStore(ds);
        schemes = new JdbcSchemeStore(ds, s.clock());
        campaigns = new JdbcCampaignStore(ds, s.clock());
        contacts = new JdbcContactStore(ds);
    }

    @Override
    public Future<Void> start() {
        var ds = s.database().dataSource();
        openStores();
        JdbcStopList stopList = new JdbcStopList(ds, s.clock(), new PhoneNormalizer("US"));
        stopListForViber = stopList;
        List<Channel> channels = new ArrayList<>();
        for (SmscConfig cfg : s.smsc()) {
            SmppChannel ch = new SmppChannel(s.vertx(), cfg, s.env());
            smpp.add(ch);
            boolean sim = s.simulated().contains(cfg.name());
            s.readiness().register("smsc:" + cfg.name(), () -> Future.succeededFuture(smscStatus(ch, cfg, sim)));
        }
        if (smpp.size() == 1) {
            channels.add(new ReplyKeeping(smpp.get(0)));
        } else if (smpp.size() > 1) {
            // several SMSCs: routed by number prefix and weight; each is bound and shown in /ready
            router = new SmsRouter(smpp, new java.util.Random());
            channels.add(new ReplyKeeping(router));
        }
        voice = new VoiceChannel(s.vertx(), ds, s.clock());
        channels.add(voice);
        // chat replies that come in through the channels' own event handlers are kept like SMS replies
        chatChannels().forEach(c -> channels.add(new ReplyKeeping(c)));
        engine = new CascadeEngine(s.vertx(), s.clock(), runs, new DialerStopList(stopList), schemes, channels,
            s.options());
        blockGauge = MultiGauge.builder("outdial.cascade.block")
            .description("cascade counters per scheme and block (sent, delivered, read, replied, goal_reached,"
                + " failed, cancelled, stopped; running and waiting are gauges)").register(s.meters());
        costGauge = MultiGauge.builder("outdial.cascade.cost").baseUnit("minor_units")
            .description("net cascade cost per scheme and block").register(s.meters());
        inbox = new CascadeInbox(ds, s.clock());
        if (leadership != null) {
            // which node of the cluster runs the cascades: every node says whether it is this one
            s.readiness().register("cascade", () -> Future.succeededFuture(DependencyStatus.up(engineRuns
                ? "this node runs the cascades (it holds the cascade lease)"
                : "another node of the cluster runs the cascades; this one hands what reaches it over")));
        }
        return s.vertx().executeBlocking(() -> {
            smpp.forEach(SmppChannel::start);
            return null;
        }, false).compose(v -> leadership == null ? engine.start().onSuccess(x -> engineRuns = true)
            : Future.succeededFuture()).onSuccess(v -> {
            periodic = s.vertx().setPeriodic(1000, id -> (leadership == null ? Future.succeededFuture() : lead())
                .onComplete(ar -> {
                    if (engineRuns) {
                        feed();
                        takeInbox();
                    }
                }));
            LOG.info("cascade: engine started, {} SMSC(s): {}; chat channels: {}", smpp.size(),
                s.smsc().stream().map(SmscConfig::name).collect(Collectors.joining(", ")),
                chatChannels().isEmpty() ? "none" : chatChannels().stream().map(c -> c.type().json())
                    .collect(Collectors.joining(", ")));
        });
    }

    @Override
    public Future<Void> stop() {
        if (periodic >= 0) {
            s.vertx().cancelTimer(periodic);
        }
        Future<Void> e = engine == null || !engineRuns ? Future.succeededFuture() : engine.stop();
        engineRuns = false;
        return e.transform(ar -> Future.join(smpp.stream().map(SmppChannel::stop).collect(Collectors.toList())))
            .eventually(() -> {
                if (whatsApp != null) {
                    whatsApp.close();
                }
                if (viber != null) {
                    viber.close();
                }
                if (webhook != null) {
                    webhook.close();
                }
                return Future.succeededFuture();
            }).mapEmpty();
    }

    /**
     * Pins schemes and starts the runs (of contacts whose dialing ended; of every contact when the scheme starts
     * with a message), reports the calls handed to the dialing that ended, closes held contacts whose run ended;
     * also refreshes the meters.
     */
    public Future<Integer> feed() {
        if (feeding) {
            return Future.succeededFuture(0);
        }
        feeding = true;
        return s.vertx().executeBlocking(this::pinAndList, false).compose(todo -> {
            List<Future<?>> all = new ArrayList<>();
            for (Start st : todo) {
                all.add(engine.startRun(st.runId(), st.campaignId(), st.schemeId(), st.version(), st.recipient())
                    .onFailure(err -> LOG.error("cascade run {} could not start: {}", st.runId(), err.getMessage())));
            }
            return Future.join(all).map(todo.size()).otherwise(todo.size());
        }).compose(n -> s.vertx().executeBlocking(() -> {
            voice.report(voiceWaiting(), (messageId, runId, why) -> engine.failAccepted(runId, messageId, why)
                .onFailure(err -> LOG.error("voice message {} could not fail: {}", messageId, err.toString())));
            refreshMeters();
            return n;
        }, false)).onFailure(err -> LOG.warn("cascade: feeding runs failed; tried again in a second: {}",
            err.toString())).eventually(() -> {
                feeding = false;
                return Future.succeededFuture();
            });
    }

    private record Shape(Map.Entry<String, Integer> pin, boolean messageFirst) { }

    private record Checked(int campaignVersion, Instant createdAt, Map.Entry<String, Integer> pin) { }

    private record Start(String runId, String campaignId, String schemeId, int version, Recipient recipient) { }

    private List<Start> pinAndList() {
        List<Start> out = new ArrayList<>();
        for (CampaignState state : List.of(CampaignState.RUNNING, CampaignState.PAUSED, CampaignState.FINISHED)) {
            for (Campaign c : campaigns.inState(state)) {
                Optional<Map.Entry<String, Integer>> pin = pinOf(c);
                if (pin.isEmpty()) {
                    continue;
                }
                List<Long> ids;
                if (!messageFirst(c.id(), pin.get())) {
                    ids = Rows.list(s.database().dataSource(), "reading dialed contacts without a run",
                        "SELECT c.id FROM contact c WHERE c.campaign_id = ? AND c.state = 'CLOSED' AND NOT EXISTS"
                            + " (SELECT 1 FROM cascade_run r WHERE r.campaign_id = c.campaign_id"
                            + " AND r.recipient_id = CAST(c.id AS VARCHAR(20))) ORDER BY c.id LIMIT " + FEED_BATCH,
                        rs -> rs.getLong(1), c.id());
                } else {
                    closeEndedHeld(c.id());
                    if (state != CampaignState.RUNNING) {
                        continue; // runs start while the campaign runs; those started go on
                    }
                    holdWaiting(c.id());
                    ids = Rows.list(s.database().dataSource(), "reading held contacts without a run",
                        "SELECT id FROM contact WHERE campaign_id = ? AND state IN ('HELD', 'CLOSED')"
                            + JdbcContactStore.VISIBLE + " AND NOT EXISTS (SELECT 1 FROM cascade_run r"
                            + " WHERE r.campaign_id = contact.campaign_id"
                            + " AND r.recipient_id = CAST(contact.id AS VARCHAR(20))) ORDER BY id LIMIT " + FEED_BATCH,
                        rs -> rs.getLong(1), c.id());
                }
                for (long id : ids) {
                    Contact ct = contacts.get(id).orElse(null);
                    if (ct != null) {
                        out.add(new Start(VoiceChannel.runId(c.id(), id), c.id(), pin.get().getKey(),
                            pin.get().getValue(), new Recipient(Long.toString(id), ct.phones().primary(),
                            ct.fields())));
                    }
                }
            }
        }
        return out;
    }

    /** Holds the contacts of a message-first campaign that wait to be dialed and have no run yet. */
    private void holdWaiting(String campaignId) {
        List<Long> ids = Rows.list(s.database().dataSource(), "reading waiting contacts without a run",
            "SELECT id FROM contact WHERE campaign_id = ? AND state = 'WAITING'" + JdbcContactStore.VISIBLE
                + " AND NOT EXISTS (SELECT 1 FROM cascade_run r WHERE r.campaign_id = contact.campaign_id"
                + " AND r.recipient_id = CAST(contact.id AS VARCHAR(20))) ORDER BY id LIMIT " + FEED_BATCH,
            rs -> rs.getLong(1), campaignId);
        ids.forEach(contacts::holdWaiting);
    }

    /**
     * Closes the held contacts whose run ended (so the campaign can finish): stop-listed when the run stopped on the
     * stop-list, else a failure naming where and how the run ended ({@link #notCalled}). They are never dialed.
     */
    private void closeEndedHeld(String campaignId) {
        record Ended(long id, String state, String reason, boolean reachedCall) { }
        List<Ended> ended = Rows.list(s.database().dataSource(), "reading held contacts whose run ended",
            "SELECT c.id, r.state, r.reason, (SELECT COUNT(*) FROM cascade_message v WHERE v.run_id = r.id"
                + " AND v.channel = 'VOICE') FROM contact c JOIN cascade_run r ON r.campaign_id = c.campaign_id"
                + " AND r.recipient_id = CAST(c.id AS VARCHAR(20)) WHERE c.campaign_id = ? AND c.state = 'HELD'"
                + " AND r.state NOT IN ('RUNNING', 'WAITING') ORDER BY c.id LIMIT " + FEED_BATCH,
            rs -> new Ended(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4) > 0), campaignId);
        for (Ended e : ended) {
            DialGate.Closing closing = notCalled(RunState.valueOf(e.state()), e.reason(), e.reachedCall());
            contacts.close(e.id(), closing.result(), closing.reason());
        }
    }

    /**
     * The voice messages (id to run id) accepted for a waiting run whose contact's dialing ended and that have no
     * status yet: {@link VoiceChannel#report} reports them.
     */
    private Map<String, String> voiceWaiting() {
        Map<String, String> out = new LinkedHashMap<>();
        Rows.list(s.database().dataSource(), "reading voice messages whose call ended",
            "SELECT m.id, r.id FROM cascade_run r JOIN cascade_step st ON st.run_id = r.id AND st.seq = r.step"
                + " JOIN cascade_message m ON m.id = st.message_id"
                + " JOIN contact c ON c.id = CAST(r.recipient_id AS BIGINT) AND c.campaign_id = r.campaign_id"
                + " WHERE r.state = 'WAITING' AND m.channel = 'VOICE' AND m.state = 'SUBMITTED'"
                + " AND (m.status IS NULL OR m.status = 'SENT') AND c.state = 'CLOSED'",
            rs -> out.put(rs.getString(1), rs.getString(2)));
        return out;
    }

    /**
     * Lets a picked contact of a campaign whose scheme starts with a message be dialed only while its run waits at
     * the voice block (the run is active and its current step's message is the call): contacts whose run has not
     * reached it yet are held; contacts whose run ended or left the voice block (its decision time ran out, it was
     * cancelled) are closed and never dialed. Given to the node's runners; asked at the pick and before the
     * originate.
     */
    public DialGate dialGate() {
        return new DialGate() {
            @Override
            public Set<Long> held(String campaignId, List<Contact> claimed) {
                return verdict(campaignId, claimed).held();
            }

            @Override
            public Verdict verdict(String campaignId, List<Contact> claimed) {
                return gate(campaignId, claimed);
            }
        };
    }

    private DialGate.Verdict gate(String campaignId, List<Contact> claimed) {
        DialGate.Verdict open = new DialGate.Verdict(Set.of(), Map.of());
        if (contacts == null) {
            openStores(); // the node's runners may pick before this component started (the database is open)
        }
        Shape shape = shapes.get(campaignId);
        Boolean known = shape == null ? null : shape.messageFirst();
        if (known == null) {
            Instant now = s.clock().instant();
            Instant lookedAt = unpinned.get(campaignId);
            if (lookedAt != null && now.isBefore(lookedAt.plus(UNPINNED_LOOK))) {
                return open;
            }
            Campaign c = campaigns.get(campaignId).orElse(null);
            Optional<Map.Entry<String, Integer>> pin = c == null ? Optional.empty() : pinOf(c);
            if (pin.isEmpty()) {
                // no scheme (or one that cannot run): dialed as without; looked at again now and then
                unpinned.put(campaignId, now);
                return open;
            }
            unpinned.remove(campaignId);
            known = messageFirst(campaignId, pin.get());
        }
        if (!known || claimed.isEmpty()) {
            return open;
        }
        Set<Long> held = new HashSet<>();
        Map<Long, DialGate.Closing> closed = new HashMap<>();
        List<Object> runIds = new ArrayList<>();
        claimed.forEach(ct -> {
            held.add(ct.id()); // no run yet: held until it starts and reaches the voice block
            runIds.add(VoiceChannel.runId(campaignId, ct.id()));
        });
        // one query for the batch: each run's state, and whether its current step's message is the call
        Rows.list(s.database().dataSource(), "reading the runs of picked contacts", "SELECT r.recipient_id,"
            + " r.state, r.reason, r.block_id, (SELECT m.channel FROM cascade_step st JOIN cascade_message m"
            + " ON m.id = st.message_id WHERE st.run_id = r.id AND st.seq = r.step),"
            + " (SELECT COUNT(*) FROM cascade_message v WHERE v.run_id = r.id AND v.channel = 'VOICE')"
            + " FROM cascade_run r WHERE r.id IN (" + String.join(", ", Collections.nCopies(runIds.size(), "?"))
            + ")", rs -> {
                long id = Long.parseLong(rs.getString(1));
                RunState state = RunState.valueOf(rs.getString(2));
                boolean atCall = "VOICE".equals(rs.getString(5));
                boolean reachedCall = rs.getLong(6) > 0;
                if (state.active() && atCall) {
                    held.remove(id);
                } else if (!state.active() || reachedCall) {
                    held.remove(id);
                    closed.put(id, notCalled(state, state.active() ? "it went on to block " + rs.getString(4)
                        : rs.getString(3), reachedCall));
                }
                return null;
            }, runIds.toArray());
        return new DialGate.Verdict(held, closed);
    }

    /**
     * How a contact whose run will not be at the voice block again is closed: stop-listed when the run stopped on the
     * stop-list, else a failure naming where and how the run ended.
     */
    static DialGate.Closing notCalled(RunState state, String reason, boolean reachedCall) {
        String name = state.name().toLowerCase(Locale.ROOT);
        String how = state.active() ? reason : name + (reason == null || reason.equals(name) ? "" : ": " + reason);
        String where = reachedCall ? "left the voice block before the call (" : "ended before the voice block (";
        return new DialGate.Closing(state == RunState.STOPPED ? ContactResult.STOP_LISTED : ContactResult.FAILURE,
            "not called: its cascade run " + where + how + ")");
    }

    /** Whether a pinned scheme starts with a message; known once per campaign and pin. */
    private boolean messageFirst(String campaignId, Map.Entry<String, Integer> pin) {
        Shape known = shapes.get(campaignId);
        if (known != null && known.pin().equals(pin)) {
            return known.messageFirst();
        }
        Scheme sc = schemes.get(pin.getKey(), pin.getValue());
        boolean first = sc != null && !isVoice(sc.block(sc.start()));
        shapes.put(campaignId, new Shape(pin, first));
        return first;
    }

    private static boolean isVoice(Block b) {
        return b instanceof Block.ChannelBlock && ((Block.ChannelBlock) b).type() == ChannelType.VOICE;
    }

    /**
     * The campaign's pinned scheme version: pinned at the first look after its start, pinned again when its
     * definition names another {@code scheme} or {@code schemeVersion} than the pin was made for (runs already
     * started keep their version). Read again only when the campaign's row changed.
     */
    private Optional<Map.Entry<String, Integer>> pinOf(Campaign c) {
        Checked checked = checkedPins.get(c.id());
        if (checked != null && checked.campaignVersion() == c.version()
            && checked.createdAt().equals(c.createdAt())) {
            return Optional.of(checked.pin());
        }
        Optional<JdbcSchemeStore.Pin> pinned = schemes.pinOf(c.id());
        CampaignFile def;
        try {
            def = CampaignFile.fromStored(c.id(), c.settings());
        } catch (RuntimeException e) {
            return pinned.map(JdbcSchemeStore.Pin::entry);
        }
        if (def.scheme() == null) {
            // no scheme (any more): a pin made at a start stays, so runs and held contacts go on
            return remember(c, pinned.map(JdbcSchemeStore.Pin::entry));
        }
        if (pinned.isPresent()) {
            JdbcSchemeStore.Pin p = pinned.get();
            if (p.requestedScheme() == null) {
                schemes.adopt(c.id(), def.scheme(), def.schemeVersion()); // a pin made before its definition was kept
                return remember(c, Optional.of(p.entry()));
            }
            if (p.madeFor(def.scheme(), def.schemeVersion())) {
                return remember(c, Optional.of(p.entry()));
            }
        }
        try {
            Map.Entry<String, Integer> want = resolve(def.scheme(), def.schemeVersion());
            Scheme sc = schemes.get(want.getKey(), want.getValue());
            List<String> voiceBlocks = sc.blocks().entrySet().stream().filter(b -> isVoice(b.getValue()))
                .map(Map.Entry::getKey).sorted().collect(Collectors.toList());
            if (voiceBlocks.size() > 1) {
                throw new IllegalArgumentException("scheme " + sc.id() + " v" + sc.version() + " has "
                    + voiceBlocks.size() + " voice blocks (" + String.join(", ", voiceBlocks) + "); a campaign's"
                    + " scheme has at most one voice block, the campaign's dialing: keep \"" + voiceBlocks.get(0)
                    + "\" and remove \"" + String.join("\", \"", voiceBlocks.subList(1, voiceBlocks.size())) + "\"");
            }
            problems.remove(c.id());
            JdbcSchemeStore.Pin now = pinned.isEmpty()
                ? schemes.pinIfAbsent(c.id(), want.getKey(), want.getValue(), def.scheme(), def.schemeVersion())
                : schemes.repin(c.id(), pinned.get(), want.getKey(), want.getValue(), def.scheme(),
                    def.schemeVersion());
            return remember(c, Optional.of(now.entry()));
        } catch (RuntimeException e) {
            String why = e.getMessage() + pinned.map(p -> "; it keeps running scheme " + p.schemeId() + " v"
                + p.version()).orElse("");
            if (!why.equals(problems.put(c.id(), why))) {
                LOG.error("campaign {}: its scheme cannot run: {}", c.id(), why);
            }
            return pinned.map(JdbcSchemeStore.Pin::entry);
        }
    }

    private Optional<Map.Entry<String, Integer>> remember(Campaign c, Optional<Map.Entry<String, Integer>> pin) {
        pin.ifPresent(p -> checkedPins.put(c.id(), new Checked(c.version(), c.createdAt(), p)));
        return pin;
    }

    /** A scheme named by id (stored) or path (a file, stored as a new version when it changed). */
    Map.Entry<String, Integer> resolve(String scheme, int version) {
        if (CampaignFile.isSchemeFile(scheme)) {
            Path p = Path.of(scheme);
            String text;
            try {
                text = Files.readString(p);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("scheme file " + p + " cannot be read: " + e.getMessage());
            }
            SchemeDocuments.Format f = SchemeDocuments.Format.ofFileName(p.getFileName().toString());
            var report = SchemeDocuments.parse(text, f);
            if (!report.isValid()) {
                throw new IllegalArgumentException("scheme file " + p + " is not valid:\n" + report.render());
            }
            JdbcSchemeStore.Saved saved = schemes.save(report.scheme().id(), text, f);
            return Map.entry(saved.version().schemeId(), saved.version().version());
        }
        JdbcSchemeStore.SchemeVersion v = version > 0
            ? schemes.load(scheme, version).orElseThrow(() -> new IllegalArgumentException("scheme " + scheme
                + " has no version " + version))
            : schemes.latestValid(scheme).orElseThrow(() -> new IllegalArgumentException("scheme " + scheme
                + " has no valid version"));
        if (!v.valid()) {
            throw new IllegalArgumentException("scheme " + scheme + " v" + v.version() + " is an invalid draft");
        }
        return Map.entry(v.schemeId(), v.version());
    }

    private void refreshMeters() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<MultiGauge.Row<?>> costs = new ArrayList<>();
        for (String scheme : runs.countedSchemes()) {
            for (Map.Entry<String, Map<Counter, Long>> b : runs.counters(scheme).entrySet()) {
                for (Map.Entry<Counter, Long> c : b.getValue().entrySet()) {
                    rows.add(MultiGauge.Row.of(Tags.of("scheme", scheme, "block", b.getKey(), "counter",
                        c.getKey().name().toLowerCase(Locale.ROOT)), c.getValue()));
                }
            }
            runs.costByBlock(scheme).forEach((block, amount) -> costs.add(MultiGauge.Row.of(Tags.of("scheme", scheme,
                "block", block), amount)));
        }
        blockGauge.register(rows, true);
        costGauge.register(costs, true);
    }

    private static DependencyStatus smscStatus(SmppChannel ch, SmscConfig cfg, boolean simulated) {
        List<BindStatus> binds = ch.status();
        String detail = cfg.host() + ":" + cfg.port() + " " + binds.stream().map(b -> "bind " + b.index() + " "
            + b.state() + (b.lastError() == null ? "" : " (" + b.lastError() + ")") + ", " + b.submitted()
            + " submitted").collect(Collectors.joining("; "));
        if (simulated) {
            return DependencyStatus.simulated("sandbox SMSC " + detail);
        }
        long bound = binds.stream().filter(b -> b.state() == BindStatus.State.BOUND).count();
        if (bound == binds.size() && bound > 0) {
            return DependencyStatus.up(detail);
        }
        // the node still dials while its SMSC is away: SMS wait for a bind (up to submitWait), so it stays ready
        return DependencyStatus.degraded((bound == 0 ? "no bind bound; SMS wait for one: " : "") + detail);
    }

    /** The dialer's stop-list as the engine's: global and campaign lists are checked; STOP replies go global. */
    private static final class DialerStopList implements io.outdial.fallback.engine.StopList {
        private final JdbcStopList list;

        DialerStopList(JdbcStopList list) {
            this.list = list;
        }

        @Override
        public boolean contains(String address) {
            return list.isBlocked(StopList.GLOBAL, address);
        }

        @Override
        public boolean contains(String campaignId, String address) {
            return list.isBlocked(campaignId == null ? StopList.GLOBAL : campaignId, address);
        }

        @Override
        public void add(String address, String reason) {
            list.add(StopList.GLOBAL, address, reason, "cascade");
        }
    }

    /** An SMS channel whose replies are also kept per run (the engine only counts them). */
    private final class ReplyKeeping implements Channel {
        private final Channel inner;

        ReplyKeeping(Channel inner) {
            this.inner = inner;
        }

        @Override
        public ChannelType type() {
            return inner.type();
        }

        @Override
        public Future<Submitted> send(OutboundMessage message) {
            return inner.send(message);
        }

        @Override
        public void events(Handler<ChannelEvent> handler) {
            // the engine's handler when this node runs the cascades, else the inbox of the node that does
            Handler<ChannelEvent> next = e -> {
                if (engineRuns) {
                    handler.handle(e);
                } else {
                    take(e).onFailure(err -> LOG.error("{} event not handed to the cascades' node: {}", e.channel(),
                        err.toString()));
                }
            };
            inner.events(e -> {
                if (e instanceof ChannelEvent.Reply r) {
                    keepReply(r).onComplete(ar -> next.handle(e));
                } else {
                    next.handle(e);
                }
            });
        }
    }

    /**
     * How much messaging fallback of a campaign is left: active runs plus contacts whose dialing ended and whose run
     * has not started yet. Zero once every run ended.
     */
    public Future<Long> pending(String campaignId) {
        return s.vertx().executeBlocking(() -> Rows.count(s.database().dataSource(), "counting pending runs",
            "SELECT COUNT(*) FROM cascade_run WHERE campaign_id = ? AND state IN ('RUNNING', 'WAITING')", campaignId)
            + Rows.count(s.database().dataSource(), "counting contacts without a run", "SELECT COUNT(*) FROM contact c"
            + " WHERE c.campaign_id = ? AND c.state = 'CLOSED' AND NOT EXISTS (SELECT 1 FROM cascade_run r"
            + " WHERE r.campaign_id = c.campaign_id AND r.recipient_id = CAST(c.id AS VARCHAR(20)))", campaignId),
            false);
    }

    /** Counters of a campaign's runs by state (for the API). */
    Map<String, Long> runStates(String campaignId) {
        Map<String, Long> out = new HashMap<>();
        Rows.list(s.database().dataSource(), "counting runs by state", "SELECT state, COUNT(*) FROM cascade_run"
            + " WHERE campaign_id = ? GROUP BY state", rs -> out.put(rs.getString(1), rs.getLong(2)), campaignId);
        return out;
    }
}
