package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.Promtool;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * {@code GET /metrics}: valid Prometheus text by Prometheus's own checker, and figures that move
 * with traffic: pings, bid outcomes and latency per buyer, sales and revenue, circuit states,
 * database pool and event-loop lag.
 */
class MetricsIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("metrics"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.buyer("m-acme", buyers.bidderJson("m-acme", 1_000));
    exchange.buyer("m-silent", buyers.bidderJson("m-silent", 1_000));
    buyers.buyer("m-acme").bids("10.00");
    exchange.campaign("m-camp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"m-acme\",\"m-silent\"]}]", ""));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  private static String scrape() {
    Http.Reply reply = Http.send("GET", exchange.url() + "/metrics", null, null);
    assertEquals(200, reply.status());
    assertTrue(reply.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    return reply.body();
  }

  /** Every sample of the exposition by its full series name ({@code name{labels}}). */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> out = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$").matcher(text);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }

  @Test
  void theExpositionPassesPromtoolAndMovesWithTraffic() throws Exception {
    Map<String, Double> before = samples(scrape());
    for (int i = 0; i < 5; i++) {
      Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("m-camp"));
      assertEquals("bid", ping.text("status"), ping.body());
      Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), TestExchange.FULL_LEAD);
      assertEquals("sold", post.text("status"), post.body());
    }
    String text = scrape();
    Map<String, Double> after = samples(text);

    assertEquals(5.0, after.get("exchange_pings_total{status=\"bid\"}") - before.getOrDefault("exchange_pings_total{status=\"bid\"}", 0.0));
    assertEquals(5.0, after.get("exchange_bids_total{buyer=\"m-acme\",outcome=\"bid\"}"));
    assertEquals(5.0, after.get("exchange_bids_total{buyer=\"m-silent\",outcome=\"no_bid\"}"));
    assertEquals(10.0, after.get("exchange_bid_duration_seconds_count{buyer=\"m-acme\"}")
        + after.get("exchange_bid_duration_seconds_count{buyer=\"m-silent\"}"));
    assertEquals(5.0, after.get("exchange_ping_duration_seconds_count"));
    assertEquals(5.0, after.get("exchange_posts_total{outcome=\"sold\"}"));
    assertEquals(5.0, after.get("exchange_post_duration_seconds_count"));
    assertEquals(5.0, after.get("exchange_sales_total{buyer=\"m-acme\"}"));
    assertEquals(5000.0, after.get("exchange_revenue_cents_total"));
    assertEquals(1.0, after.get("exchange_buyer_circuit_state{buyer=\"m-acme\",state=\"closed\"}"));
    assertEquals(0.0, after.get("exchange_buyer_circuit_state{buyer=\"m-acme\",state=\"open\"}"));
    assertTrue(after.get("exchange_db_pool_connections") >= 1, text);
    assertEquals(16.0, after.get("exchange_db_pool_max_connections"));
    assertTrue(after.containsKey("exchange_event_loop_lag_seconds"), text);
    assertTrue(after.containsKey("exchange_deliveries_dead"), text);

    Path promtool = Promtool.find().orElse(null);
    Assumptions.assumeTrue(promtool != null, "promtool not installed (Debian package prometheus; .ci/run installs it)");
    Promtool.Verdict verdict = Promtool.checkMetrics(promtool, text.getBytes(StandardCharsets.UTF_8));
    assertTrue(verdict.ok(), "promtool check metrics: " + verdict.output() + "\n" + text);
  }
}
