package io.outdial.sandbox.pbx.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /applications/{app}/eventFilter} as the ARI documentation has it: an allowed list sends the app only
 * those types, a disallowed type is never sent (even when allowed too), a list left out is kept, an empty body
 * clears both, a malformed list is refused with 400 and an unknown app with 404; {@code GET /applications/{app}}
 * shows the lists.
 */
class EventFilterIT extends ConnectedPbxTestBase {

    @Override
    protected SandboxPbxOptions options() {
        return SandboxPbxOptions.defaults().withTimeScale(20);
    }

    private HttpResponse<Buffer> filter(String app, JsonObject body) {
        var req = ari.request(HttpMethod.PUT, "/applications/" + app + "/eventFilter", Map.of());
        return (body == null ? req.send() : req.sendJsonObject(body)).await();
    }

    private static JsonArray types(String... types) {
        JsonArray out = new JsonArray();
        for (String t : types) {
            out.add(new JsonObject().put("type", t));
        }
        return out;
    }

    @Test
    void anAllowedListSendsOnlyThoseTypesAndADisallowedTypeIsNeverSent() {
        HttpResponse<Buffer> set = filter("dialer", new JsonObject()
            .put("allowed", types("StasisStart", "ChannelStateChange", "ChannelDestroyed"))
            .put("disallowed", types("ChannelStateChange")));
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(set.bodyAsJsonObject().getJsonArray("events_allowed"))
            .isEqualTo(types("StasisStart", "ChannelStateChange", "ChannelDestroyed"));
        assertThat(set.bodyAsJsonObject().getJsonArray("events_disallowed")).isEqualTo(types("ChannelStateChange"));

        pbx.scripts().registerNumber("5550100", CalleeScript.answerAfter(Duration.ofSeconds(1))
            .withDigits(Duration.ofSeconds(2), "7").withHangupAfter(Duration.ofSeconds(4)));
        String id = ari.originate(Map.of("endpoint", "PJSIP/5550100@carrier", "app", "dialer")).getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> ari.summary(id).stream()
            .anyMatch(s -> s.startsWith("ChannelDestroyed")));
        assertThat(ari.eventsOf(id)).extracting(e -> e.getString("type"))
            .containsExactly("StasisStart", "ChannelDestroyed");
    }

    @Test
    void aListLeftOutIsKeptAnEmptyBodyClearsBothAndTheAppShowsTheLists() {
        assertThat(filter("dialer", new JsonObject().put("allowed", types("StasisStart"))
            .put("disallowed", types("Dial"))).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> onlyAllowed = filter("dialer", new JsonObject().put("allowed", types("Dial")));
        assertThat(onlyAllowed.bodyAsJsonObject().getJsonArray("events_allowed")).isEqualTo(types("Dial"));
        assertThat(onlyAllowed.bodyAsJsonObject().getJsonArray("events_disallowed")).isEqualTo(types("Dial"));
        JsonObject app = ari.call(HttpMethod.GET, "/applications/dialer", Map.of()).bodyAsJsonObject();
        assertThat(app.getJsonArray("events_allowed")).isEqualTo(types("Dial"));
        assertThat(app.getJsonArray("events_disallowed")).isEqualTo(types("Dial"));

        HttpResponse<Buffer> cleared = filter("dialer", null);
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(cleared.bodyAsJsonObject().getJsonArray("events_allowed")).isEmpty();
        assertThat(cleared.bodyAsJsonObject().getJsonArray("events_disallowed")).isEmpty();

        // with no filter every type of the call comes again
        pbx.scripts().registerNumber("5550101", CalleeScript.answerAfter(Duration.ofSeconds(1))
            .withHangupAfter(Duration.ofSeconds(2)));
        String id = ari.originate(Map.of("endpoint", "PJSIP/5550101@carrier", "app", "dialer")).getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> ari.summary(id).stream()
            .anyMatch(s -> s.startsWith("ChannelDestroyed")));
        assertThat(ari.eventsOf(id)).extracting(e -> e.getString("type"))
            .contains("Dial", "ChannelStateChange", "StasisStart", "StasisEnd", "ChannelDestroyed");
    }

    @Test
    void aMalformedListIsRefusedAndAnUnknownAppIsNotFound() {
        HttpResponse<Buffer> notArray = filter("dialer", new JsonObject().put("allowed", "StasisStart"));
        assertThat(notArray.statusCode()).isEqualTo(400);
        HttpResponse<Buffer> noType = filter("dialer", new JsonObject()
            .put("allowed", new JsonArray().add(new JsonObject().put("name", "StasisStart"))));
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(filter("nobody", new JsonObject().put("allowed", types("Dial"))).statusCode()).isEqualTo(404);
        // a refused filter changed nothing
        assertThat(ari.call(HttpMethod.GET, "/applications/dialer", Map.of()).bodyAsJsonObject()
            .getJsonArray("events_allowed")).isEmpty();
    }
}
