package io.outdial.dialer.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outdial.dialer.cascade.CascadeComponent;
import io.outdial.dialer.demo.DemoSetup;
import io.outdial.dialer.ready.Readiness;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.sandbox.smsc.RecipientScript;
import io.outdial.sandbox.smsc.SandboxSmsc;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.dialing.CampaignRunner;
import io.outdial.dialer.dialing.DialGate;
import io.outdial.dialer.reporting.Reports;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactImporter;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.ImportReport;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.ivr.tts.TtsRegistry;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.node.EventLoops;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One headless run of a campaign file (see {@link RunCommand}). */
final class HeadlessRun {
    private static final Logger LOG = LoggerFactory.getLogger(HeadlessRun.class);
    private static final String APP = "dialer";
    /** The run's import pool: reads the contact file ahead of the database writer. */
    private static final ExecutorService IMPORT_READERS = Executors.newCachedThreadPool(
        Wiring.threads("outdial-import"));

    private final CampaignFile file;
    private final Path results;
    private final Path data;
    private final CommandContext ctx;
    private final String id;
    /** Counted down when everything is closed (the database flushed): the shutdown hook waits for it. */
    private final CountDownLatch cleaned = new CountDownLatch(1);

    HeadlessRun(CampaignFile file, Path results, Path data, CommandContext ctx) {
        this.file = file;
        this.results = results;
        this.data = data;
        this.ctx = ctx;
        this.id = file.settings().campaignId();
    }

