package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.demo.DemoSetup;
import java.io.IOException;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flow editor in a real browser (headless Chromium) against a demo node: a designer builds a three-question
 * survey on the diagram, sees a link to a deleted node shown on its node and in the text's gutter and fixes it,
 * previews a say prompt, saves version 1, changes the text and saves version 2, compares the two, attaches the flow
 * to a campaign through the campaign form and sees the campaign on the version; a viewer sees it all read-only.
 * Screenshots go to target/ui-screenshots/flow-*.png.
 */
class FlowEditorBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PASSWORD = "correct horse battery";
    @TempDir
    Path dataDir;
    private DialerApp app;
    private WebDriver browser;
    private WebDriverWait wait;
    private String base;

    @BeforeEach
    void start() throws IOException {
        app = Chromium.demoNode(dataDir, PASSWORD, "designer", Role.DESIGNER, "watcher", Role.VIEWER);
        base = "http://127.0.0.1:" + app.httpPort();
        browser = Chromium.start(dataDir, 1400, 1000);
        wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
        wait.ignoring(StaleElementReferenceException.class); // the diagram and the node panel redraw on each edit
    }

    @AfterEach
    void stop() {
        Chromium.stop(browser, app);
    }

    @Test
    void aDesignerBuildsASurveyOnTheDiagramAndSavesVersions() throws IOException {
        try {
            walk();
        } catch (RuntimeException | AssertionError e) {
            shot("99-failure");
            Files.writeString(Chromium.SHOTS.resolve("flow-99-failure.html"), browser.getPageSource());
            throw e;
        }
    }

    private void walk() throws IOException {
        go("#/flows");
        signIn("designer");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("flow-new-id"))).sendKeys("survey3");
        browser.findElement(By.id("flow-new")).click();
        // a new flow starts as intro (say) -> end (hangup), drawn from the start node
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("g.fe-node[data-node=intro]")));
        assertThat(browser.findElements(By.cssSelector("g.fe-node[data-node=end]"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("path.fe-edge[data-from=intro][data-to=end]"))).hasSize(1);
        shot("01-new-flow");

        // three questions and a closing say node, added on the diagram
        for (String q : List.of("q1", "q2", "q3")) {
            addNode(q, "gather");
        }
        addNode("thanks", "say");
        setField("text", "Thank you for your answers. Goodbye.");
        link("next", "end");
        selectNode("intro");
        setField("text", "Hello, this is a short survey.");
        link("next", "q1");
        question("q1", "Were you happy with our service? Press 1 for yes, 2 for no.", "q2");
        question("q2", "Would you order again? Press 1 for yes, 2 for no.", "q3");
        question("q3", "Would you recommend us? Press 1 for yes, 2 for no.", "thanks");
        // the layers follow the links from the start node
        wait.until(d -> nodeY("q3") > nodeY("q2") && nodeY("q2") > nodeY("q1") && nodeY("q1") > nodeY("intro"));
        wait.until(ExpectedConditions.attributeToBe(By.id("fe-status"), "data-valid", "true"));
        assertThat(browser.findElements(By.cssSelector("g.fe-node.bad"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("path.fe-edge[data-from=q1][data-to=q2][data-field~='menu.1']")))
            .hasSize(1);
        String text = browser.findElement(By.id("fe-src")).getDomProperty("value");
        assertThat(text).contains("\"q3\"").contains("\"onFail\": \"end\"").contains("\"1\": \"thanks\"");
        shot("02-survey-valid");

        // deleting the closing node leaves q3's keys leading nowhere: shown on q3 and next to its lines
        selectNode("thanks");
        browser.findElement(By.id("fe-delete")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("g.fe-node.bad[data-node=q3]")));
        WebElement q3 = browser.findElement(By.cssSelector("g.fe-node.bad[data-node=q3]"));
        assertThat(q3.findElement(By.cssSelector("text.fe-problem")).getText()).isNotBlank();
        assertThat(q3.getDomAttribute("aria-label")).contains("thanks");
        WebElement problem = wait.until(ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#fe-problems li.bad[data-node=q3]")));
        assertThat(problem.getText()).contains("thanks");
        String line = problem.getDomAttribute("data-line");
        assertThat(browser.findElement(By.cssSelector("#fe-gutter span.bad[data-line='" + line + "']"))).isNotNull();
        String textLine = browser.findElement(By.id("fe-src")).getDomProperty("value").split("\n")[Integer.parseInt(line) - 1];
        assertThat(textLine).contains("thanks");
        assertThat(browser.findElement(By.id("fe-status")).getDomAttribute("data-valid")).isEqualTo("false");
        shot("03-problem-on-node");
        // fixed on the diagram: q3's keys lead to the end
        selectNode("q3");
        link("menu.1", "end");
        link("menu.2", "end");
        wait.until(d -> d.findElements(By.cssSelector("g.fe-node.bad")).isEmpty());
        wait.until(ExpectedConditions.attributeToBe(By.id("fe-status"), "data-valid", "true"));

        // the say prompt as a call would hear it
        selectNode("intro");
        Chromium.click(wait, By.id("fe-preview"));
        wait.until(d -> d.findElement(By.id("fe-audio")).getDomAttribute("data-bytes") != null);
        WebElement audio = browser.findElement(By.id("fe-audio"));
        assertThat(audio.getDomAttribute("data-type")).isEqualTo("audio/wav");
        assertThat(Integer.parseInt(audio.getDomAttribute("data-bytes"))).isGreaterThan(1000);
        assertThat(audio.getDomAttribute("src")).matches("/media/tts/[0-9a-f]{64}\\.wav");
        wait.until(d -> (Boolean) js("const a = document.getElementById('fe-audio');"
            + " return a.readyState >= 1 && a.duration > 0.5;"));
        shot("04-preview");

        // version 1
        browser.findElement(By.id("fe-save")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("fe-save-result"), "data-version", "1"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#fe-version-table tr[data-version='1']")));

        // version 2: changed in the text; the diagram follows
        js("const s = document.getElementById('fe-src'); s.value = s.value.replace('a short survey', 'a very short survey');"
            + " s.dispatchEvent(new Event('input'));");
        wait.until(d -> d.findElement(By.cssSelector("g.fe-node[data-node=intro] text.fe-body")).getText().contains("very"));
        wait.until(ExpectedConditions.attributeToBe(By.id("fe-status"), "data-valid", "true"));
        browser.findElement(By.id("fe-save")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("fe-save-result"), "data-version", "2"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#fe-version-table tr[data-version='2']")));

        // compare v1 with v2
        new Select(browser.findElement(By.id("fe-cmp-a"))).selectByValue("1");
        new Select(browser.findElement(By.id("fe-cmp-b"))).selectByValue("2");
        browser.findElement(By.id("fe-compare")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#fe-diff span.add")));
        assertThat(browser.findElement(By.cssSelector("#fe-diff span.add")).getText()).startsWith("+").contains("very short");
        assertThat(browser.findElement(By.cssSelector("#fe-diff span.del")).getText()).startsWith("-")
            .contains("a short survey");
        scrollTo("fe-versions");
        shot("05-compare");

        // the flow attached to a campaign through the campaign form, then listed on the version it will run
        go("#/campaigns/new");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-id")));
        type("f-id", "fe-camp");
        type("f-name", "Flow editor campaign");
        type("f-region", "FR");
        type("f-calendar-everyDay", "00:00-24:00");
        type("f-trunk-name", DemoSetup.DEMO_TRUNK);
        type("f-limits-lines", "2");
        type("f-limits-perSecond", "1");
        type("f-flowId", "survey3");
        browser.findElement(By.id("save")).click();
        wait.until(ExpectedConditions.urlContains("#/campaigns/fe-camp"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("campaign-message")));
        // a fresh page load: the campaign page, still loading its preflight and contacts, would draw over the next
        // screen of the same page
        go("#/flows/survey3");
        browser.navigate().refresh();
        WebElement onV2 = wait.until(ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#fe-version-table tr[data-version='2'] [data-campaign=fe-camp]")));
        assertThat(onV2.getText()).contains("fe-camp");
        assertThat(browser.findElements(By.cssSelector("#fe-version-table tr[data-version='1'] [data-campaign]"))).isEmpty();
        assertThat(browser.findElement(By.id("fe-try")).getDomAttribute("href")).isEqualTo("#/try/survey3");
        scrollTo("fe-versions");
        shot("06-campaign-on-version");
        go("#/flows");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flows tr[data-flow=survey3]")));
        assertThat(row.getText()).contains("v2").contains("fe-camp");
        shot("07-flow-list");

        // a viewer sees the flow read-only
        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        go("#/flows/survey3");
        signIn("watcher");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("g.fe-node[data-node=q3]")));
        assertThat(browser.findElements(By.id("fe-save"))).isEmpty();
        assertThat(browser.findElements(By.id("fe-add"))).isEmpty();
        assertThat(browser.findElement(By.id("fe-src")).getDomAttribute("readonly")).isNotNull();
        selectNode("q1");
        assertThat(browser.findElements(By.id("fe-delete"))).isEmpty();
        assertThat(browser.findElements(By.id("fe-preview"))).isEmpty();
        assertThat(browser.findElement(By.id("fe-link-onFail")).isEnabled()).isFalse();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#fe-version-table tr[data-version='2']")));
        go("#/flows");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flows tr[data-flow=survey3]")));
        assertThat(browser.findElements(By.id("flow-new"))).isEmpty();
        shot("08-viewer-read-only");
    }

    private void signIn(String user) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("who")));
    }

    private void addNode(String id, String type) {
        type("fe-add-id", id);
        new Select(browser.findElement(By.id("fe-add-type"))).selectByValue(type);
        browser.findElement(By.id("fe-add")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("g.fe-node.selected[data-node='" + id + "']")));
    }

    private void selectNode(String id) {
        wait.until(d -> {
            d.findElement(By.cssSelector("g.fe-node[data-node='" + id + "']")).click();
            return !d.findElements(By.cssSelector("g.fe-node.selected[data-node='" + id + "']")).isEmpty();
        });
    }

    /** Types into a text field of the node panel; the edit applies when the field is left. */
    private void setField(String field, String text) {
        WebElement e = wait.until(ExpectedConditions.elementToBeClickable(By.id("fe-field-" + field)));
        e.sendKeys(Keys.chord(Keys.CONTROL, "a"), text); // clear() would fire a change event of its own
        try {
            e.sendKeys(Keys.TAB); // leaving the field applies the edit, and the node panel is drawn again
        } catch (StaleElementReferenceException redrawn) {
            // the panel was redrawn while the key was being sent
        }
        wait.until(d -> d.findElement(By.id("fe-src")).getDomProperty("value").contains(text));
    }

    private void link(String field, String target) {
        String id = "fe-link-" + field.replace('.', '-');
        wait.until(d -> {
            new Select(d.findElement(By.id(id))).selectByValue(target);
            return target.equals(new Select(d.findElement(By.id(id))).getFirstSelectedOption().getDomAttribute("value"));
        });
        wait.until(d -> !d.findElements(By.cssSelector("path.fe-edge[data-field~='" + field + "'][data-to='" + target + "']"))
            .isEmpty());
    }

    private void question(String id, String prompt, String next) {
        selectNode(id);
        setField("prompt", prompt);
        for (String key : List.of("1", "2")) {
            wait.until(d -> {
                new Select(d.findElement(By.id("fe-key"))).selectByValue(key);
                new Select(d.findElement(By.id("fe-key-target"))).selectByValue(next);
                d.findElement(By.id("fe-key-add")).click();
                return true;
            });
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("fe-link-menu-" + key)));
        }
        link("onFail", "end");
    }

    private double nodeY(String id) {
        return Double.parseDouble(browser.findElement(By.cssSelector("g.fe-node[data-node='" + id + "'] rect"))
            .getDomAttribute("y"));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void scrollTo(String id) {
        js("document.getElementById('" + id + "').scrollIntoView()");
    }

    private void go(String hash) {
        browser.get(base + "/" + hash);
    }

    private void type(String id, String text) {
        WebElement e = wait.until(ExpectedConditions.elementToBeClickable(By.id(id)));
        e.clear();
        e.sendKeys(text);
    }

    private void shot(String name) throws IOException {
        Chromium.shot(browser, "flow-" + name);
    }
}
