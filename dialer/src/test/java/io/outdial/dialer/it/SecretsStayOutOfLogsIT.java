package io.outdial.dialer.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.dialing.CampaignOwnership;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.SqlCount;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.sms.SmppChannel;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node with an ARI password, a database password (in its config and in its JDBC URL) and an SMSC password runs a
 * stored IVR flow on real calls through the sandbox PBX, answers the API (a definition with an Asterisk password, a
 * bad definition, {@code /ready}) and sends an SMS over SMPP; every line logged, at DEBUG for the project's own
 * loggers, holds none of the secrets.
 */
class SecretsStayOutOfLogsIT {
    static final String ARI_PASSWORD = "ariPw-" + UUID.randomUUID();
    static final String DB_PASSWORD = "dbPw-" + UUID.randomUUID();
    static final String DB_URL_PASSWORD = "dbUrlPw-" + UUID.randomUUID();
    /** SMPP passwords are at most 8 characters. */
    static final String SMSC_PASSWORD = "S" + UUID.randomUUID().toString().substring(0, 7);
    static final String DEFINITION_PASSWORD = "defPw-" + UUID.randomUUID();
    static final List<String> SECRETS = List.of(ARI_PASSWORD, DB_PASSWORD, DB_URL_PASSWORD, SMSC_PASSWORD,
        DEFINITION_PASSWORD);

    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private DialerApp app;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger project = (Logger) LoggerFactory.getLogger("io.outdial");
    private Level projectLevel;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 90);
        }
        if (pbx != null) {
            Await.result(pbx.close());
        }
        Await.result(pbxVertx.close());
        root.detachAppender(logged);
        project.setLevel(projectLevel);
    }

    @Test
    @Timeout(120)
    void noConfiguredSecretIsEverLogged() throws Exception {
        projectLevel = project.getLevel();
        project.setLevel(Level.DEBUG);
        logged.start();
        root.addAppender(logged);

        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", ARI_PASSWORD))
            .await();
        pbx.scripts().register(".*", CalleeScript.answerAfter(Duration.ofMillis(300))
            .withDigits(Duration.ofMillis(500), "1"));
        String url = EmbeddedPostgres.get().createDatabase() + "?password=" + DB_URL_PASSWORD;
        app = DialerApp.create(TestConfigs.local(dataDir)
            .withDatabase(new DatabaseConfig(url, "postgres", DB_PASSWORD, dataDir.toString(), 4,
                Duration.ofSeconds(5)))
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer",
                ARI_PASSWORD, "dialer")))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                50, 100, Duration.ofSeconds(30), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200))));
        IvrWiring ivr = Wiring.ivr(app);
        CampaignRunners runners = Wiring.campaignRunners(app, CampaignOwnership.local(),
            CampaignRunners.FlowSource.stored(app.vertx(), ivr));
        app.add(runners).add(Wiring.api(app, runners));
        Await.result(app.start());

        String flow;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("demo/flow-demo.yaml")) {
            flow = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(ivr.store().save("demo-survey", flow, FlowDocuments.Format.YAML).valid()).isTrue();

        // the API: a definition holding a password, read back; a bad one naming the password field
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Bearer " + io.outdial.dialer.support.TestAuth.adminToken(app);
        String base = "http://127.0.0.1:" + app.httpPort() + "/api/v1";
        String def = new ObjectMapper().writeValueAsString(Map.of("id", "c1", "trunk", Map.of("name", "carrier"),
            "limits", Map.of("lines", 4), "region", "FR", "flowId", "demo-survey",
            "asterisk", Map.of("url", "http://127.0.0.1:" + pbx.port(), "username", "dialer",
                "password", DEFINITION_PASSWORD)));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/campaigns"))
            .header("Content-Type", "application/json").header("Authorization", auth)
            .POST(HttpRequest.BodyPublishers.ofString(def)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/campaigns"))
            .header("Content-Type", "application/json").header("Authorization", auth)
            .POST(HttpRequest.BodyPublishers.ofString(
                def.replace("\"c1\"", "\"c2\"").replace("\"" + DEFINITION_PASSWORD + "\"", "[\""
                    + DEFINITION_PASSWORD + "\"]"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        String ready = Http.get(app.httpPort(), "/ready").body();
        String shown = Http.get(app.httpPort(), "/api/v1/campaigns/c1", auth.substring("Bearer ".length()))
            .body();
        for (String answer : List.of(created.body(), bad.body(), ready, shown)) {
            for (String secret : SECRETS) {
                assertThat(answer).doesNotContain(secret);
            }
        }

        // the flow runs on two real calls
        var ds = app.database().dataSource();
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            list.add(new JdbcContactStore.NewContact("c1", "k" + i, new PhoneSet(List.of(new Phone("mobile",
                String.format("+3361234%04d", i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null,
                Instant.now().minusSeconds(1)));
        }
        new JdbcContactStore(ds).insertAll(list);
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
        store.moveTo(store.get("c1").orElseThrow(), CampaignState.RUNNING, "test");
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
            assertThat(SqlCount.of(app.database(), "SELECT COUNT(*) FROM call_records WHERE campaign_id = 'c1'"
                + " AND state = 'ENDED' AND flow_result LIKE '%interested%'")).isEqualTo(2));

        // an SMS over SMPP, bound with the SMSC password
        SandboxSmsc smsc = new SandboxSmsc("outdial", SMSC_PASSWORD);
        Vertx smsVertx = Vertx.vertx();
        try {
            int port = smsc.start();
            SmppChannel channel = new SmppChannel(smsVertx, SmscConfig.of("sandbox", "127.0.0.1", port, "outdial",
                "SMSC_PASSWORD", "Outdial").withBinds(1, 10, 0).withTimers(Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(30)),
                Map.of("SMSC_PASSWORD", SMSC_PASSWORD)::get);
            channel.start();
            await().atMost(Duration.ofSeconds(20)).until(channel::ready);
            assertThat(channel.send(new OutboundMessage("m1", "run-1", "sms", ChannelType.SMS, "+33612340000",
                Map.of("text", "hello"), Map.of(), 10)).await().providerIds()).isNotEmpty();
            channel.stop().await();
        } finally {
            smsc.close();
            smsVertx.close().await();
        }
        // a bind password longer than SMPP allows is refused without being quoted (the SMPP library would log it)
        String tooLong = "smscTooLong-" + UUID.randomUUID();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SmscConfig.of("sandbox", "127.0.0.1", 2775, "outdial",
            "SMSC_PASSWORD", "Outdial").password(Map.of("SMSC_PASSWORD", tooLong)::get))
            .hasMessageContaining("at most 8").hasMessageNotContaining(tooLong);
        Await.result(app.stop(), 90);
        app = null;

        List<ILoggingEvent> events = new ArrayList<>(logged.list);
        assertThat(events).as("the run was logged").hasSizeGreaterThan(20);
        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent e : events) {
            String line = e.getLoggerName() + " " + e.getFormattedMessage() + " " + throwable(e.getThrowableProxy());
            if (SECRETS.stream().anyMatch(line::contains)) {
                leaks.add(line);
            }
        }
        assertThat(leaks).as("logged lines holding a secret").isEmpty();
    }

    private static String throwable(IThrowableProxy t) {
        StringBuilder sb = new StringBuilder();
        for (IThrowableProxy p = t; p != null; p = p.getCause()) {
            sb.append(p.getClassName()).append(": ").append(p.getMessage()).append(' ');
        }
        return sb.toString();
    }
}