    int run() {
        FlowRunner flow;
        try {
            flow = file.loadFlow();
        } catch (RuntimeException e) {
            ctx.err().println("outdial run: " + e.getMessage());
            return Command.USAGE;
        }
        Vertx vertx = Vertx.vertx();
        JdbcConnectionPool pool = null;
        SandboxPbx pbx = null;
        TelephonyComponent telephony = null;
        RunMedia media = null;
        CascadeComponent cascade = null;
        SandboxSmsc smsc = null;
        WorkerExecutor worker = vertx.createSharedWorkerExecutor("outdial-run", 4);
        try {
            Files.createDirectories(data);
            pool = JdbcConnectionPool.create(DatabaseConfig.h2FileUrl(data.resolve("outdial")),
                    DatabaseConfig.H2_USER, DatabaseConfig.H2_PASSWORD);
            pool.setMaxConnections(16);
            Database.migrate(pool);
            Clock clock = Clock.systemUTC();
            AriServerConfig ari;
            if (file.asterisk() == null) {
                pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withTimeScale(file.timeScale())).await();
                ari = new AriServerConfig("sandbox", "http://127.0.0.1:" + pbx.port(), "dialer", "dialer", APP);
                if (file.timeScale() != 1.0) {
                    clock = CampaignRunner.virtualClock(Instant.now(), file.timeScale());
                }
                ctx.err().println("No Asterisk configured: dialing the embedded sandbox PBX (SIMULATED calls) on "
                        + pbx.ariBaseUrl() + (file.timeScale() != 1.0 ? ", time x" + file.timeScale() : ""));
            } else {
                CampaignFile.Asterisk a = file.asterisk();
                ari = new AriServerConfig("asterisk", a.url(), a.username(), a.password(), a.app());
                ctx.err().println("Dialing through Asterisk " + a.url() + " (app " + a.app() + ")");
            }
            // say nodes: TTS rendered here and served over HTTP to the PBX (sound:http://...), as on a server node
            media = RunMedia.start(vertx, data, file.asterisk(), TtsRegistry::defaults);
            // the server, its call engine and trunk health as on a server node: endpoint state and the call-result
            // breaker; the endpoint subscription also brings the events of AMD calls that fail before their own
            // subscription (docs/telephony.md). No database: the runner writes the call records.
            telephony = TelephonyComponent.oneServer(vertx, clock, ari, file.trunk())
                .usePromptResolver(media.resolver());
            if (pbx != null && file.timeScale() != 1.0) {
                // gather and record timeouts follow the sandbox's virtual time, as its callees do
                telephony.useFlowTimeScale(file.timeScale());
            }
            telephony.start().await();
            Trunk trunk = telephony.trunk(file.trunk().name()).orElseThrow();
            awaitEndpoint(telephony, ari.name(), trunk);
            if (!prepare(pool, clock)) {
                Reports.resultsCsv(pool, id, results);
                ctx.err().println("Campaign " + id + " is already finished; results in " + results);
                return Command.OK;
            }
            JdbcConnectionPool ds = pool;
            TelephonyComponent calls = telephony;
            Database db = Database.open(vertx, ds, "H2 file database in " + data, 4);
            if (file.scheme() != null) {
                // before the runner: a scheme that starts with a message holds each contact until its run calls
                cascade = startCascade(vertx, db);
                smsc = sandboxSmsc;
            }
            DialGate gate = cascade == null ? DialGate.OPEN : cascade.dialGate();
            CampaignRunner runner = CampaignRunner.alone(vertx, EventLoops.fresh(vertx).await(), worker, db,
                    calls.telephony().orElseThrow().engines(), calls::trunkHealth, trunk, file.settings(), flow, clock,
                    file.region(), "headless", gate).await();
            return dial(vertx, pool, runner, new JdbcContactStore(db.dataSource()),
                    new JdbcCampaignStore(db.dataSource(), clock), clock);
        } catch (Exception e) {
            LOG.error("campaign {}: run failed: {}", id, e.toString(), e);
            ctx.err().println("outdial run: " + e.getMessage());
            return Command.FAILED;
        } finally {
            if (cascade != null) {
                cascade.stop().await();
            }
            if (smsc != null) {
                smsc.close();
            }
            if (telephony != null) {
                telephony.stop().await();
            }
            if (media != null) {
                media.stop().await();
            }
            if (pbx != null) {
                pbx.close().await();
            }
            worker.close();
            vertx.close().await();
            if (pool != null) {
                pool.dispose();
            }
            cleaned.countDown();
        }
    }

    /** The sandbox SMSC this run started, or null. */
    private SandboxSmsc sandboxSmsc;
    /** The run's messaging fallback, or null when the campaign has no scheme. */
    private CascadeComponent fallback;

    /** The cascade engine over the run's database; the sandbox SMSC when the campaign file has no smsc section. */
    private CascadeComponent startCascade(Vertx vertx, Database db) throws Exception {
        List<SmscConfig> smscs = file.smsc();
        Function<String, String> env = ctx.env()::get;
        List<String> simulated = List.of();
        PricePlan prices = PricePlan.free();
        if (smscs.isEmpty()) {
            String password = UUID.randomUUID().toString().substring(0, 8);
            sandboxSmsc = new SandboxSmsc("outdial", password);
            sandboxSmsc.scriptByNumber(HeadlessRun::sandboxSms);
            int port = sandboxSmsc.start();
            smscs = List.of(SmscConfig.of(DemoSetup.DEMO_SMSC, "127.0.0.1", port, "outdial",
                "OUTDIAL_SANDBOX_SMSC_PASSWORD", "Outdial"));
            env = name -> password;
            simulated = List.of(DemoSetup.DEMO_SMSC);
            prices = DemoSetup.DEMO_PRICES;
            ctx.err().println("No SMSC configured: messaging fallback sends SMS to the embedded sandbox SMSC (SIMULATED:"
                + " undeliverable to numbers whose next-to-last digit is 9, delivered to the others) on 127.0.0.1:"
                + port + "; demo prices: " + prices.price(ChannelType.SMS) + " per SMS part");
        } else {
            ctx.err().println("Messaging fallback sends SMS through SMSC " + smscs.stream().map(c -> c.name() + " ("
                + c.host() + ":" + c.port() + (c.prefixes().isEmpty() ? "" : ", " + String.join(" ", c.prefixes()))
                + ")").collect(java.util.stream.Collectors.joining(", ")));
        }
        CascadeComponent c = new CascadeComponent(new CascadeComponent.Services(vertx, db, Clock.systemUTC(),
            new Readiness(Duration.ofSeconds(3)), new SimpleMeterRegistry(), smscs, env, simulated,
            EngineOptions.defaults().withPrices(prices)));
        c.start().await();
        fallback = c;
        return c;
    }

    /**
     * What the embedded sandbox SMSC does with an SMS to {@code number}: undeliverable (after 200 ms) when the
     * number's next-to-last digit is 9, so a scheme that starts with an SMS has contacts to fall back to a call for
     * (their last digit still decides how the sandbox PBX answers); null (delivered) otherwise.
     */
    static RecipientScript sandboxSms(String number) {
        return number.length() >= 2 && number.charAt(number.length() - 2) == '9'
            ? RecipientScript.undeliverable(Duration.ofMillis(200)) : null;
    }

    /** Waits until every contact whose dialing ended has walked its scheme to the end (or the run is interrupted). */
    private void awaitFallback(Promise<String> outcome) throws InterruptedException {
        long shown = 0;
        while (!outcome.future().isComplete()) {
            fallback.feed().await();
            long pending = fallback.pending(id).await();
            if (pending == 0) {
                return;
            }
            if (System.nanoTime() - shown > 5_000_000_000L) {
                ctx.err().println("Messaging fallback: " + pending + " contact(s) still on their way through the scheme");
                shown = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    private int dial(Vertx vertx, JdbcConnectionPool pool, CampaignRunner runner, JdbcContactStore contacts,
                     JdbcCampaignStore store, Clock clock) throws InterruptedException {
        Promise<String> outcome = Promise.promise();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            ctx.err().println();
            ctx.err().println("Interrupted: pausing, live calls finish first...");
            runner.pause().onComplete(x -> outcome.tryComplete("paused"));
            try {
                cleaned.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "outdial-run-sigint");
        if (ctx.installShutdownHook()) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        ProgressLine progress = new ProgressLine(ctx.err(), System.console() != null && ctx.err() == System.err);
        long timer = vertx.setPeriodic(progress.tty() ? 500 : 5000, t -> vertx.executeBlocking(
                () -> contacts.counts(id, clock.instant()))
                .onSuccess(counts -> progress.show(counts, runner.whyNotJson().getString("message"),
                        runner.statsJson().getInteger("attemptsEnded"))));
        try {
            runner.start().await();
            Promise<String> dialed = Promise.promise();
            runner.finished().onComplete(x -> dialed.tryComplete("finished"));
            dialed.future().onComplete(x -> {
                if (fallback == null) {
                    outcome.tryComplete("finished");
                }
            });
            if (fallback != null) {
                dialed.future().toCompletionStage().toCompletableFuture().join();
                awaitFallback(outcome);
                outcome.tryComplete("finished");
            }
            String how = outcome.future().toCompletionStage().toCompletableFuture().join();
            vertx.cancelTimer(timer);
            progress.show(contacts.counts(id, clock.instant()), runner.whyNotJson().getString("message"),
                    runner.statsJson().getInteger("attemptsEnded"));
            progress.end();
            if (how.equals("paused")) {
                store.get(id).filter(c -> c.state() == CampaignState.RUNNING)
                        .ifPresent(c -> store.moveTo(c, CampaignState.PAUSED, "interrupted (Ctrl-C)"));
            }
            int rows = Reports.resultsCsv(pool, id, results);
            ctx.err().println((how.equals("paused") ? "Paused; run the same command again to resume. "
                    : "Campaign finished. ") + rows + " contacts written to " + results);
            return Command.OK;
        } finally {
            if (ctx.installShutdownHook() && !interrupted.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    LOG.debug("shutdown in progress: {}", e.getMessage());
                }
            }
        }
    }

    /** Waits (up to 3 s) until the trunk's endpoint subscription is in place, so early AMD failures are seen. */
    private void awaitEndpoint(TelephonyComponent telephony, String server, Trunk trunk) throws InterruptedException {
        if (trunk.config().fixedEndpoint().isEmpty() || !telephony.telephony().orElseThrow().anyReady()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!telephony.subscribed(server, trunk.name()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        telephony.trunkHealth().down(server, trunk.name()).ifPresent(why -> ctx.err().println("Trunk " + trunk.name()
                + " looks down: " + why));
    }

    /** Creates and imports the campaign the first time, resumes it later; false when it is already finished. */
    private boolean prepare(JdbcConnectionPool ds, Clock clock) {
        // the data directory is this process's alone (H2 locks it): an unfinished import is one killed earlier
        int dead = new ContactImporter(ds, clock, new PhoneNormalizer(file.region()), IMPORT_READERS)
            .cleanupAbandoned(clock.instant());
        if (dead > 0) {
            ctx.err().println("Removed " + dead + " unfinished contact import(s) of an earlier run that was killed");
        }
        JdbcCampaignStore store = new JdbcCampaignStore(ds, clock);
        Campaign c = store.get(id).orElse(null);
        if (c == null) {
            store.create(file.draft(clock.instant()));
            c = store.get(id).orElseThrow();
        }
        switch (c.state()) {
            case DRAFT:
            case SCHEDULED:
                importContacts(ds, clock);
                store.moveTo(c, CampaignState.RUNNING, "headless run");
                return true;
            case PAUSED:
                ctx.err().println("Resuming campaign " + id + " (paused earlier)");
                store.moveTo(c, CampaignState.RUNNING, "headless run resumed");
                return true;
            case RUNNING:
                ctx.err().println("Resuming campaign " + id + " (the last run did not stop cleanly)");
                return true;
            default:
                return false;
        }
    }

    private void importContacts(JdbcConnectionPool ds, Clock clock) {
        PhoneNormalizer normalizer = new PhoneNormalizer(file.region());
        JdbcStopList stop = new JdbcStopList(ds, clock, normalizer);
        boolean tty = System.console() != null && ctx.err() == System.err;
        long[] shown = {System.nanoTime()};
        String name = file.contacts().getFileName().toString();
        ImportReport r = new ContactImporter(ds, clock, normalizer, IMPORT_READERS).importFile(id, file.contacts(),
                file.columns(),
                stop.snapshot(id), (read, imported, rejected) -> {
                    // long files show progress: every second on a terminal, every 5 s in a log
                    long now = System.nanoTime();
                    if (now - shown[0] < (tty ? 1_000_000_000L : 5_000_000_000L)) {
                        return;
                    }
                    shown[0] = now;
                    String line = "Importing " + name + ": " + read + " rows read, " + imported + " imported, "
                            + rejected + " rejected";
                    if (tty) {
                        ctx.err().print("\r" + line + "\u001b[K");
                        ctx.err().flush();
                    } else {
                        ctx.err().println(line);
                    }
                });
        if (tty) {
            ctx.err().print("\r\u001b[K");
        }
        ctx.err().println("Imported " + file.contacts().getFileName() + ": " + r.imported() + " contacts, "
                + r.merged() + " merged, " + r.stopListed() + " stop-listed, " + r.rejected() + " rejected");
        for (ImportReport.Rejection rej : r.firstRejections()) {
            ctx.err().println("  row " + rej.row() + ": " + rej.reason());
        }
    }
}
