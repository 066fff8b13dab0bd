package io.outdial.dialer.it.blackbox;

import io.outdial.dialer.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code java -jar dialer.jar demo} with the sandbox PBX in its own process configured as its Asterisk: the demo
 * campaign (20 contacts, 8 lines, 2 calls a second, survey with recorded prompts) dials it. Checked from the PBX's
 * side over the first round: every contact dialed, limits held, prompts played, each script's end right.
 */
class DemoBlackBoxIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void demoDialsEveryContactOfItsCampaignWithinTheLimitsAndPlaysItsPrompts() throws Exception {
        int pbxPort = TestConfigs.freePort();
        int port = TestConfigs.freePort();
        try (Processes procs = new Processes(dir)) {
            procs.pbx(pbxPort);
            try (PbxObserver pbx = new PbxObserver(pbxPort)) {
                Process node = procs.dialer("demo.log", Processes.node(port, dir.resolve("data"), pbxPort), "demo");
                Processes.awaitReady(node, port, Duration.ofSeconds(90));
                assertThat(procs.log("demo.log")).contains("demo: using the configured Asterisk server(s)");
                // the first round: each of the 20 demo numbers (last digits 00-19) dialed, and those calls ended
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    Map<String, List<PbxObserver.Call>> calls = pbx.byNumber();
                    return calls.size() == 20 && calls.values().stream()
                        .allMatch(c -> c.get(0).end() != null || c.get(0).number().endsWith("5"));
                });
                Map<String, List<PbxObserver.Call>> calls = pbx.byNumber();
                for (int i = 0; i < 20; i++) {
                    String number = "+336123456" + String.format("%02d", i);
                    char digit = number.charAt(number.length() - 1);
                    Integer cause = Scenario.EXPECTED_CAUSE.get(digit);
                    assertThat(calls).as("dialed " + number).containsKey(number);
                    if (cause != null && digit != '5') {
                        assertThat(calls.get(number).get(0).cause()).as("end of " + number).isEqualTo(cause);
                    }
                    if (digit == '0' || digit == '1' || digit == '2') {
                        assertThat(calls.get(number).get(0).dialstatus()).as(number).contains("ANSWER");
                    }
                }
                Scenario.assertPromptsPlayed(pbx, false);
                assertThat(pbx.mostLinesUp()).as("lines up at once (demo campaign: 8)").isLessThanOrEqualTo(8);
                assertThat(pbx.mostOriginationsIn(1000 - Scenario.STAMP_JITTER_MS))
                    .as("originations in any sliding 1 s window less the stamping jitter (demo: 2/s)")
                    .isLessThanOrEqualTo(2);
                node.destroy();
                assertThat(Processes.ends(node, 60)).as("SIGTERM stops the demo").isTrue();
            }
        }
    }
}
