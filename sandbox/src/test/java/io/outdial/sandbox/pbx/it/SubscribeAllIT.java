package io.outdial.sandbox.pbx.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /ari/events?app=observer&subscribeAll=true} sees the events of every channel, as on Asterisk: the
 * channel, dial and playback events of another app's calls, but not that app's StasisStart and StasisEnd.
 */
class SubscribeAllIT extends ConnectedPbxTestBase {
    private AriTestClient observer;
    private AriTestClient plain;

    @Override
    protected SandboxPbxOptions options() {
        return SandboxPbxOptions.defaults().withTimeScale(20);
    }

    @AfterEach
    void closeObservers() {
        if (observer != null) {
            observer.close().await();
        }
        if (plain != null) {
            plain.close().await();
        }
    }

    @Test
    void observerSeesEveryChannelEventOfAnotherAppButNotItsStasisStartAndEnd() {
        observer = new AriTestClient(vertx, pbx).connect("observer", true);
        plain = new AriTestClient(vertx, pbx).connect("bystander", false);
        pbx.scripts().registerNumber("5550100", CalleeScript.answerAfter(Duration.ofSeconds(1))
            // long enough (virtual time runs 20x) that the play request surely comes before the key and the hang-up
            .withDigits(Duration.ofSeconds(40), "7").withHangupAfter(Duration.ofSeconds(80)));
        String id = ari.originate(Map.of("endpoint", "PJSIP/5550100@carrier", "app", "dialer")).getString("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).contains("StasisStart:[]"));
        assertThat(ari.call(HttpMethod.POST, "/channels/" + id + "/play", Map.of("media", "sound:hello-world"))
            .statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> observer.summary(id).stream()
            .anyMatch(s -> s.startsWith("ChannelDestroyed")));

        assertThat(observer.summary(id)).contains("Dial:", "Dial:RINGING", "Dial:ANSWER", "ChannelStateChange:Up",
            "ChannelDtmfReceived:7", "PlaybackStarted:playing", "ChannelDestroyed:16")
            .noneMatch(s -> s.startsWith("StasisStart") || s.startsWith("StasisEnd"));
        assertThat(observer.eventsOf(id)).allMatch(e -> "observer".equals(e.getString("application")));
        assertThat(ari.eventsOf(id)).allMatch(e -> "dialer".equals(e.getString("application")));
        assertThat(ari.summary(id)).contains("StasisStart:[]", "StasisEnd:Up");
        assertThat(plain.events).isEmpty();
        JsonObject started = observer.eventsOf(id).stream()
            .filter(e -> "PlaybackStarted".equals(e.getString("type"))).findFirst().orElseThrow();
        assertThat(started.getJsonObject("playback").getString("media_uri")).isEqualTo("sound:hello-world");
    }

    @Test
    void withoutSubscribeAllAnotherAppSeesNothing() {
        plain = new AriTestClient(vertx, pbx).connect("bystander", false);
        pbx.scripts().registerNumber("5550101", CalleeScript.busy(Duration.ZERO));
        String id = ari.originate(Map.of("endpoint", "PJSIP/5550101@carrier", "app", "dialer")).getString("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).stream()
            .anyMatch(s -> s.startsWith("ChannelDestroyed")));
        assertThat(plain.events).isEmpty();
    }
}
