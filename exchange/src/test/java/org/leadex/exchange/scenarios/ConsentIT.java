package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Consent checks over real HTTP: a consent service of this test's own answers valid, invalid, too
 * old, garbage, or hangs, or is down; only a valid, young certificate lets a lead be offered, the
 * verdict is kept on the lead, shown in the trace and the returns queue, and sent to the buyer.
 */
class ConsentIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static Vertx vertx;
  static HttpServer consent;
  static String sellerKey;
  static String buyerKey;
  static final List<JsonNode> checks = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    consent = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      checks.add(Json.parse(body.toString()));
      String mode = request.path().substring(1);
      var response = request.response().putHeader("content-type", "application/json");
      switch (mode) {
        case "valid" -> response.end("{\"valid\":true,\"created_at\":\"" + Instant.now().minusSeconds(600) + "\"}");
        case "invalid" -> response.end("{\"valid\":false}");
        case "old" -> response.end("{\"valid\":true,\"created_at\":\"" + Instant.now().minusSeconds(7_200) + "\"}");
        case "garbage" -> response.end("<html>not json</html>");
        case "error" -> response.setStatusCode(500).end("{}");
        case "hang" -> { } // never answers
        default -> response.setStatusCode(404).end();
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    exchange = TestExchange.start(TestDatabase.fresh("consent"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    buyerKey = exchange.admin("PUT", "/v1/admin/buyers/cb", buyers.bidderJson("cb", 900)).text("api_key");
    buyers.buyer("cb").bids("10.00");
    for (String mode : List.of("valid", "invalid", "old", "garbage", "error", "hang")) {
      exchange.campaign("c-" + mode, campaign("http://127.0.0.1:" + consent.actualPort() + "/" + mode, ""));
    }
    exchange.campaign("c-down", campaign("http://127.0.0.1:" + closedPort() + "/check", ""));
    exchange.campaign("c-short", campaign("http://127.0.0.1:" + consent.actualPort() + "/hang", "")
        .replace("\"post_timeout_ms\":3000", "\"post_timeout_ms\":200"));
    exchange.campaign("c-manual", campaign("http://127.0.0.1:" + consent.actualPort() + "/valid",
        ",\"returns\":{\"days\":7,\"approval\":\"manual\"}"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
    vertx.close();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String campaign(String checkUrl, String extra) {
    return "{\"vertical\":\"auto-insurance\",\"fields\":{\"zip\":{\"type\":\"string\",\"required\":true},"
        + "\"state\":{\"type\":\"string\",\"required\":true},\"age\":{\"type\":\"integer\"},"
        + "\"cert\":{\"type\":\"string\",\"consent\":true}},\"pii_fields\":[\"first_name\",\"last_name\",\"email\","
        + "\"phone\",\"address\"],\"ping_timeout_ms\":1000,\"post_timeout_ms\":3000,"
        + "\"consent\":{\"required\":true,\"check_url\":\"" + checkUrl + "\",\"max_age_s\":3600},"
        + "\"tiers\":[{\"mode\":\"auction\",\"buyers\":[\"cb\"]}]" + extra + "}";
  }

  private static String lead(String cert) {
    return "{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42" + (cert == null ? "" : ",\"cert\":\"" + cert + "\"")
        + ",\"first_name\":\"Ana\",\"last_name\":\"Lopez\",\"email\":\"ana@example.com\",\"phone\":\"+13105550100\","
        + "\"address\":\"1 Main St\"}";
  }

  private static Http.Reply direct(String campaign, String cert) {
    return exchange.call("POST", "/v1/leads", sellerKey, "{\"campaign\":\"" + campaign + "\",\"source\":\"s\",\"lead\":"
        + lead(cert) + "}");
  }

  private static long moneyOf(String leadId) throws Exception {
    try (Connection conn = exchange.jdbc(); ResultSet rs = conn.createStatement().executeQuery(
        "select (select count(*) from sales where lead_id = '" + leadId + "') + (select count(*) from money_events"
            + " where lead_id = '" + leadId + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String pingOf(String leadId) throws Exception {
    try (Connection conn = exchange.jdbc(); ResultSet rs = conn.createStatement().executeQuery(
        "select ping_id from leads where id = '" + leadId + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aConsentServiceThatSaysNoIsSlowIsDownOrTalksNonsenseSellsNothing() throws Exception {
    for (String mode : List.of("invalid", "old", "garbage", "error", "hang", "down")) {
      int posts = buyers.buyer("cb").postRequests.size();
      long started = System.nanoTime();
      Http.Reply post = direct("c-" + mode, "https://cert.example/abc-" + mode);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(200, post.status(), post.body());
      assertEquals("unsold", post.text("status"), mode + ": " + post.body());
      assertEquals("consent_invalid", post.text("reason"), mode + ": " + post.body());
      assertEquals(posts, buyers.buyer("cb").postRequests.size(), mode + ": no buyer gets the lead");
      assertEquals(0, moneyOf(post.text("lead_id")), mode + ": no money moves");
      JsonNode verdict = exchange.trace(pingOf(post.text("lead_id"))).get("post").get("consent");
      assertFalse(verdict.get("valid").asBoolean(), verdict.toString());
      assertEquals("https://cert.example/abc-" + mode, verdict.get("certificate").asText());
      if (mode.equals("hang")) {
        assertTrue(verdict.get("reason").asText().startsWith("timeout after 1000 ms"), verdict.toString());
        assertTrue(millis < 2_900, "no answer within 1 s is invalid, well inside the post's budget: " + millis + " ms");
      }
      if (mode.equals("old")) {
        assertTrue(verdict.get("reason").asText().startsWith("too old"), verdict.toString());
      }
    }
    // no certificate at all: not even asked
    int asked = checks.size();
    Http.Reply missing = direct("c-valid", null);
    assertEquals("consent_invalid", missing.text("reason"), missing.body());
    assertEquals(asked, checks.size());
  }

  @Test
  void aShortPostBudgetBoundsTheCheckAndTestTrafficIsCheckedToo() throws Exception {
    long started = System.nanoTime();
    Http.Reply post = exchange.call("POST", "/v1/leads", sellerKey, "{\"campaign\":\"c-short\",\"source\":\"s\","
        + "\"test\":true,\"lead\":" + lead("https://cert.example/short") + "}");
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals("consent_invalid", post.text("reason"), post.body());
    JsonNode verdict = exchange.trace(pingOf(post.text("lead_id"))).get("post").get("consent");
    assertTrue(verdict.get("reason").asText().startsWith("timeout after 200 ms"), verdict.toString());
    assertTrue(millis < 900, "the post's 200 ms budget bounds the check, not the 1 s cap: " + millis + " ms");
  }

  @Test
  void aValidCertificateSellsAndItsVerdictIsKeptShownAndSentToTheBuyer() throws Exception {
    Http.Reply ping = exchange.ping(sellerKey, "{\"campaign\":\"c-valid\",\"source\":\"s\",\"lead\":"
        + "{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42,\"cert\":\"https://cert.example/ok-1\"}}");
    assertEquals("bid", ping.text("status"), ping.body());
    JsonNode bidRequest = buyers.buyer("cb").bidRequests.get(buyers.buyer("cb").bidRequests.size() - 1);
    assertNull(bidRequest.get("lead").get("cert"), "the certificate is not sent to bidders: " + bidRequest);
    int asked = checks.size();
    Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), lead("https://cert.example/ok-1"));
    assertEquals("sold", post.text("status"), post.body());

    JsonNode check = checks.get(asked);
    assertEquals("https://cert.example/ok-1", check.get("certificate").asText());
    for (String pii : List.of("first_name", "last_name", "email", "phone", "address", "cert")) {
      assertFalse(check.get("lead").has(pii), "the consent service gets non-PII fields only: " + check);
    }
    assertEquals("90210", check.get("lead").get("zip").asText());

    JsonNode sent = buyers.buyer("cb").postRequests.get(buyers.buyer("cb").postRequests.size() - 1);
    assertTrue(sent.get("consent").get("valid").asBoolean(), sent.toString());
    assertEquals("https://cert.example/ok-1", sent.get("consent").get("certificate").asText());
    assertTrue(sent.get("consent").has("checked_at") && sent.get("consent").has("created_at"));

    JsonNode verdict = exchange.trace(ping.text("ping_id")).get("post").get("consent");
    assertTrue(verdict.get("valid").asBoolean(), verdict.toString());
    assertEquals(sent.get("consent").get("checked_at"), verdict.get("checked_at"));
    // a repeat post answers the same without a second check
    assertEquals(post.json(), exchange.post(sellerKey, ping.text("ping_id"), lead("https://cert.example/ok-1")).json());
    assertEquals(asked + 1, checks.size());
  }

  @Test
  void thePendingReturnsQueueShowsTheConsentRecord() {
    Http.Reply sold = direct("c-manual", "https://cert.example/ret-1");
    assertEquals("sold", sold.text("status"), sold.body());
    Http.Reply returned = exchange.call("POST", "/v1/feedback", buyerKey, "{\"lead_id\":\"" + sold.text("lead_id")
        + "\",\"status\":\"returned\",\"reason\":\"bad_phone\"}");
    assertEquals(202, returned.status(), returned.body());
    JsonNode queue = exchange.admin("GET", "/v1/admin/returns?status=pending", null).json().get("returns");
    for (JsonNode row : queue) {
      if (row.get("lead_id").asText().equals(sold.text("lead_id"))) {
        assertTrue(row.get("consent").get("valid").asBoolean(), row.toString());
        assertEquals("https://cert.example/ret-1", row.get("consent").get("certificate").asText());
        return;
      }
    }
    throw new AssertionError("the return is not in the queue: " + queue);
  }

  @Test
  void aBadConsentSetupIsRefusedNamingTheField() {
    String two = campaign("http://127.0.0.1:1/x", "").replace("\"age\":{\"type\":\"integer\"}",
        "\"age\":{\"type\":\"integer\"},\"cert2\":{\"type\":\"string\",\"consent\":true}");
    Http.Reply twoFields = exchange.admin("PUT", "/v1/admin/campaigns/bad", two);
    assertEquals(400, twoFields.status(), twoFields.body());
    assertTrue(twoFields.text("field").endsWith(".consent"), twoFields.body());
    Http.Reply noUrl = exchange.admin("PUT", "/v1/admin/campaigns/bad",
        campaign("x", "").replace("\"check_url\":\"x\",", ""));
    assertEquals(400, noUrl.status(), noUrl.body());
    assertEquals("consent.check_url", noUrl.text("field"));
    Http.Reply notString = exchange.admin("PUT", "/v1/admin/campaigns/bad", campaign("http://127.0.0.1:1/x", "")
        .replace("\"cert\":{\"type\":\"string\",\"consent\":true}", "\"cert\":{\"type\":\"integer\",\"consent\":true}"));
    assertEquals(400, notString.status(), notString.body());
  }
}
