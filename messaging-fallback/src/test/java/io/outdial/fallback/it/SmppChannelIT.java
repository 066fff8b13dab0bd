package io.outdial.fallback.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.channel.sms.BindStatus;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.outdial.sandbox.smsc.RecipientScript;
import io.outdial.sandbox.smsc.SubmittedSm;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SMPP channel against the sandbox SMSC over a real SMPP session on loopback. */
class SmppChannelIT {

    private SmscFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private static OutboundMessage sms(String id, String to, String text) {
        return new OutboundMessage(id, "run-" + id, "sms", ChannelType.SMS, to, Map.of("text", text), Map.of(), 10);
    }

    private List<ChannelEvent.StatusReport> statuses(String providerId) {
        return f.events.stream().filter(e -> e instanceof ChannelEvent.StatusReport)
                .map(e -> (ChannelEvent.StatusReport) e).filter(r -> r.providerId().equals(providerId))
                .collect(Collectors.toList());
    }

    @Test
    void deliveredMessageGetsItsReceipt() throws Exception {
        f = new SmscFixture(c -> c);
        Submitted s = f.channel.send(sms("m1", "+79000000001", "Hello {}")).await();
        assertThat(s.segments()).isEqualTo(1);
        await().until(() -> statuses(s.providerIds().get(0)).size() == 1);
        assertThat(statuses(s.providerIds().get(0)).get(0).status()).isEqualTo(Status.DELIVERED);
        SubmittedSm at = f.smsc.submitted().get(0);
        assertThat(at.text()).isEqualTo("Hello {}");
        assertThat(at.dataCoding()).isZero();
        assertThat(at.source()).isEqualTo("Outdial");
    }

    @Test
    void scriptsBecomeTheMatchingStatusesWithErrorCodes() throws Exception {
        f = new SmscFixture(c -> c);
        f.smsc.script("+1", RecipientScript.undeliverable(Duration.ofMillis(10)));
        f.smsc.script("+2", RecipientScript.expire(Duration.ofMillis(10)));
        f.smsc.script("+3", RecipientScript.reject(Duration.ofMillis(10)));
        String u = f.channel.send(sms("a", "+1", "x")).await().providerIds().get(0);
        String e = f.channel.send(sms("b", "+2", "x")).await().providerIds().get(0);
        String r = f.channel.send(sms("c", "+3", "x")).await().providerIds().get(0);
        await().until(() -> statuses(u).size() + statuses(e).size() + statuses(r).size() == 3);
        assertThat(statuses(u).get(0).status()).isEqualTo(Status.UNDELIVERED);
        assertThat(statuses(u).get(0).error()).isEqualTo("001");
        assertThat(statuses(e).get(0).status()).isEqualTo(Status.EXPIRED);
        assertThat(statuses(r).get(0).status()).isEqualTo(Status.REJECTED);
        assertThat(statuses(r).get(0).error()).isEqualTo("006");
    }

    @Test
    void longCyrillicMessageGoesAsConcatenatedUcs2Parts() throws Exception {
        f = new SmscFixture(c -> c);
        String text = "Здравствуйте! ".repeat(11); // 154 UCS-2 units: 3 parts of at most 67
        Submitted s = f.channel.send(sms("m1", "+79000000002", text)).await();
        assertThat(s.segments()).isEqualTo(3);
        assertThat(s.providerIds()).hasSize(3).doesNotHaveDuplicates();
        List<SubmittedSm> parts = f.smsc.submitted();
        assertThat(parts).extracting(SubmittedSm::seq).containsExactly(1, 2, 3);
        assertThat(parts).extracting(SubmittedSm::total).containsOnly(3);
        assertThat(parts).extracting(SubmittedSm::dataCoding).containsOnly(8);
        assertThat(parts.stream().map(SubmittedSm::reference).distinct()).hasSize(1);
        assertThat(parts.stream().map(SubmittedSm::text).collect(Collectors.joining())).isEqualTo(text);
        await().until(() -> s.providerIds().stream().allMatch(id -> statuses(id).size() == 1));
    }

