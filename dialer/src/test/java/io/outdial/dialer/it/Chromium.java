package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.demo.DemoSetup;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Debian's headless Chromium for the web UI's browser tests (scripts/install-test-deps.sh installs it): no
 * background networking (this machine's network is closed), a fresh profile under the test's folder, autoplay
 * allowed (prompt audio), a fixed window size; and screenshots under target/ui-screenshots/.
 */
public final class Chromium {
    static final Path SHOTS = Path.of("target", "ui-screenshots");

    private Chromium() {
    }

    /** A browser whose window is {@code width} x {@code height}; quit it when done. */
    public static WebDriver start(Path dataDir, int width, int height) throws IOException {
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required",
            "--user-data-dir=" + Files.createTempDirectory(dataDir, "chromium"),
            "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(width, height));
        return browser;
    }

    /**
     * A demo node (embedded H2, the sandbox carriers) on loopback with one user per {@code users} entry (name, role),
     * each with the password {@code password}; stop it with {@link #stop}.
     */
    static DialerApp demoNode(Path dataDir, String password, Object... users) {
        DialerApp app = DialerApp.create(TestConfigs.local(dataDir));
        DemoSetup.install(app);
        Await.result(app.start(), 180); // a loaded 2-core machine starts a node slowly
        for (int i = 0; i < users.length; i += 2) {
            app.security().addUser((String) users[i], (Role) users[i + 1], password);
        }
        return app;
    }

    /** Quits the browser and stops the node, either of which may be null (a start that failed half way). */
    static void stop(WebDriver browser, DialerApp app) {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            Await.result(app.stop(), 120);
        }
    }

    /** Opens the UI at {@code base} and signs in with the form; returns once the signed-in page shows its menu. */
    public static void signIn(WebDriver browser, org.openqa.selenium.support.ui.WebDriverWait wait, String base,
                              String user, String password) {
        browser.get(base + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    /** Replaces the text of the field {@code id}. */
    /**
     * Clicks the element {@code by} finds once it is clickable, inside the wait: a page that re-renders the element
     * between finding and clicking (a live table, a filtered list) makes the wait find it again.
     */
    static void click(org.openqa.selenium.support.ui.WebDriverWait wait, org.openqa.selenium.By by) {
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            org.openqa.selenium.WebElement e = d.findElement(by);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        });
    }

    static void type(WebDriver browser, String id, String text) {
        org.openqa.selenium.WebElement e = browser.findElement(org.openqa.selenium.By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** {@code url} fetched with the browser's session cookie (a download the page links to); fails unless 200. */
    static java.net.http.HttpResponse<byte[]> fetch(WebDriver browser, String url) throws IOException {
        String cookie = browser.manage().getCookieNamed(io.outdial.dialer.auth.ApiSecurity.COOKIE).getValue();
        try {
            java.net.http.HttpResponse<byte[]> res = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Cookie", io.outdial.dialer.auth.ApiSecurity.COOKIE + "=" + cookie)
                    .timeout(java.time.Duration.ofSeconds(60)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                throw new AssertionError(url + " answered " + res.statusCode());
            }
            return res;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Writes what the browser shows to target/ui-screenshots/{@code name}.png. */
    public static void shot(WebDriver browser, String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
