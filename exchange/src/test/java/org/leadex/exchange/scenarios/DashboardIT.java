package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;
import org.leadex.exchange.support.WebhookReceiver;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromedriver; .ci/run installs
 * them): it asks for the admin key, then shows live numbers that move while pings flow, buyers,
 * revenue, recent pings with their decision traces, and a dead-lettered delivery that can be resent
 * from the page. Saves a screenshot as target/dashboard.png (docs/dashboard.png is a copy of one).
 */
class DashboardIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void theDashboardShowsLiveTradingAndResendsADeadLetter() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)");
    AtomicBoolean trading = new AtomicBoolean(true);
    try (TestExchange exchange = TestExchange.start(TestDatabase.fresh("dashboard"));
         TestBuyers buyers = TestBuyers.start();
         WebhookReceiver receiver = WebhookReceiver.start()) {
      String sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
      receiver.at("crm").status = 503;
      String acme = buyers.bidderJson("acme", 1_000);
      exchange.buyer("acme", acme.substring(0, acme.length() - 1) + ",\"crm\":{\"url\":\"" + receiver.url("crm")
          + "\",\"mapping\":{\"id\":\"lead_id\"},\"max_attempts\":1}}");
      exchange.buyer("globex", buyers.bidderJson("globex", 1_000));
      exchange.buyer("initech", buyers.bidderJson("initech", 1_000));
      buyers.buyer("acme").bids("14.25");
      buyers.buyer("globex").bids("11.50");
      buyers.buyer("initech").delayMillis = 30;
      exchange.campaign("auto-insurance", TestExchange.campaignJson(
          "[{\"mode\":\"auction\",\"buyers\":[\"acme\",\"globex\",\"initech\"]}]", "\"floor\":2.00"));

      AtomicInteger sent = new AtomicInteger();
      Thread traffic = new Thread(() -> {
        String[] sources = {"google-cpc", "facebook", "partner-17"};
        while (trading.get()) {
          int i = sent.getAndIncrement();
          String source = sources[i % sources.length];
          Http.Reply ping = exchange.ping(sellerKey, "{\"campaign\":\"auto-insurance\",\"source\":\"" + source
              + "\",\"lead\":" + TestExchange.LEAD + "}");
          // Six posts (two per source) are enough for the tables, and make six dead letters to resend.
          if (i % 4 == 0 && i < 24 && "bid".equals(ping.text("status"))) {
            exchange.post(sellerKey, ping.text("ping_id"), TestExchange.FULL_LEAD);
          }
          sleep(40);
        }
      }, "traffic");
      traffic.start();

      WebDriver browser = chromium();
      try {
        // Tables are redrawn every few seconds: an element found just before a redraw goes stale.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(exchange.url() + "/dashboard/");
        wait.until(b -> b.findElement(By.id("login")).isDisplayed());

        signIn(browser, "not-an-admin-key-000000");
        wait.until(b -> !b.findElement(By.id("login-error")).getText().isEmpty());
        signIn(browser, TestExchange.ADMIN_KEY);
        wait.until(b -> b.findElement(By.id("board")).isDisplayed());

        // Live numbers, then the same numbers later: they move while pings flow.
        wait.until(b -> number(b, "pings-total") > 0 && number(b, "pings-per-second") > 0);
        long first = number(browser, "pings-total");
        wait.until(b -> number(b, "pings-total") > first + 10);
        wait.until(b -> b.findElement(By.id("p99")).getText().endsWith("ms"));
        wait.until(b -> b.findElement(By.id("fill-rate")).getText().endsWith("%"));
        wait.until(b -> rows(b, "buyers-table") == 3);
        wait.until(b -> rows(b, "revenue-table") >= 3);
        wait.until(b -> rows(b, "campaigns-table") == 1);
        wait.until(b -> rows(b, "pings-table") > 5);
        assertTrue(browser.findElement(By.id("buyers-table")).getText().contains("acme"));

        wait.until(b -> {
          b.findElements(By.cssSelector("#pings-table tbody tr")).get(0).click();
          return true;
        });
        wait.until(b -> b.findElement(By.id("trace")).getText().contains("\"ping_id\""));
        wait.until(b -> rows(b, "dead-table") >= 1);
        sleep(2_500); // let the charts draw a few points for the picture
        Path shot = Path.of("target", "dashboard.png");
        Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
            StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(shot) > 10_000, "a real screenshot");

        // Stop trading so no new dead letters arrive, then resend them all from the page.
        trading.set(false);
        traffic.join();
        receiver.at("crm").status = 200;
        wait.until(b -> {
          for (WebElement button : b.findElements(By.cssSelector("#dead-table button.resend"))) {
            if (button.isEnabled()) {
              button.click();
            }
          }
          return rows(b, "dead-table") == 0;
        });
        Http.Reply dead = exchange.admin("GET", "/v1/admin/deliveries?status=dead", null);
        assertEquals(0, dead.json().get("deliveries").size(), dead.body());
      } finally {
        trading.set(false);
        browser.quit();
      }
    }
  }

  private static WebDriver chromium() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--window-size=1440,1500", "--user-data-dir=" + Files.createTempDirectory("dashboard-chromium"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static void signIn(WebDriver browser, String key) {
    WebElement field = browser.findElement(By.id("key"));
    field.clear();
    field.sendKeys(key);
    browser.findElement(By.id("sign-in")).click();
  }

  /** A tile's number without its thousands separators and units; -1 while it shows none. */
  private static long number(WebDriver browser, String id) {
    String text = browser.findElement(By.id(id)).getText().replaceAll("[^0-9.]", "");
    return text.isEmpty() ? -1 : (long) Math.ceil(Double.parseDouble(text));
  }

  private static int rows(WebDriver browser, String tableId) {
    return browser.findElements(By.cssSelector("#" + tableId + " tbody tr")).size();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
