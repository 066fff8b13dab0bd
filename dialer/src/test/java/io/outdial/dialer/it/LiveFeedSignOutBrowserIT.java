package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (headless Chromium) when the session under it ends in the database alone, as the
 * command line's {@code user passwd} does: the node cuts the live feed, the browser's reconnect is refused, and the
 * page goes back to the login instead of showing "reconnecting" for ever.
 */
class LiveFeedSignOutBrowserIT {
    private static final String PASSWORD = "correct horse battery";
    @TempDir
    Path dataDir;
    private DialerApp app;
    private WebDriver browser;

    @BeforeEach
    void start() throws java.io.IOException {
        app = Chromium.demoNode(dataDir, PASSWORD, "watcher", Role.VIEWER);
        browser = Chromium.start(dataDir, 1280, 800);
    }

    @AfterEach
    void stop() {
        Chromium.stop(browser, app);
    }

    @Test
    void theDashboardReturnsToTheLoginWhenTheSessionEndsOutsideTheNode() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class); // the dashboard redraws twice a second
        browser.get("http://127.0.0.1:" + app.httpPort() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys("watcher");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#feed-state.ok")));

        // what the command line does: the database changes, no node is told
        assertThat(app.security().setPassword("watcher", "another long password"))
            .isTrue();
        long changedAt = System.nanoTime();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.findElements(By.id("feed-state"))).isEmpty();
        org.slf4j.LoggerFactory.getLogger(LiveFeedSignOutBrowserIT.class).info("login page shown {} ms after the"
            + " session ended in the database", (System.nanoTime() - changedAt) / 1_000_000);
    }
}
