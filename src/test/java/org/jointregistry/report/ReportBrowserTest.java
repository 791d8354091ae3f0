package org.jointregistry.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jointregistry.aggregate.FixtureTest;
import org.jointregistry.stack.WholeNetwork;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The report page in a real browser (Debian's chromium through chromium-driver)
 * as the service serves it, with its own Content-Security-Policy: nothing is
 * refused or logged as an error, the stylesheet applies, and every chart is
 * drawn with a size. Screenshots go to target/report-browser/ for a person to
 * look at. Outside CI a machine without chromium skips this test; CI installs
 * it (.ci/run), so there it always runs.
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class ReportBrowserTest extends FixtureTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TestHTTPResource("/api/v1/reports/joint")
    URL report;

    @Test
    void thePageLoadsUnderItsPolicyWithEveryChartDrawn() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (System.getenv("CI") != null) {
            assertTrue(installed, "CI must have chromium and chromium-driver (.ci/run installs them)");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1024,6000", "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            // The page needs the analyst's token, sent as a header the way an API client sends it.
            browser.executeCdpCommand("Network.enable", Map.of());
            for (String lang : List.of("en", "fr")) {
                browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers",
                        Map.of("Authorization", "Bearer " + Tokens.analyst(), "Accept", "text/html")));
                browser.get(report + "?lang=" + lang);
                assertEquals(lang, browser.findElement(By.tagName("html")).getAttribute("lang"));

                List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
                assertTrue(problems.isEmpty(), "console: " + problems);
                // Nothing was fetched but the page itself, and the inline stylesheet was applied.
                Object resources = browser.executeScript(
                        "return performance.getEntriesByType('resource').length");
                assertEquals(0L, resources);
                assertEquals("rgba(29, 78, 114, 1)", browser.findElement(By.tagName("h1")).getCssValue("color"));

                List<WebElement> charts = browser.findElements(By.cssSelector("svg.chart"));
                // A chart per breakdown, two each for gender and complaints.
                assertEquals(ReportView.BREAKDOWNS.size() + 2, charts.size());
                assertEquals(charts.size(), browser.findElements(By.cssSelector("table.breakdown")).size());
                for (WebElement chart : charts) {
                    assertTrue(chart.getRect().getWidth() > 100 && chart.getRect().getHeight() > 20,
                            "chart size " + chart.getRect().getDimension());
                }
                assertFalse(browser.findElements(By.cssSelector("td.suppressed")).isEmpty());

                Path shots = Path.of(System.getProperty("registry.build.dir", "target"), "report-browser");
                Files.createDirectories(shots);
                Files.write(shots.resolve("joint-report-" + lang + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            }
        } finally {
            browser.quit();
        }
    }
}
