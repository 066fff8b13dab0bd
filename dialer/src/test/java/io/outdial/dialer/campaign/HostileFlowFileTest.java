package io.outdial.dialer.campaign;

import io.outdial.dialer.input.InvalidInput;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A campaign file's flow comes from its own folder only (no absolute path, no .. leaving it), and a flow file that
 * does not parse is reported by line and column, never by its content.
 */
class HostileFlowFileTest {
    @TempDir
    Path dir;

    private Path campaign(String flow) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("campaigns"));
        Files.writeString(folder.resolve("contacts.csv"), "phone\n+380501111111\n");
        return Files.writeString(folder.resolve("c.yaml"), "id: c1\ncontacts: contacts.csv\nflow: " + flow + "\n");
    }

    @Test
    void aFlowOutsideTheCampaignFilesFolderIsRefusedBeforeItIsRead() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.yaml"), "topSecretToken42\n");

        for (String flow : new String[] {outside.toString(), "../outside.yaml", "sub/../../outside.yaml"}) {
            Path file = campaign(flow);
            assertThatThrownBy(() -> CampaignFile.load(file)).as(flow).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("must name a file in the campaign file's folder")
                .hasMessageNotContaining("topSecretToken42");
        }
        Files.writeString(dir.resolve("campaigns/inside.yaml"), "x: 1\n");
        assertThat(CampaignFile.load(campaign("inside.yaml")).flow()).isEqualTo(dir.resolve("campaigns/inside.yaml")
            .toAbsolutePath().normalize());
    }

    @Test
    void aFlowFileThatDoesNotParseIsReportedByLineAndColumnWithoutItsContent() throws Exception {
        Files.createDirectories(dir.resolve("campaigns"));
        Files.writeString(dir.resolve("campaigns/flow.json"), "{\"id\": topSecretToken42, \"x\": 1}\n");
        Files.writeString(dir.resolve("campaigns/flow.yaml"), "key: [unclosed topSecretYaml77\n");

        for (String flow : new String[] {"flow.json", "flow.yaml"}) {
            CampaignFile file = CampaignFile.load(campaign(flow));
            assertThatThrownBy(() -> FlowFile.load(file)).as(flow).hasMessageContaining("line ")
                .hasMessageContaining("column ").hasMessageContaining("syntax error")
                .hasMessageNotContaining("topSecretToken42").hasMessageNotContaining("topSecretYaml77");
        }
    }
}
