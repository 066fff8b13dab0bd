package io.outdial.dialer.it;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.demo.DemoSetup;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a supervisor follows beyond the first walk ({@link WebUiBrowserIT}), in headless Chromium on a demo node
 * (sandbox PBX and SMSC): a campaign made in the form with a stored messaging scheme (an unknown one refused next to
 * its field first), its calls by state and its SMS per minute on the dashboard's live feed, one busy contact's
 * messages on the contact screen, and the results exported as a job with a progress bar, then downloaded. In English,
 * and the same screens in Russian. Screenshots go to target/ui-screenshots/supervisor-*.png.
 */
class SupervisorBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String PASSWORD = "correct horse battery";
    private static final int CONTACTS = 12;
    @TempDir
    Path dataDir;
    private DialerApp app;
    private WebDriver browser;
    private String base;
    private ApiTestClient http;

    @BeforeEach
    void start() throws IOException {
        app = Chromium.demoNode(dataDir, PASSWORD, "boss", Role.ADMIN);
        base = "http://127.0.0.1:" + app.httpPort();
        http = ApiTestClient.admin(app);
        ApiTestClient.Res saved = http.put("/api/v1/schemes/demo-fallback",
            Files.readString(Path.of("..", "examples", "scheme-demo.yaml")), "application/yaml");
        assertThat(saved.status()).as(saved.body()).isIn(200, 201);
        browser = Chromium.start(dataDir, 1280, 900);
    }

    @AfterEach
    void stop() {
        Chromium.stop(browser, app);
    }

    @Test
    void schemeFeedMessagesAndExportInEnglish() throws IOException {
        walk("en", "sup-en", "Sign in");
    }

    @Test
    void theSameInRussian() throws IOException {
        walk("ru", "sup-ru", "Войти");
    }

    private void walk(String lang, String campaign, String signInText) throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
        wait.ignoring(StaleElementReferenceException.class); // the dashboard redraws twice a second
        browser.get(base + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        new Select(browser.findElement(By.id("login-lang"))).selectByValue(lang);
        wait.until(ExpectedConditions.textToBe(By.id("login"), signInText));
        browser.findElement(By.id("username")).sendKeys("boss");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-state.ok")));

        // the form: the stored scheme in its select with its versions; a scheme gone meanwhile is refused at its field
        go("#/campaigns/new");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#f-scheme option[value=demo-fallback]")));
        type("f-id", campaign);
        type("f-region", "FR");
        type("f-calendar-everyDay", "00:00-24:00");
        type("f-trunk-name", DemoSetup.DEMO_TRUNK);
        type("f-limits-lines", "6");
        type("f-limits-perSecond", "6");
        type("f-attempts-rules", "[{\"outcome\": \"BUSY\", \"close\": \"EXHAUSTED\"},"
            + " {\"outcome\": \"NO_ANSWER\", \"close\": \"EXHAUSTED\"}]");
        Select scheme = new Select(browser.findElement(By.id("f-scheme")));
        assertThat(scheme.getFirstSelectedOption().getDomAttribute("value")).as("none by default").isEmpty();
        assertThat(browser.findElement(By.id("f-schemeVersion")).isEnabled()).isFalse();
        ((JavascriptExecutor) browser).executeScript("const s = document.getElementById('f-scheme');"
            + " s.append(new Option('gone', 'gone')); s.value = 'gone';");
        browser.findElement(By.id("save")).click();
        wait.until(d -> !d.findElement(By.id("f-scheme-problem")).getText().isBlank());
        assertThat(browser.findElement(By.id("f-scheme-problem")).getText()).contains("gone");
        assertThat(browser.findElement(By.id("f-scheme")).getDomAttribute("class")).contains("invalid");
        shot(lang, "01-scheme-problem");
        scheme.selectByValue("demo-fallback");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#f-schemeVersion option[value='1']")));
        new Select(browser.findElement(By.id("f-schemeVersion"))).selectByValue("1");
        shot(lang, "02-scheme-chosen");
        browser.findElement(By.id("save")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("contacts-file")));
        JsonObject def = http.get("/api/v1/campaigns/" + campaign).json().getJsonObject("definition");
        assertThat(def.getString("scheme")).isEqualTo("demo-fallback");
        assertThat(def.getInteger("schemeVersion")).isEqualTo(1);
        go("#/campaigns/" + campaign + "/edit");
        wait.until(d -> "1".equals(new Select(d.findElement(By.id("f-schemeVersion"))).getFirstSelectedOption()
            .getDomAttribute("value")));
        assertThat(new Select(browser.findElement(By.id("f-scheme"))).getFirstSelectedOption()
            .getDomAttribute("value")).isEqualTo("demo-fallback");

        // contacts: last digit 0 answers, 4 busy, 5 no answer (docs/sandbox.md); upload, then start
        go("#/campaigns/" + campaign);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("contacts-file")));
        StringBuilder rows = new StringBuilder("id,phone,name\n");
        for (int i = 0; i < CONTACTS; i++) {
            rows.append("s").append(i).append(",06 12 36 ").append(String.format("%02d", i)).append(" 0")
                .append(List.of(0, 4, 5).get(i % 3)).append(",Name").append(i).append('\n');
        }
        Path csv = dataDir.resolve("contacts-" + lang + ".csv");
        Files.writeString(csv, rows, StandardCharsets.UTF_8);
        browser.findElement(By.id("contacts-file")).sendKeys(csv.toAbsolutePath().toString());
        browser.findElement(By.id("upload")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("import-info"), "data-state", "COMPLETED"));
        browser.navigate().refresh();
        Chromium.click(wait, By.id("start"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pause")));

        // the dashboard: calls by state while they are placed, then SMS sent and delivered in the last minute
        go("#/dashboard");
        wait.until(d -> sum(d, "calls-dialing", "calls-ringing", "calls-answered", "calls-in_flow") > 0);
        shot(lang, "03-dashboard-calls-by-state");
        wait.until(d -> number(d, "messages-sent") > 0 && number(d, "messages-delivered") > 0);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('calls-and-messages').scrollIntoView()");
        shot(lang, "04-dashboard-messages");

        // one busy contact's messages: its path through the scheme, the SMS delivered at its price
        JsonObject busy = wait.until(d -> http.get("/api/v1/campaigns/" + campaign + "/runs?limit=100").json()
            .getJsonArray("items").stream().map(o -> (JsonObject) o)
            .filter(r -> r.getJsonArray("path").contains("delivered")).findFirst().orElse(null));
        go("#/campaigns/" + campaign + "/contacts/" + busy.getString("contactId"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#messages-table tr[data-channel=sms]")));
        assertThat(browser.findElement(By.id("run-path")).getText()).isEqualTo("call → sms → delivered");
        assertThat(browser.findElement(By.cssSelector("#messages-table tr[data-channel=sms] .message-status"))
            .getText()).isEqualToIgnoringCase("delivered");
        assertThat(browser.findElement(By.id("run-cost")).getText()).as("one SMS part in the demo prices")
            .isEqualTo(Long.toString(DemoSetup.DEMO_PRICES.price(io.outdial.fallback.scheme.ChannelType.SMS)));
        shot(lang, "05-contact-messages");

        // the results written as a job: the bar fills, then the file downloads with one row per contact
        go("#/campaigns/" + campaign + "/report");
        Chromium.click(wait, By.id("export-job-csv"));
        wait.until(ExpectedConditions.attributeToBe(By.id("export-info"), "data-state", "COMPLETED"));
        assertThat(browser.findElement(By.id("export-progress")).getDomProperty("value")).isEqualTo("100");
        assertThat(browser.findElement(By.id("export-rows")).getText()).startsWith(CONTACTS + " ")
            .contains(" " + CONTACTS + " ");
        String file = browser.findElement(By.id("export-download")).getDomAttribute("href");
        String text = new String(Chromium.fetch(browser, base + file).body(), StandardCharsets.UTF_8);
        assertThat(text.lines().count()).as("header and one row per contact").isEqualTo(CONTACTS + 1);
        assertThat(text.lines().findFirst().orElseThrow()).contains("cascade_path");
        shot(lang, "06-report-export-done");
        browser.findElement(By.id("export-job-xlsx")).click();
        wait.until(d -> d.findElement(By.id("export-info")).getText().contains("XLSX"));
        wait.until(ExpectedConditions.attributeToBe(By.id("export-info"), "data-state", "COMPLETED"));
        assertThat(browser.findElement(By.id("export-download")).getDomAttribute("href")).endsWith("/file");
    }

    private static long number(WebDriver d, String id) {
        List<WebElement> found = d.findElements(By.id(id));
        return found.isEmpty() ? 0 : Long.parseLong(found.get(0).getText().trim());
    }

    private static long sum(WebDriver d, String... ids) {
        long n = 0;
        for (String id : ids) {
            n += number(d, id);
        }
        return n;
    }

    private void go(String hash) {
        browser.get(base + "/" + hash);
    }

    private void type(String id, String text) {
        Chromium.type(browser, id, text);
    }

    private void shot(String lang, String name) throws IOException {
        Chromium.shot(browser, "supervisor-" + lang + "-" + name);
    }
}
