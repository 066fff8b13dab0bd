package io.outdial.dialer.demo;

import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.trunk.TrunkConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo dials what its campaign file says: no silent override of the file's trunk, AMD on. */
class DemoSetupTest {
    private static final Path BUNDLED = Path.of("src/main/resources/demo/campaign-demo.yaml");

    @Test
    void demoTrunkIsTheCampaignFilesTrunk() {
        TrunkConfig file = CampaignFile.load(BUNDLED).trunk();
        TrunkConfig demo = DemoSetup.demoTrunk();

        assertThat(demo.name()).isEqualTo(file.name());
        assertThat(demo.endpointPattern()).isEqualTo(file.endpointPattern());
        assertThat(demo.callerIds()).isEqualTo(file.callerIds());
        assertThat(demo.maxLines()).isEqualTo(file.maxLines());
        assertThat(demo.maxCps()).isEqualTo(file.maxCps());
        assertThat(demo.originateTimeout()).isEqualTo(file.originateTimeout());
    }

    @Test
    void bundledDemoFilesAreTheExamplesButForTheCampaignId() throws Exception {
        Path examples = Path.of("..", "examples");
        for (String f : new String[] {"contacts-demo.csv", "flow-demo.yaml"}) {
            assertThat(Files.readString(BUNDLED.resolveSibling(f))).as(f)
                .isEqualTo(Files.readString(examples.resolve(f)));
        }
        CampaignFile bundled = CampaignFile.load(BUNDLED);
        CampaignFile example = CampaignFile.load(examples.resolve("campaign-demo.yaml"));
        assertThat(bundled.settings().campaignId()).isEqualTo(DemoSetup.DEMO_CAMPAIGN)
            .as("run and demo share ./data: distinct ids").isNotEqualTo(example.settings().campaignId());
    }
}
