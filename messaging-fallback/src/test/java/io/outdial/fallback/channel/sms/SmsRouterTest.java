package io.outdial.fallback.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Route candidates of a number over several SMSCs, and the routing keys' checks. */
class SmsRouterTest {

    private static SmscConfig smsc(String name, List<String> prefixes, int weight) {
        return SmscConfig.of(name, "127.0.0.1", 2775, "outdial", "PW", "Outdial").withRoute(prefixes, weight);
    }

    private static List<String> names(List<SmscConfig> route) {
        return route.stream().map(SmscConfig::name).toList();
    }

    @Test
    void longestPrefixFirstThenShorterThenTheRest() {
        List<SmscConfig> all = List.of(smsc("rest", List.of(), 1), smsc("fr", List.of("+33", "+44"), 1),
                smsc("paris", List.of("+331"), 1), smsc("de", List.of("+49"), 1));
        Random r = new Random(1);
        assertThat(names(SmsRouter.route(all, "+33123456789", r))).containsExactly("paris", "fr", "rest");
        assertThat(names(SmsRouter.route(all, "+33623456789", r))).containsExactly("fr", "rest");
        assertThat(names(SmsRouter.route(all, "+447700900123", r))).containsExactly("fr", "rest");
        assertThat(names(SmsRouter.route(all, "+15550100", r))).containsExactly("rest");
    }

    @Test
    void numbersNoEntryServesHaveNoRoute() {
        List<SmscConfig> all = List.of(smsc("fr", List.of("+33"), 1), smsc("de", List.of("+49"), 1));
        assertThat(SmsRouter.route(all, "+15550100", new Random(1))).isEmpty();
        assertThat(names(SmsRouter.route(all, "+4930123", new Random(1)))).containsExactly("de");
    }

    @Test
    void equalMatchesAreDrawnByWeight() {
        List<SmscConfig> all = List.of(smsc("a", List.of("+33"), 3), smsc("b", List.of("+33"), 1),
                smsc("c", List.of(), 5));
        Random r = new Random(42);
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            List<String> route = names(SmsRouter.route(all, "+33600000000", r));
            assertThat(route).hasSize(3).endsWith("c").containsOnlyOnce("a", "b");
            first.merge(route.get(0), 1, Integer::sum);
        }
        // 3:1 expected (3000 : 1000); a loose band
        assertThat(first.get("a")).isBetween(2700, 3300);
        assertThat(first.get("b")).isBetween(700, 1300);
    }

    @Test
    void badPrefixesAndWeightsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> smsc("a", List.of("33"), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefixes").hasMessageContaining("\"33\"");
        assertThatThrownBy(() -> smsc("a", List.of("+3x"), 1)).hasMessageContaining("prefixes");
        assertThatThrownBy(() -> smsc("a", List.of("+0"), 1)).hasMessageContaining("prefixes");
        assertThatThrownBy(() -> smsc("a", List.of("+1234567890123456"), 1)).hasMessageContaining("prefixes");
        assertThatThrownBy(() -> smsc("a", List.of("+33", "+44", "+33"), 1)).hasMessageContaining("prefixes")
                .hasMessageContaining("each prefix once");
        assertThatThrownBy(() -> smsc("a", List.of(), 0)).hasMessageContaining("weight").hasMessageContaining("1..1000");
        assertThatThrownBy(() -> smsc("a", List.of(), 1001)).hasMessageContaining("weight");
        assertThat(SmscConfig.of("a", "h", 1, "s", "P", "S").weight()).isEqualTo(1);
        assertThat(SmscConfig.of("a", "h", 1, "s", "P", "S").prefixes()).isEmpty();
    }

    @Test
    void providerIdsNameTheSmscTheFirstOnesStayBare() {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            SmsRouter router = new SmsRouter(List.of(
                    new SmppChannel(vertx, smsc("a", List.of(), 1), n -> "pw"),
                    new SmppChannel(vertx, smsc("b", List.of(), 1), n -> "pw")), new Random(1));
            assertThat(router.providerId("a", "1000")).isEqualTo("1000");
            assertThat(router.providerId("b", "1000")).isEqualTo("b:1000");
            assertThat(router.providerId("a", "b:1000")).isEqualTo("a:b:1000");
            assertThat(router.smscOf("1000")).isEqualTo("a");
            assertThat(router.smscOf("b:1000")).isEqualTo("b");
            assertThat(router.smscOf("a:b:1000")).isEqualTo("a");
            assertThatThrownBy(() -> new SmsRouter(List.of(new SmppChannel(vertx, smsc("a", List.of(), 1), n -> "pw"),
                    new SmppChannel(vertx, smsc("a", List.of("+33"), 1), n -> "pw")), new Random(1)))
                    .hasMessageContaining("used twice");
        } finally {
            vertx.close().await();
        }
    }
}
