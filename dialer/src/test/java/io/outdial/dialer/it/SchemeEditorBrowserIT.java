package io.outdial.dialer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The scheme editor in headless Chromium against a demo node: start a Voice → SMS scheme from a template, change
 * the SMS text and see its parts, alphabet and cost follow, empty it and see the problem on its block, fix it,
 * save it as a version, dry-run it with five behaviours and read each path; then a viewer sees it read-only.
 * Screenshots go to target/ui-screenshots/.
 */
class SchemeEditorBrowserIT {
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
        browser = Chromium.start(dataDir, 1280, 900);
    }

    @AfterEach
    void stop() {
        Chromium.stop(browser, app);
    }

    @Test
    void aDesignerBuildsAVoiceThenSmsSchemeSavesItAndDryRunsIt() throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class); // the editor redraws on every change
        signIn(wait, "boss");

        // the list: no stored scheme yet, the built-in templates to start from
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nav a[href='#/schemes']")));
        go("#/schemes");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.use-template[data-template='voice-sms']")));
        shot("01-list");
        type("new-scheme-id", "callback");
        browser.findElement(By.cssSelector("button.use-template[data-template='voice-sms']")).click();

        // the editor: the diagram has the template's blocks; the SMS block's estimate comes with validation
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#scheme-diagram g.node[data-block='call']")));
        assertThat(browser.findElements(By.cssSelector("#scheme-diagram g.node"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#scheme-diagram g.sch-edge[data-from='call'][data-to='sms']")))
            .hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#scheme-diagram g.sch-edge[data-from='call'][data-to='sms']"))
            .getText()).contains("busy");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#scheme-estimates tr[data-block='sms']")));
        browser.findElement(By.cssSelector("#scheme-diagram g.node[data-block='sms']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("block-text")));
        wait.until(d -> d.findElement(By.id("block-estimate")).getText().contains("1 × SMS GSM7"));
        assertThat(text("block-estimate")).contains("Cost per recipient: 5");

        // a long Russian text: UCS-2, three parts, three times the price; the JSON follows
        String russian = "Анна, мы не дозвонились до вас. Перезвоните нам, пожалуйста, по номеру +33 1 23 45 67 89"
            + " в любое удобное время с 9 до 18 часов. Ваш заказ готов и ждёт вас в пункте выдачи."; // 171 units
        type("block-text", russian);
        wait.until(d -> d.findElement(By.id("block-estimate")).getText().contains("3 × SMS UCS2"));
        assertThat(text("block-estimate")).contains("Cost per recipient: 15");
        assertThat(browser.findElement(By.cssSelector("#scheme-diagram g.node[data-block='sms']")).getText())
            .contains("3 × SMS UCS2");
        assertThat(browser.findElement(By.id("scheme-json")).getDomProperty("value")).contains("Перезвоните нам");
        shot("02-editor-ucs2");

        // an empty text is a problem shown on its block, then fixed
        WebElement text = browser.findElement(By.id("block-text"));
        text.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#scheme-diagram g.node.problem[data-block='sms']")));
        assertThat(browser.findElement(By.cssSelector("#scheme-problems li[data-block='sms']")).getText()).isNotBlank();
        wait.until(d -> d.findElement(By.id("block-problems")).getText().contains("text"));
        shot("03-problem-on-block");
        type("block-text", "{{contact.name}}, we could not reach you. Please call us back.");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#scheme-diagram g.node.problem"), 0));
        wait.until(d -> d.findElement(By.id("block-estimate")).getText().contains("1 × SMS GSM7"));

        // saved as version 1
        browser.findElement(By.id("save-scheme")).click();
        wait.until(d -> d.findElement(By.id("save-status")).getText().contains("version 1"));
        assertThat(text("save-status")).doesNotContain("invalid");

        // dry run: the four default behaviours and "unreachable", with refunds of undelivered messages
        browser.findElement(By.cssSelector("input.preset[value='unreachable']")).click();
        browser.findElement(By.id("pay-for-delivered")).click();
        browser.findElement(By.id("run-dry")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dry-results .sch-path"), 5));
        List<WebElement> paths = browser.findElements(By.cssSelector("#dry-results .sch-path"));
        // answers the call: the run ends after the call, no SMS, nothing paid
        assertThat(blocks(paths.get(0))).containsExactly("call", "done");
        assertThat(paths.get(0).findElement(By.className("total-cost")).getText()).isEqualTo("0");
        // busy: the SMS goes out, is delivered and paid
        assertThat(blocks(paths.get(1))).containsExactly("call", "sms", "done");
        WebElement sms = paths.get(1).findElement(By.cssSelector("li.step[data-block='sms']"));
        assertThat(sms.getText()).contains("Anna, we could not reach you. Please call us back.", "1 × SMS GSM7",
            "status delivered");
        assertThat(paths.get(1).findElement(By.cssSelector("li.step[data-block='call']")).getText())
            .contains("status busy");
        assertThat(paths.get(1).findElement(By.className("total-cost")).getText()).isEqualTo("5");
        // unreachable: the SMS is undelivered and refunded
        WebElement unreachable = paths.get(4);
        assertThat(blocks(unreachable)).containsExactly("call", "sms", "done");
        assertThat(unreachable.findElement(By.cssSelector("li.step[data-block='sms']")).getText())
            .contains("refund 5", "status undelivered");
        assertThat(unreachable.findElement(By.className("total-cost")).getText()).isEqualTo("0");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
            "document.getElementById('dry-run').scrollIntoView()");
        shot("04-dry-run");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", unreachable);
        shot("05-dry-run-refund");

        // a viewer sees the scheme read-only
        browser.findElement(By.id("logout")).click();
        signIn(wait, "watcher");
        go("#/schemes");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#scheme-list a[href='#/schemes/callback']")))
            .click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#scheme-diagram g.node[data-block='sms']")));
        assertThat(browser.findElements(By.id("read-only"))).hasSize(1);
        assertThat(browser.findElements(By.id("save-scheme"))).isEmpty();
        assertThat(browser.findElements(By.id("dry-run"))).isEmpty();
        assertThat(browser.findElement(By.id("scheme-json")).getDomProperty("readOnly")).isEqualTo("true");
        browser.findElement(By.cssSelector("#scheme-diagram g.node[data-block='sms']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("block-text")));
        assertThat(browser.findElement(By.id("block-text")).getDomProperty("readOnly")).isEqualTo("true");
        shot("06-viewer-read-only");
    }

    private static List<String> blocks(WebElement path) {
        return path.findElements(By.cssSelector("li.step")).stream().map(e -> e.getDomAttribute("data-block")).toList();
    }

    private void signIn(WebDriverWait wait, String user) {
        Chromium.signIn(browser, wait, base, user, PASSWORD);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void go(String hash) {
        browser.get(base + "/" + hash);
    }

    private void type(String id, String value) {
        WebElement e = browser.findElement(By.id(id));
        e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        e.sendKeys(value);
    }

    private void shot(String name) throws IOException {
        Chromium.shot(browser, "schemes-" + name);
    }
}
