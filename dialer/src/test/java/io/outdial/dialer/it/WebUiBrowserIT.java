package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.demo.DemoSetup;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI in a real browser (headless Chromium through chromedriver, installed by scripts/install-test-deps.sh)
 * against a demo node dialing through the sandbox PBX: sign in, create a campaign (a bad value shown next to its
 * field first), upload contacts and watch the import's progress to its end, start the campaign, see its lines rise
 * and fall on the dashboard's live feed, open the report and read its XLSX export back, open a contact's history,
 * the telephony page and the stop-list, sign out; sign in as a viewer and see everything read-only with masked
 * numbers; open a one-time sign-in link and land on the dashboard; then the same
 * walk in Russian. Screenshots of each screen go to target/ui-screenshots/.
 */
class WebUiBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PASSWORD = "correct horse battery";
    @TempDir
    Path dataDir;
    private DialerApp app;
    private WebDriver browser;
    private String base;

    @BeforeEach
    void start() throws IOException {
        app = Chromium.demoNode(dataDir, PASSWORD, "boss", Role.ADMIN, "watcher", Role.VIEWER);
        base = "http://127.0.0.1:" + app.httpPort();
        browser = Chromium.start(dataDir, 1280, 800);
    }

    @AfterEach
    void stop() {
        Chromium.stop(browser, app);
    }

    @Test
    void aSupervisorWalksThroughEveryScreenInEnglish() throws IOException {
        walk("en", "ui-en", "Campaigns", "Dashboard", "Sign in");
    }

    @Test
    void theSameWalkInRussian() throws IOException {
        walk("ru", "ui-ru", "Кампании", "Обзор", "Войти");
    }

    private void walk(String lang, String campaign, String campaignsText, String dashboardText, String signInText)
        throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class); // the dashboard redraws twice a second
        browser.get(base + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        new Select(browser.findElement(By.id("login-lang"))).selectByValue(lang);
        wait.until(ExpectedConditions.textToBe(By.id("login"), signInText));
        shot(lang, "01-login");
        browser.findElement(By.id("username")).sendKeys("boss");
        browser.findElement(By.id("password")).sendKeys("wrong password");
        browser.findElement(By.id("login")).click();
        wait.until(d -> !d.findElement(By.id("login-error")).getText().isBlank());
        // the keyboard alone: the skip link comes just before the user name in the tab order, Tab goes from the
        // user name to the password, and Enter in the form signs in
        browser.findElement(By.id("password")).clear();
        browser.findElement(By.id("username")).sendKeys("");
        new org.openqa.selenium.interactions.Actions(browser).keyDown(org.openqa.selenium.Keys.SHIFT)
            .sendKeys(org.openqa.selenium.Keys.TAB).keyUp(org.openqa.selenium.Keys.SHIFT).perform();
        assertThat(browser.switchTo().activeElement().getDomAttribute("class")).isEqualTo("skip");
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.TAB,
            org.openqa.selenium.Keys.TAB).perform();
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("password");
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(PASSWORD, org.openqa.selenium.Keys.ENTER)
            .perform();

        // dashboard on the live feed: the demo campaign is listed
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-state.ok")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-campaigns tr[data-campaign=demo]")));
        assertThat(browser.findElement(By.id("nav")).getText()).contains(campaignsText).contains(dashboardText);
        shot(lang, "02-dashboard");

        // a new campaign: a bad region is shown next to its field, then fixed
        go("#/campaigns");
        Chromium.click(wait, By.id("new-campaign"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-id")));
        type("f-id", campaign);
        type("f-name", "Browser " + lang);
        type("f-region", "fr");
        type("f-calendar-everyDay", "00:00-24:00");
        type("f-trunk-name", DemoSetup.DEMO_TRUNK);
        type("f-limits-lines", "4");
        type("f-limits-perSecond", "4");
        browser.findElement(By.id("save")).click();
        wait.until(d -> !d.findElement(By.id("f-region-problem")).getText().isBlank());
        assertThat(browser.findElement(By.id("f-region-problem")).getText()).contains("region");
        assertThat(browser.findElement(By.id("f-region")).getDomAttribute("class")).contains("invalid");
        shot(lang, "03-form-problems");
        type("f-region", "FR");
        browser.findElement(By.id("save")).click();

        // the campaign page: preflight, then contacts uploaded with the import's progress
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("contacts-file")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#preflight table")));
        Path csv = dataDir.resolve("contacts-" + lang + ".csv");
        StringBuilder rows = new StringBuilder("id,phone\n");
        for (int i = 0; i < 40; i++) {
            // last digit 0-2: answers; 4: busy; 5: no answer; 8: invalid number; plus one bad row
            rows.append("c").append(i).append(",06 12 35 ").append(String.format("%02d", i)).append(" 0")
                .append(List.of(0, 1, 2, 4, 5, 8).get(i % 6)).append('\n');
        }
        rows.append("bad,not a number\n");
        Files.writeString(csv, rows, StandardCharsets.UTF_8);
        browser.findElement(By.id("contacts-file")).sendKeys(csv.toAbsolutePath().toString());
        browser.findElement(By.id("upload")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("import-progress")));
        wait.until(ExpectedConditions.attributeToBe(By.id("import-info"), "data-state", "COMPLETED"));
        assertThat(browser.findElement(By.id("import-info")).getText()).contains("40").contains("1");
        assertThat(browser.findElement(By.id("rejected-link")).getDomAttribute("href")).endsWith("/rejected.csv");
        shot(lang, "04-import-done");

        // start (the preflight warns about the missing flow, nothing blocks)
        browser.navigate().refresh();
        Chromium.click(wait, By.id("start"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pause")));
        shot(lang, "05-campaign-running");

        // the dashboard shows the campaign's lines rise, then fall back to zero once its round is over
        go("#/dashboard");
        By lines = By.cssSelector(".gauge-row[data-level=campaign][data-name=" + campaign + "] .lines-value");
        wait.until(d -> {
            List<WebElement> found = d.findElements(lines);
            return !found.isEmpty() && !found.get(0).getText().startsWith("0 ");
        });
        shot(lang, "06-dashboard-lines-up");
        new WebDriverWait(browser, Duration.ofSeconds(240), Duration.ofMillis(500))
            .ignoring(StaleElementReferenceException.class).until(d -> {
            List<WebElement> found = d.findElements(lines);
            List<WebElement> live = d.findElements(By.cssSelector("tr[data-campaign=" + campaign + "] td.live"));
            return (found.isEmpty() || found.get(0).getText().startsWith("0 "))
                && !live.isEmpty() && live.get(0).getText().equals("0");
        });
        shot(lang, "07-dashboard-lines-down");

        // the report, then its results as XLSX, downloaded with the browser's session and read back
        go("#/campaigns/" + campaign);
        Chromium.click(wait, By.id("report"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("report-counters")));
        assertThat(browser.findElement(By.id("report-outcomes")).getText()).contains("BUSY");
        // the history from the database: outcomes over time as bars, attempts per contact as rows; another range
        wait.until(d -> !d.findElements(By.cssSelector("#report-timeline rect.rc-bar[data-k=BUSY]")).isEmpty()
            && !d.findElements(By.cssSelector("#attempts-distribution tr")).isEmpty()
            && !d.findElements(By.cssSelector("#talk-distribution tr")).isEmpty());
        browser.findElement(By.id("report-range-day")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("report-range-day"), "aria-pressed", "true"));
        wait.until(d -> !d.findElements(By.cssSelector("#report-timeline rect.rc-bar")).isEmpty());
        shot(lang, "08-report");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
            "document.getElementById('report-history').scrollIntoView()");
        shot(lang, "08b-report-history");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
            "document.getElementById('report-distributions').scrollIntoView()");
        shot(lang, "08c-report-distributions");
        String xlsx = browser.findElement(By.id("report-xlsx")).getDomAttribute("href");
        assertThat(readWorkbook(xlsx)).as("header and one row per contact").hasSize(41)
            .first().asString().contains("phone").contains("outcome");
        go("#/campaigns/" + campaign);
        new Select(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("state-filter")))).selectByValue("CLOSED");
        Chromium.click(wait, By.cssSelector("#contact-table a.contact-link"));
        wait.until(d -> d.findElements(By.cssSelector("#history tbody tr")).size() >= 1);
        assertThat(browser.findElement(By.id("history")).getText()).contains(campaign);
        shot(lang, "09-contact-history");
        String phone = browser.findElement(By.cssSelector("#history tbody tr td:nth-child(2)")).getText().trim();

        // number search: the same contact found by its number from the header's link
        browser.findElement(By.cssSelector("#nav a[href='#/search']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("search-phone")));
        type("search-phone", phone);
        browser.findElement(By.id("search-go")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#found tbody tr")));
        assertThat(browser.findElement(By.id("found")).getText()).contains(campaign).contains(phone);
        assertThat(browser.findElements(By.id("not-stop-listed"))).hasSize(1);
        shot(lang, "09b-number-search");

        // telephony: the sandbox server and the trunk, with the reconnect button
        go("#/telephony");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#servers tbody tr")));
        assertThat(browser.findElement(By.id("servers")).getText()).contains("sandbox");
        assertThat(browser.findElement(By.id("trunks")).getText()).contains(DemoSetup.DEMO_TRUNK);
        shot(lang, "10-telephony");

        go("#/stop-list");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stop-table")));
        shot(lang, "11-stop-list");

        // at tablet width the campaign form stacks each label above its field
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
        go("#/campaigns/new");
        WebElement idField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-id")));
        WebElement idLabel = browser.findElement(By.cssSelector("label[for='f-id']"));
        assertThat(idLabel.getRect().getY() + idLabel.getRect().getHeight()).as("label above its field")
            .isLessThanOrEqualTo(idField.getRect().getY());
        assertThat((Long) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
            "return document.documentElement.scrollWidth")).as("no sideways scrolling").isLessThanOrEqualTo(820L);
        shot(lang, "11b-tablet-form");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.findElement(By.id("login")).getText()).isEqualTo(signInText);

        // a viewer: read only (no create, no state moves, no upload), phone numbers masked
        browser.findElement(By.id("username")).sendKeys("watcher");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-state.ok")));
        go("#/campaigns");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#campaigns tr[data-campaign=" + campaign
            + "]")));
        assertThat(browser.findElements(By.id("new-campaign"))).isEmpty();
        go("#/campaigns/" + campaign);
        wait.until(d -> d.findElements(By.cssSelector("#contact-table tbody tr")).size() > 0);
        assertThat(browser.findElements(By.cssSelector("#start, #pause, #resume, #stop, #edit, #upload"))).isEmpty();
        assertThat(browser.findElement(By.id("contact-table")).getText()).contains("•").doesNotContain("+33612");
        assertThat(browser.findElement(By.id("who")).getText()).contains("viewer");
        assertThat(browser.findElement(By.id("main")).getText()).as("no left-out part shows as text")
            .doesNotContain("null");
        shot(lang, "12-viewer");

        // the demo's one-time sign-in link lands on the dashboard, signed in
        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        browser.get(base + app.security().issueLink("boss"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-state.ok")));
        assertThat(browser.findElement(By.id("who")).getText()).contains("boss");
    }

    /** The rows of the first sheet of the workbook at {@code path}, fetched with the browser's session cookie. */
    private List<String> readWorkbook(String path) throws IOException {
        HttpResponse<byte[]> res = Chromium.fetch(browser, base + path);
        assertThat(res.headers().firstValue("Content-Type").orElse("")).contains("spreadsheetml");
        try (InputStream in = new java.io.ByteArrayInputStream(res.body()); ReadableWorkbook wb = new ReadableWorkbook(in);
             Stream<Row> rows = wb.getFirstSheet().openStream()) {
            return rows.map(r -> r.stream().map(c -> c == null ? "" : c.getText()).toList().toString()).toList();
        }
    }

    private void go(String hash) {
        browser.get(base + "/" + hash);
    }

    private void type(String id, String text) {
        Chromium.type(browser, id, text);
    }

    private void shot(String lang, String name) throws IOException {
        Chromium.shot(browser, lang + "-" + name);
    }
}
