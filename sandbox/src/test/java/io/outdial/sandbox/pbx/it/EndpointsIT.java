package io.outdial.sandbox.pbx.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** GET /endpoints*, endpoint subscriptions and the endpoint faults, in Asterisk's formats. */
class EndpointsIT extends ConnectedPbxTestBase {

    private HttpResponse<Buffer> get(String path) {
        return ari.call(HttpMethod.GET, path, Map.of());
    }

    private List<JsonObject> endpointEvents() {
        return ari.events.stream().filter(e -> "EndpointStateChange".equals(e.getString("type")))
            .collect(Collectors.toList());
    }

    @Test
    void endpointsAreListedAndReadLikeAsterisk() {
        JsonObject carrier = get("/endpoints/PJSIP/carrier").bodyAsJsonObject();
        assertThat(carrier).isEqualTo(new JsonObject().put("technology", "PJSIP").put("resource", "carrier")
            .put("state", "online").put("channel_ids", new io.vertx.core.json.JsonArray()));
        assertThat(get("/endpoints").bodyAsJsonArray()).contains(carrier);
        assertThat(get("/endpoints/PJSIP").bodyAsJsonArray()).containsExactly(carrier);
        assertThat(get("/endpoints/SIP").bodyAsJsonArray()).isEmpty();

        HttpResponse<Buffer> missing = get("/endpoints/PJSIP/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.bodyAsJsonObject()).isEqualTo(new JsonObject().put("message", "Endpoint not found"));
        HttpResponse<Buffer> badTech = get("/endpoints/Bogus");
        assertThat(badTech.statusCode()).isEqualTo(404);
        assertThat(badTech.bodyAsJsonObject().getString("message")).isEqualTo("No Endpoints found - invalid tech Bogus");
        HttpResponse<Buffer> badSource = ari.call(HttpMethod.POST, "/applications/dialer/subscription",
            Map.of("eventSource", "endpoint:PJSIP/nope"));
        assertThat(badSource.statusCode()).isEqualTo(422);
    }

    @Test
    void subscribersGetStateChangesAndTheEventsOfTheEndpointsChannels() {
        HttpResponse<Buffer> sub = ari.call(HttpMethod.POST, "/applications/dialer/subscription",
            Map.of("eventSource", "endpoint:PJSIP/carrier"));
        assertThat(sub.statusCode()).isEqualTo(200);
        assertThat(sub.bodyAsJsonObject().getJsonArray("endpoint_ids")).containsExactly("PJSIP/carrier");

        pbx.faults().endpointState("PJSIP/carrier", "offline");
        await().atMost(Duration.ofSeconds(10)).until(() -> endpointEvents().size() == 1);
        assertThat(endpointEvents().get(0).getJsonObject("endpoint").getString("state")).isEqualTo("offline");
        assertThat(endpointEvents().get(0).getString("application")).isEqualTo("dialer");
        HttpResponse<Buffer> refused = ari.call(HttpMethod.POST, "/channels", Map.of("endpoint",
            "PJSIP/+15550001@carrier", "app", "dialer"));
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("Allocation failed");

        pbx.faults().endpointState("PJSIP/carrier", "online");
        await().atMost(Duration.ofSeconds(10)).until(() -> endpointEvents().size() == 2);
        // a call into a dialplan context (not subscribed itself) that is busy at once: seen through the endpoint
        pbx.scripts().registerNumber("+15550002", CalleeScript.busy(Duration.ZERO));
        ari.call(HttpMethod.POST, "/channels", Map.of("endpoint", "PJSIP/+15550002@carrier", "context",
            "dialer-amd", "extension", "s", "priority", "1", "channelId", "amd-busy"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary("amd-busy").contains("ChannelDestroyed:17"));
        assertThat(ari.summary("amd-busy")).containsSubsequence("ChannelCreated:Down", "Dial:BUSY", "ChannelDestroyed:17");
        // channel_ids: added, then removed again
        await().atMost(Duration.ofSeconds(10)).until(() -> endpointEvents().size() == 4);
        assertThat(endpointEvents().get(2).getJsonObject("endpoint").getJsonArray("channel_ids"))
            .containsExactly("amd-busy");
        assertThat(endpointEvents().get(3).getJsonObject("endpoint").getJsonArray("channel_ids")).isEmpty();
    }

    @Test
    void anAppSubscribedToTheChannelAndItsEndpointGetsEachEventTwice() {
        ari.call(HttpMethod.POST, "/applications/dialer/subscription", Map.of("eventSource",
            "endpoint:PJSIP/carrier"));
        pbx.scripts().registerNumber("+15550003", CalleeScript.busy(Duration.ofMillis(200)));
        ari.call(HttpMethod.POST, "/channels", Map.of("endpoint", "PJSIP/+15550003@carrier", "app", "dialer",
            "channelId", "both"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary("both").contains("ChannelDestroyed:17"));
        List<JsonObject> destroyed = ari.eventsOf("both").stream()
            .filter(e -> "ChannelDestroyed".equals(e.getString("type"))).collect(Collectors.toList());
        assertThat(destroyed).hasSize(2);
        assertThat(destroyed.get(0)).isEqualTo(destroyed.get(1));
    }

    @Test
    void removedEndpointsAre404AndClearRestoresTheDefaults() {
        pbx.faults().removeEndpoint("PJSIP/carrier");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/endpoints/PJSIP/carrier").statusCode() == 404);
        pbx.faults().endpointState("SIP/backup", "unknown");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/endpoints/SIP/backup").statusCode() == 200);
        pbx.faults().clear();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/endpoints/PJSIP/carrier").statusCode() == 200);
        assertThat(get("/endpoints/SIP/backup").statusCode()).isEqualTo(404);
    }
}
