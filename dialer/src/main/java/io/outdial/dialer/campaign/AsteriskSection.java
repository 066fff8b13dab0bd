package io.outdial.dialer.campaign;

import static io.outdial.dialer.campaign.DefinitionBinder.or;
import static io.outdial.dialer.campaign.DefinitionBinder.refuse;
import static io.outdial.dialer.campaign.DefinitionBinder.whole;

import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.input.Reason;
import java.time.Duration;

/** The {@code asterisk} section of a campaign definition (headless runs through a real Asterisk). */
record AsteriskSection(String url, String username, String password, String app, String mediaHost, Long mediaPort,
                       String mediaUrl) {
    AsteriskSection {
        whole("mediaPort", mediaPort, 0, 0);
        mediaUrl = mediaUrl(or(mediaUrl, ""));
    }

    CampaignFile.Asterisk asterisk() {
        return new CampaignFile.Asterisk(url, or(username, "dialer"), or(password, ""), or(app, "dialer"),
            or(mediaHost, "127.0.0.1"), whole("mediaPort", mediaPort, 0, 0), mediaUrl);
    }

    private static String mediaUrl(String v) {
        try {
            return new MediaConfig(v, "x", "", Duration.ZERO).baseUrl();
        } catch (IllegalArgumentException e) {
            // MediaConfig's own check of a base URL
            throw refuse("$.mediaUrl", v, "a base URL such as http://10.0.0.5:8090", Reason.INVALID_VALUE,
                "field asterisk.mediaUrl: " + e.getMessage());
        }
    }
}
