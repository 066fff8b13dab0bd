package io.outdial.dialer.it.blackbox;

import io.outdial.dialer.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar dialer.jar run CAMPAIGN.yaml --results out.csv} with an {@code asterisk:} section, as a deployment
 * is wired, against the sandbox PBX in its own process; checked from the PBX's side by an observer app.
 */
class RunBlackBoxIT {
    @TempDir
    Path dir;

    private Map<String, Map<String, String>> run(Processes procs, int pbxPort, boolean speak) throws Exception {
        Scenario.write(dir.resolve("contacts.csv"), Scenario.contactsCsv());
        Scenario.write(dir.resolve("flow.yaml"), Scenario.flowYaml("bb-run", speak));
        Scenario.write(dir.resolve("campaign.yaml"), Scenario.campaignFile("bb-run", pbxPort, "flow.yaml"));
        Process run = procs.dialer("run.log", Map.of(), "run", "campaign.yaml", "--results", "out.csv", "--data",
            dir.resolve("data").toString());
        assertThat(Processes.ends(run, 150)).as("run ends; log:\n" + procs.log("run.log")).isTrue();
        assertThat(run.exitValue()).as(procs.log("run.log")).isZero();
        assertThat(procs.log("run.log")).contains("Campaign finished.").doesNotContain("embedded sandbox PBX");
        return Scenario.results(Files.readString(dir.resolve("out.csv")));
    }

    @Test
    @Timeout(240)
    void runDialsTheAsteriskOfItsCampaignFileWithinItsLimitsAndEndsEachScriptRight() throws Exception {
        int pbxPort = TestConfigs.freePort();
        try (Processes procs = new Processes(dir)) {
            procs.pbx(pbxPort);
            try (PbxObserver pbx = new PbxObserver(pbxPort)) {
                Map<String, Map<String, String>> results = run(procs, pbxPort, false);
                Scenario.assertOutcomes(pbx, results);
                Scenario.assertPromptsPlayed(pbx, false);
                Scenario.assertLimits(pbx);
            }
        }
    }

    /** Needs the spoken prompts of the composition roots (a {@code say} node played through the media routes). */
    @Test
    @Timeout(240)
    void runSpeaksEverySayNodeAndPlaysEveryPlayNode() throws Exception {
        int pbxPort = TestConfigs.freePort();
        try (Processes procs = new Processes(dir)) {
            procs.pbx(pbxPort);
            try (PbxObserver pbx = new PbxObserver(pbxPort)) {
                Map<String, Map<String, String>> results = run(procs, pbxPort, true);
                Scenario.assertPromptsPlayed(pbx, true);
                Scenario.assertOutcomes(pbx, results, true);
            }
        }
    }
}
