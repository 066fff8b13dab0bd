package io.outdial.dialer.it.blackbox;

import io.outdial.dialer.it.Chromium;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.outdial.dialer.it.blackbox.Processes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's cluster nodes table in headless Chromium against two {@code serve} processes of one cluster (one
 * PostgreSQL, one sandbox PBX process): signed in on the node that does not dial the campaign, the table lists both
 * members, the owner with its lines and live calls while it dials on the PBX; the owner killed ({@code kill -9}), its
 * row leaves the table. Screenshots go to target/ui-screenshots/cluster-nodes-*.png.
 */
class ClusterNodesBrowserIT {
    private static final String CAMPAIGN = "bb-nodes";
    private static final String PASSWORD = "correct horse battery";
    private static final int CONTACTS = 40;
    @TempDir
    Path dir;

    @Test
    @Timeout(420)
    void theNodesTableOfTheOtherNodeShowsTheOwnersCallsAndDropsTheOwnerOnceKilled() throws Exception {
        TwoNodes two = TwoNodes.create("bb-nodes-", dir, Map.of());
        two.run("cluster-nodes-browser-logs", this::run);
    }

    private void run(Processes procs, TwoNodes two) throws Exception {
        int[] http = two.http();
        procs.pbx(two.pbxPort());
        Process[] nodes = two.start(procs);
        ok(Processes.send(http[0], "POST", "/api/v1/users", "application/json", new JsonObject()
            .put("username", "boss").put("role", "supervisor").put("password", PASSWORD).encode()), 201);
        ok(Processes.send(http[0], "PUT", "/api/v1/flows/bb-survey", "application/yaml",
            Scenario.flowYaml("bb-survey", false)), 201);
        ok(Processes.send(http[0], "POST", "/api/v1/campaigns", "application/json",
            Scenario.campaignJson(CAMPAIGN, "bb-survey")), 201);
        Processes.importContacts(http[0], CAMPAIGN, Scenario.answeringCsv(300, "06 12 6", CONTACTS));
        Processes.state(http[0], CAMPAIGN, "RUNNING");
        int a = two.dialing(CAMPAIGN);
        int b = 1 - a;

        WebDriver browser = Chromium.start(dir, 1280, 900);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(200));
            wait.ignoring(StaleElementReferenceException.class); // the dashboard redraws at each feed event
            Chromium.signIn(browser, wait, "http://127.0.0.1:" + http[b], "boss", PASSWORD);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-state.ok")));

            // both members listed; the owner (not this node) with lines and live calls of the campaign
            wait.until(d -> rows(d).size() == 2 && other(d) != null && number(other(d), "td.live") > 0
                && number(other(d), "td.lines") > 0);
            System.out.println("nodes table on node " + b + ": " + browser.findElement(By.id("cluster-nodes"))
                .getText().replace("\n", " | "));
            scrollToTable(browser);
            Chromium.shot(browser, "cluster-nodes-01-two-members");
            // read as one snapshot, again if the table was redrawn meanwhile (its rows then go stale)
            String[] owner = new String[1];
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
                    WebElement ownerRow = other(browser);
                    owner[0] = ownerRow.getDomAttribute("data-node");
                    assertThat(ownerRow.getText()).contains(CAMPAIGN);
                    assertThat(rows(browser)).filteredOn(r -> r.getText().contains("(this node)")).hasSize(1);
                    assertThat(number(browser.findElement(By.cssSelector("#cluster-nodes tr.total")),
                        "td:nth-child(3)")).as("total live calls").isPositive();
                });
            String ownerId = owner[0];
            assertThat(Processes.get(http[b], "/ready").body()).contains(ownerId);

            // the owner killed: its row leaves the table of the node left once Hazelcast dropped the member (at most
            // the lease TTL of 10 s without heartbeat) or its live snapshot expired (3 s), with slack for a busy machine
            long killed = System.currentTimeMillis();
            nodes[a].destroyForcibly();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> rows(browser).size() == 1 && other(browser) == null);
            long gone = System.currentTimeMillis();
            System.out.println("owner killed: its row left node " + b + "'s nodes table " + (gone - killed)
                + " ms later");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
                    assertThat(rows(browser).get(0).getText()).contains("(this node)");
                    assertThat(rows(browser).get(0).getDomAttribute("data-node")).isNotEqualTo(ownerId);
                });
            scrollToTable(browser);
            Chromium.shot(browser, "cluster-nodes-02-owner-gone");
        } finally {
            browser.quit();
        }
    }

    private static void scrollToTable(WebDriver browser) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
            "document.getElementById('cluster-nodes').scrollIntoView()");
    }

    /** The member rows of the nodes table (the total row aside). */
    private static List<WebElement> rows(WebDriver d) {
        return d.findElements(By.cssSelector("#cluster-nodes tr[data-node]"));
    }

    /** The row of the member that is not this node, or null. */
    private static WebElement other(WebDriver d) {
        return rows(d).stream().filter(r -> !r.getText().contains("(this node)")).findFirst().orElse(null);
    }

    private static long number(WebElement row, String cell) {
        String text = row.findElement(By.cssSelector(cell)).getText().trim();
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }
}
