package io.outdial.fallback.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.channel.sms.SmppChannel;
import io.outdial.fallback.channel.sms.SmsRouter;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.outdial.sandbox.smsc.RecipientScript;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.outdial.sandbox.smsc.SubmittedSm;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SMS routed over two sandbox SMSCs on loopback, each through real SMPP sessions. */
class SmsRouterIT {

    private final Vertx vertx = Vertx.vertx();
    private final SandboxSmsc smscA = new SandboxSmsc("outdial", "s3cret");
    private final SandboxSmsc smscB = new SandboxSmsc("outdial", "s3cret");
    private final List<ChannelEvent> events = new CopyOnWriteArrayList<>();
    private SmppChannel a;
    private SmppChannel b;
    private SmsRouter router;

    private void start(List<String> prefixesA, int weightA, List<String> prefixesB, int weightB) throws Exception {
        a = channel("a", smscA.start(), prefixesA, weightA);
        b = channel("b", smscB.start(), prefixesB, weightB);
        router = new SmsRouter(List.of(a, b), new Random(7));
        router.events(events::add);
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.ready() && b.ready());
    }

    private SmppChannel channel(String name, int port, List<String> prefixes, int weight) {
        SmscConfig cfg = SmscConfig.of(name, "127.0.0.1", port, "outdial", "SANDBOX_SMSC_PASSWORD", "Outdial")
                .withBinds(2, 10, 0)
                .withTimers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(50),
                        Duration.ofMillis(400), Duration.ofSeconds(20))
                .withRoute(prefixes, weight);
        return new SmppChannel(vertx, cfg, Map.of("SANDBOX_SMSC_PASSWORD", "s3cret")::get);
    }

    @AfterEach
    void close() {
        Stream.of(a, b).filter(c -> c != null).forEach(c -> c.stop().await());
        smscA.close();
        smscB.close();
        vertx.close().await();
    }

    private static OutboundMessage sms(String id, String to) {
        return new OutboundMessage(id, "run-" + id, "sms", ChannelType.SMS, to, Map.of("text", "hello " + id),
                Map.of(), 10);
    }

    private List<Submitted> sendAll(List<OutboundMessage> ms) {
        List<Future<Submitted>> sends = ms.stream().map(router::send).collect(Collectors.toList());
        await().atMost(Duration.ofSeconds(60)).until(() -> sends.stream().allMatch(Future::isComplete));
        assertThat(sends).allMatch(Future::succeeded);
        return sends.stream().map(Future::result).collect(Collectors.toList());
    }

    private List<String> delivered() {
        return events.stream().filter(e -> e instanceof ChannelEvent.StatusReport)
                .map(e -> (ChannelEvent.StatusReport) e).filter(r -> r.status() == Status.DELIVERED)
                .map(ChannelEvent.StatusReport::providerId).collect(Collectors.toList());
    }

    @Test
    void prefixRoutesFrenchNumbersToAAndOthersToB() throws Exception {
        start(List.of("+33"), 1, List.of(), 1);
        List<OutboundMessage> ms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ms.add(sms("fr" + i, "+3361234000" + i));
            ms.add(sms("us" + i, "+1555010000" + i));
        }
        List<Submitted> sent = sendAll(ms);
        assertThat(smscA.submitted()).extracting(SubmittedSm::dest).hasSize(10).allMatch(d -> d.startsWith("+33"));
        assertThat(smscB.submitted()).extracting(SubmittedSm::dest).hasSize(10).allMatch(d -> d.startsWith("+1"));
        for (int i = 0; i < ms.size(); i++) {
            String smsc = ms.get(i).to().startsWith("+33") ? "a" : "b";
            assertThat(router.smscOf(sent.get(i).providerIds().get(0))).isEqualTo(smsc);
        }
        // both sandboxes number their messages from the same start: the ids collide, the router's keys do not
        // (the order of the submitted lists follows arrival on several sessions, not numbering: compare as sets)
        assertThat(smscA.submitted()).extracting(SubmittedSm::messageId)
                .containsAnyElementsOf(smscB.submitted().stream().map(SubmittedSm::messageId).toList());
        List<String> ids = sent.stream().map(s -> s.providerIds().get(0)).collect(Collectors.toList());
        assertThat(ids).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered().containsAll(ids));
    }

    @Test
    void weightsSpreadMessagesAmongEqualMatches() throws Exception {
        start(List.of(), 3, List.of(), 1);
        List<OutboundMessage> ms = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ms.add(sms("m" + i, "+4477009" + String.format("%05d", i)));
        }
        sendAll(ms);
        assertThat(smscA.submitted().size() + smscB.submitted().size()).isEqualTo(200);
        // 150 : 50 expected at 3:1; a loose band
        assertThat(smscA.submitted().size()).isBetween(120, 180);
    }

    @Test
    void smscWithoutBoundSessionsIsSkippedAndNothingIsSentTwice() throws Exception {
        start(List.of("+33"), 1, List.of(), 1);
        smscA.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> !a.ready());
        List<OutboundMessage> ms = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ms.add(sms("m" + i, "+336120000" + String.format("%02d", i)));
        }
        List<Submitted> sent = sendAll(ms);
        assertThat(sent).allMatch(s -> router.smscOf(s.providerIds().get(0)).equals("b"));
        assertThat(smscB.submitted()).extracting(SubmittedSm::dest).hasSize(30).doesNotHaveDuplicates();
        List<String> ids = sent.stream().map(s -> s.providerIds().get(0)).collect(Collectors.toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered().containsAll(ids));
    }

    @Test
    void throttledFirstPartGoesToTheNextSmscOnce() throws Exception {
        start(List.of("+33"), 1, List.of(), 1);
        smscA.faults().throttleNext(5);
        List<OutboundMessage> ms = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ms.add(sms("t" + i, "+3361300000" + i));
        }
        for (OutboundMessage m : ms) {
            sendAll(List.of(m));
        }
        assertThat(smscA.submitted()).isEmpty();
        assertThat(smscB.submitted()).extracting(SubmittedSm::dest).hasSize(5).doesNotHaveDuplicates();
        // A takes again once it stops throttling
        sendAll(List.of(sms("after", "+33613000009")));
        assertThat(smscA.submitted()).extracting(SubmittedSm::dest).containsExactly("+33613000009");
    }

    @Test
    void refusalIsNotPassedOn() throws Exception {
        start(List.of("+33"), 1, List.of(), 1);
        smscA.script("+33613999999", RecipientScript.refuse(0x0B));
        assertThatThrownBy(() -> router.send(sms("r", "+33613999999")).await())
                .isInstanceOfSatisfying(SendException.class,
                        e -> assertThat(e.reason()).isEqualTo(SendException.Reason.REJECTED));
        assertThat(smscB.submitted()).isEmpty();
    }

    @Test
    void numberNoSmscServesFailsAsInvalid() throws Exception {
        start(List.of("+33"), 1, List.of("+44"), 1);
        assertThatThrownBy(() -> router.send(sms("x", "+15550100")).await())
                .isInstanceOfSatisfying(SendException.class,
                        e -> assertThat(e.reason()).isEqualTo(SendException.Reason.INVALID));
    }

    @Test
    void repliesComeThroughFromEachSmsc() throws Exception {
        start(List.of("+33"), 1, List.of(), 1);
        smscA.sendMo("+33612000001", "Outdial", "oui");
        smscB.sendMo("+15550100", "Outdial", "yes");
        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream()
                .filter(e -> e instanceof ChannelEvent.Reply).count() == 2);
        assertThat(events.stream().filter(e -> e instanceof ChannelEvent.Reply).map(e -> ((ChannelEvent.Reply) e)
                .text())).containsExactlyInAnyOrder("oui", "yes");
    }
}
