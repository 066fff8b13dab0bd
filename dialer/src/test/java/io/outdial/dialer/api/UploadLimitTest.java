package io.outdial.dialer.api;

import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.support.MigratedDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploads larger than the limit are refused with 413, raw or multipart, and leave no file behind. */
class UploadLimitTest {
    @TempDir
    Path dir;
    ApiTestServer server;
    ApiTestClient http;

    @BeforeEach
    void start() {
        DataSource ds = MigratedDatabases.h2();
        Clock clock = Clock.systemUTC();
        new JdbcCampaignStore(ds, clock).create(CampaignFile.parse(new com.fasterxml.jackson.databind.ObjectMapper()
            .createObjectNode().put("id", "c1").put("region", "UA"), null, "test").draft(clock.instant()));
        server = new ApiTestServer(ds, clock, dir.resolve("uploads"), 1000);
        http = server.http;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tooLargeUploadsAre413() throws Exception {
        byte[] big = ("phone\n" + "+380501111111\n".repeat(200)).getBytes();
        ApiTestClient.Res raw = http.postBytes("/api/v1/campaigns/c1/imports?name=big.csv", big, "text/csv");
        assertThat(raw.status()).as(raw.body()).isEqualTo(413);
        assertThat(raw.json().getString("error")).isEqualTo("payload_too_large");
        ApiTestClient.Res multipart = http.postMultipart("/api/v1/campaigns/c1/imports", "big.csv", big);
        assertThat(multipart.status()).isEqualTo(413);
        ApiTestClient.Res stop = http.postBytes("/api/v1/stop-list/global/import", big, "text/csv");
        assertThat(stop.status()).isEqualTo(413);
        ApiTestClient.Res small = http.postBytes("/api/v1/campaigns/c1/imports?name=ok.csv",
            "phone\n+380501111111\n".getBytes(), "text/csv");
        assertThat(small.status()).as(small.body()).isEqualTo(202);
        String status = small.json().getString("status");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
            .until(() -> http.get(status).json().getString("state").equals("COMPLETED"));
        try (var left = Files.walk(dir.resolve("uploads"))) {
            assertThat(left.filter(Files::isRegularFile).filter(p -> p.toString().contains("big")).toList())
                .as("no refused upload left").isEmpty();
        }
    }
}