    @Test
    void replyFromTheRecipientComesBackAsAReply() throws Exception {
        f = new SmscFixture(c -> c);
        f.smsc.script("+79000000003", RecipientScript.replyWith("Да, приду", Duration.ofMillis(10)));
        f.channel.send(sms("m1", "+79000000003", "Придёте?")).await();
        await().until(() -> f.events.stream().anyMatch(e -> e instanceof ChannelEvent.Reply));
        ChannelEvent.Reply r = (ChannelEvent.Reply) f.events.stream().filter(e -> e instanceof ChannelEvent.Reply)
                .findFirst().orElseThrow();
        assertThat(r.from()).isEqualTo("+79000000003");
        assertThat(r.to()).isEqualTo("Outdial");
        assertThat(r.text()).isEqualTo("Да, приду");
    }

    @Test
    void duplicateAndEarlyReceiptsAreReportedAsTheyCome() throws Exception {
        f = new SmscFixture(c -> c);
        f.smsc.script("+10", RecipientScript.receiptTwice(Duration.ofMillis(10)));
        f.smsc.script("+11", RecipientScript.receiptBeforeResponse());
        String twice = f.channel.send(sms("a", "+10", "x")).await().providerIds().get(0);
        String early = f.channel.send(sms("b", "+11", "x")).await().providerIds().get(0);
        // the early receipt was handed over before the submit completed
        assertThat(statuses(early)).hasSize(1);
        await().until(() -> statuses(twice).size() == 2);
    }

    @Test
    void throttledSubmitIsRetriedAndAcceptedOnce() throws Exception {
        f = new SmscFixture(c -> c);
        f.smsc.faults().throttleNext(3);
        f.channel.send(sms("m1", "+12", "x")).await();
        assertThat(f.smsc.submitted()).hasSize(1);
    }

    @Test
    void refusedSubmitFailsAsRejected() throws Exception {
        f = new SmscFixture(c -> c);
        f.smsc.script("+13", RecipientScript.refuse(0x0B));
        assertThatThrownBy(() -> f.channel.send(sms("m1", "+13", "x")).await())
                .isInstanceOfSatisfying(SendException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SendException.Reason.REJECTED);
                    assertThat(e.getMessage()).contains("0x0000000b");
                });
    }

    @Test
    void smscUnbindingMidRunLosesNothingAndDuplicatesNothing() throws Exception {
        f = new SmscFixture(c -> c.withBinds(2, 5, 100));
        List<Future<Submitted>> sends = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sends.add(f.channel.send(sms("m" + i, "+7900100" + String.format("%04d", i), "message " + i)));
        }
        await().until(() -> f.smsc.submitted().size() >= 15);
        f.smsc.faults().unbindAll();
        await().atMost(Duration.ofSeconds(30)).until(() -> sends.stream().allMatch(Future::isComplete));
        assertThat(sends).allMatch(Future::succeeded);
        List<String> dests = f.smsc.submitted().stream().map(SubmittedSm::dest).collect(Collectors.toList());
        assertThat(dests).hasSize(60).doesNotHaveDuplicates();
        assertThat(f.smsc.binds()).isGreaterThanOrEqualTo(3);
        assertThat(f.channel.status()).extracting(BindStatus::rebinds).allMatch(n -> n >= 1);
        assertThat(f.channel.status()).extracting(BindStatus::state).containsOnly(BindStatus.State.BOUND);
        // every receipt arrives, also for messages submitted before the unbind
        Set<String> ids = new HashSet<>();
        sends.forEach(s -> ids.addAll(s.result().providerIds()));
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> !statuses(id).isEmpty()));
    }

    @Test
    void unansweredEnquireLinkMakesTheChannelBindAgain() throws Exception {
        f = new SmscFixture(c -> c.withTimers(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofSeconds(30)));
        int before = f.smsc.binds();
        f.smsc.faults().silenceEnquireLink(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> f.smsc.binds() > before);
        f.smsc.faults().clear();
        await().atMost(Duration.ofSeconds(10)).until(f.channel::ready);
        f.channel.send(sms("m1", "+14", "after")).await();
        assertThat(f.smsc.submitted()).extracting(SubmittedSm::text).contains("after");
    }

    @Test
    void throughputLimitSpacesTheSubmitsOfABind() throws Exception {
        f = new SmscFixture(c -> c.withBinds(1, 10, 10));
        List<Future<Submitted>> sends = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sends.add(f.channel.send(sms("m" + i, "+15" + i, "x")));
        }
        Future.all(sends).await();
        List<SubmittedSm> at = f.smsc.submitted();
        // 12 submits at 10/s span 1.1 s; without the limit they take a few ms. A floor, not a speed.
        assertThat(Duration.between(at.get(0).at(), at.get(11).at())).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    }
}
