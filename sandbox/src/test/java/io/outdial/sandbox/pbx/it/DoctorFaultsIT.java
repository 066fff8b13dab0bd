package io.outdial.sandbox.pbx.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /asterisk/modules[/{name}] in Asterisk 22's format, the Date header and the faults a deployment check meets. */
class DoctorFaultsIT extends ConnectedPbxTestBase {

    private HttpResponse<Buffer> get(String path) {
        return ari.call(HttpMethod.GET, path, Map.of());
    }

    @Test
    void modulesAreListedLikeAsterisk22AndAnUnloadedOneIsGone() {
        JsonObject ari = get("/asterisk/modules/res_ari.so").bodyAsJsonObject();
        assertThat(ari).isEqualTo(new JsonObject().put("name", "res_ari.so").put("description",
            "Asterisk RESTful Interface").put("use_count", 0).put("status", "Running").put("support_level", "core"));
        assertThat(get("/asterisk/modules").bodyAsJsonArray()).contains(ari).hasSizeGreaterThan(20);
        assertThat(get("/asterisk/modules/app_amd").statusCode()).isEqualTo(200);

        pbx.faults().unloadModule("res_ari_channels.so");
        HttpResponse<Buffer> gone = get("/asterisk/modules/res_ari_channels.so");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.bodyAsJsonObject().getString("message"))
            .isEqualTo("Module could not be found in running modules");
        assertThat(get("/asterisk/modules").bodyAsJsonArray().stream().map(m -> ((JsonObject) m).getString("name")))
            .doesNotContain("res_ari_channels.so");
        pbx.faults().clear();
        assertThat(get("/asterisk/modules/res_ari_channels.so").statusCode()).isEqualTo(200);
    }

    @Test
    void repliesCarryTheWallClockInADateHeaderWithTheInjectedSkew() {
        ZonedDateTime now = ZonedDateTime.now();
        ZonedDateTime told = ZonedDateTime.parse(get("/asterisk/info").getHeader("Date"),
            DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Duration.between(now, told).abs()).isLessThan(Duration.ofSeconds(5));
        pbx.faults().clockSkew(Duration.ofMinutes(10));
        told = ZonedDateTime.parse(get("/asterisk/info").getHeader("Date"), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(Duration.between(now, told)).isGreaterThan(Duration.ofMinutes(9));
    }

    @Test
    void aReplacedAppGetsApplicationReplaced() {
        pbx.faults().replaceApp("dialer").await();
        await().atMost(Duration.ofSeconds(3)).until(() -> ari.events.stream()
            .anyMatch(e -> "ApplicationReplaced".equals(e.getString("type"))));
    }

    @Test
    void aMissingContextEndsTheLocalChannelAndTheDoctorContextAnswers() {
        ari.originate(Map.of("endpoint", "Local/s@dialer-doctor", "app", "dialer", "channelId", "probe"));
        await().atMost(Duration.ofSeconds(3)).until(() -> ari.summary("probe").stream()
            .anyMatch(s -> s.startsWith("StasisStart")));
        pbx.faults().removeContext("dialer-doctor");
        ari.originate(Map.of("endpoint", "Local/s@dialer-doctor", "app", "dialer", "channelId", "gone"));
        await().atMost(Duration.ofSeconds(3)).until(() -> ari.summary("gone").stream()
            .anyMatch(s -> s.startsWith("ChannelDestroyed")));
        assertThat(ari.summary("gone")).noneMatch(s -> s.startsWith("StasisStart"));
    }
}
