package io.outdial.dialer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.support.TestAuth;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * "Try a flow" in a real browser (headless Chromium) against a demo node: a stored flow with a say prompt and a menu
 * is opened at {@code #/try/<id>}; Call places the call on the node's engine to the sandbox PBX; the prompt's event
 * shows and the audio element loads the prompt's WAV; a key on the keypad (no match: asked again) and a key typed on
 * the keyboard go into the live call; the branch taken, the variable and the answer show; the flow hangs up and the
 * outcome shows. Screenshots under target/ui-screenshots/try-*.png.
 */
class FlowTryBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PASSWORD = "correct horse battery";
    @TempDir
    Path dataDir;
    private DialerApp app;
    private WebDriver browser;
    private String base;

    @BeforeEach
    void start() throws IOException {
        app = Chromium.demoNode(dataDir, PASSWORD, "ada", Role.DESIGNER);
        ApiTestClient designer = new ApiTestClient(app.httpPort(), TestAuth.token(app, Role.DESIGNER));
        ApiTestClient.Res saved = designer.put("/api/v1/flows/try-survey", FlowTriesApiIT.FLOW, "application/yaml");
        assertThat(saved.status()).as(saved.body()).isIn(200, 201);
        base = "http://127.0.0.1:" + app.httpPort();
        browser = Chromium.start(dataDir, 1280, 900);
    }

    @AfterEach
    void stop() {
        Chromium.stop(browser, app);
    }

    @Test
    void aDesignerCallsTheFlowPressesKeysAndSeesThePathAnswersAndOutcome() throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(base + "/#/try/try-survey");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("ada");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("try-call")));
        assertThat(browser.findElement(By.id("try-flow")).getText()).isEqualTo("try-survey");
        assertThat(browser.findElements(By.cssSelector("#keypad button"))).hasSize(12)
            .allMatch(b -> !b.isEnabled(), "keys wait for the answer");
        shot("01-idle");

        browser.findElement(By.id("try-call")).click();
        wait.until(ExpectedConditions.textToBe(By.id("try-version"), "version 1"));
        // the first prompt: its event, and the audio element loads its WAV from the node
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#try-log li[data-type=prompt]")));
        assertThat(browser.findElement(By.cssSelector("#try-log li[data-type=prompt]")).getText())
            .contains("Hello, this is a short survey.");
        wait.until(d -> String.valueOf(js("return document.getElementById('try-audio').src")).contains("/api/v1/tries/"));
        @SuppressWarnings("unchecked")
        Map<String, Object> audio = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(document.getElementById('try-audio').src, {credentials: 'same-origin'}).then(async r => {"
                + " const b = new Uint8Array(await r.arrayBuffer());"
                + " done({status: r.status, type: r.headers.get('Content-Type'), size: b.length,"
                + " head: String.fromCharCode(b[0], b[1], b[2], b[3])}); }).catch(e => done({error: String(e)}));");
        assertThat(audio).containsEntry("status", 200L).containsEntry("type", "audio/wav").containsEntry("head", "RIFF");
        assertThat((Long) audio.get("size")).isGreaterThan(1000L);

        // in the menu: '*' on the keypad is no match (asked again), then '1' typed on the keyboard
        wait.until(d -> nodes().contains("ask"));
        Chromium.click(wait, By.cssSelector("#keypad button[data-key='*']"));
        wait.until(d -> d.findElements(By.cssSelector("#try-log li[data-type=dtmf]")).size() == 1);
        wait.until(d -> nodes().stream().filter("ask"::equals).count() == 1
            && d.findElements(By.cssSelector("#try-log li[data-type=prompt]")).size() >= 3);
        shot("02-in-call");
        browser.findElement(By.tagName("body")).sendKeys("1");

        wait.until(ExpectedConditions.textToBe(By.id("try-outcome"), "ANSWERED"));
        assertThat(browser.findElements(By.cssSelector("#try-log li[data-type=dtmf]"))).extracting(WebElement::getText)
            .anySatisfy(s -> assertThat(s).endsWith("*")).anySatisfy(s -> assertThat(s).endsWith("1"));
        assertThat(nodes()).containsSubsequence("hello", "ask", "liked", "goal", "bye");
        assertThat(browser.findElement(By.cssSelector("#try-answers tr[data-key=ask] td")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.cssSelector("#try-vars tr[data-key=mood] td")).getText()).isEqualTo("happy");
        assertThat(browser.findElement(By.id("try-completion")).getText()).isEqualTo("COMPLETED");
        assertThat(browser.findElement(By.id("try-goal")).getText()).isEqualTo("liked");
        assertThat(browser.findElement(By.id("try-path")).getText()).isEqualTo("hello → ask → liked → goal → bye");
        assertThat(browser.findElement(By.id("try-hangup")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("try-call")).isEnabled()).isTrue();
        shot("03-ended");

        // a second call, hung up from the page while the first prompt plays
        browser.findElement(By.id("try-call")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#try-log li[data-type=answered]")));
        browser.findElement(By.id("try-hangup")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("try-outcome")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#try-log li[data-type=hungUp]")));
        assertThat(browser.findElement(By.id("try-completion")).getText()).isEqualTo("LEFT_EARLY");
        shot("04-hung-up");
    }

    private List<String> nodes() {
        return browser.findElements(By.cssSelector("#try-log li[data-type=node] .node-id")).stream()
            .map(WebElement::getText).toList();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void shot(String name) throws IOException {
        Chromium.shot(browser, "try-" + name);
    }
}
