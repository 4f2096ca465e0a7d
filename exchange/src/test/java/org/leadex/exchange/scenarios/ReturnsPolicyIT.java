package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Returns that hold up: allowed reasons, the window, the monthly rate cap, manual approval with a
 * pending queue, one decision per return; and the revenue report and the ledger agree throughout.
 */
class ReturnsPolicyIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;
  static String manualKey;
  static String capKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("returns_policy"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    manualKey = exchange.admin("PUT", "/v1/admin/buyers/careful", buyers.fixedPriceJson("careful", "10.00")).text("api_key");
    capKey = exchange.admin("PUT", "/v1/admin/buyers/picky", buyers.fixedPriceJson("picky", "5.00")).text("api_key");
    exchange.campaign("manual", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"careful\"]}]",
        "\"returns\":{\"days\":7,\"reasons\":[\"bad_phone\",\"fraud\"],\"approval\":\"manual\"}"));
    exchange.campaign("capped", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"picky\"]}]",
        "\"return_days\":1,\"returns\":{\"days\":7,\"reasons\":[\"bad_phone\"],\"max_rate_percent\":10}"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  private static String sell(String campaign) {
    Http.Reply reply = exchange.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"" + campaign + "\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals("sold", reply.text("status"), reply.body());
    return reply.text("lead_id");
  }

  private static Http.Reply giveBack(String key, String leadId, String reason) {
    return exchange.call("POST", "/v1/feedback", key, "{\"lead_id\":\"" + leadId + "\",\"status\":\"returned\","
        + "\"reason\":\"" + reason + "\",\"evidence\":\"called twice, number disconnected\"}");
  }

  private static long moneyEvents(String leadId, String kind) throws Exception {
    try (Connection conn = exchange.jdbc();
         ResultSet rs = conn.createStatement().executeQuery("select coalesce(sum(amount_cents), 0) from money_events"
             + " where lead_id = '" + leadId + "' and kind = '" + kind + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aReturnForAReasonTheCampaignDoesNotTakeOrAfterTheWindowIsRefused() throws Exception {
    String lead = sell("manual");
    Http.Reply reason = giveBack(manualKey, lead, "changed_mind");
    assertEquals(422, reason.status(), reason.body());
    assertEquals("return_reason_invalid", reason.text("error"));
    assertEquals("reason", reason.text("field"));
    try (Connection conn = exchange.jdbc()) {
      conn.createStatement().executeUpdate("update sales set sold_at = sold_at - interval '7 days 1 minute'"
          + " where lead_id = '" + lead + "'");
    }
    Http.Reply late = giveBack(manualKey, lead, "bad_phone");
    assertEquals(422, late.status(), late.body());
    assertEquals("return_window_closed", late.text("error"));
    assertEquals(0, moneyEvents(lead, "refund"), "a refused return changes nothing");
  }

  @Test
  void aManualReturnWaitsAndRefundsOnlyOnceApproved() throws Exception {
    String lead = sell("manual");
    Http.Reply asked = giveBack(manualKey, lead, "fraud");
    assertEquals(202, asked.status(), asked.body());
    assertEquals("pending", asked.text("status"));
    assertEquals(0, moneyEvents(lead, "refund"), "nothing refunded while pending");
    assertEquals(409, giveBack(manualKey, lead, "fraud").status(), "one return per sale");

    JsonNode queue = exchange.admin("GET", "/v1/admin/returns?status=pending", null).json().get("returns");
    JsonNode mine = null;
    for (JsonNode r : queue) {
      if (r.get("lead_id").asText().equals(lead)) {
        mine = r;
      }
    }
    assertTrue(mine != null, "the pending return is listed: " + queue);
    assertEquals("careful", mine.get("buyer").asText());
    assertEquals("fraud", mine.get("reason").asText());
    assertEquals("called twice, number disconnected", mine.get("evidence").asText());
    assertEquals("ref-careful", mine.get("post_answer").get("reference").asText(), "the buyer's own post answer");
    assertEquals("careful", mine.get("trace").get("winner").asText(), "the lead's decision trace");
    assertTrue(mine.has("consent"));

    assertEquals(403, exchange.call("POST", "/v1/admin/returns/" + lead, manualKey, "{\"decision\":\"approve\"}").status());
    Http.Reply approved = exchange.admin("POST", "/v1/admin/returns/" + lead, "{\"decision\":\"approve\",\"note\":\"ok\"}");
    assertEquals(200, approved.status(), approved.body());
    assertEquals(0, new BigDecimal("10.00").compareTo(approved.json().get("refunded").decimalValue()));
    assertEquals(1000, moneyEvents(lead, "refund"));
    assertEquals(800, moneyEvents(lead, "clawback"));
    Http.Reply twice = exchange.admin("POST", "/v1/admin/returns/" + lead, "{\"decision\":\"reject\"}");
    assertEquals(409, twice.status(), twice.body());
    assertEquals("conflict", twice.text("error"));

    String rejected = sell("manual");
    assertEquals(202, giveBack(manualKey, rejected, "bad_phone").status());
    assertEquals(200, exchange.admin("POST", "/v1/admin/returns/" + rejected, "{\"decision\":\"reject\"}").status());
    assertEquals(0, moneyEvents(rejected, "refund"), "a rejected return refunds nothing");
    assertEquals(409, giveBack(manualKey, rejected, "bad_phone").status(), "and cannot be asked again");
    assertEquals(404, exchange.admin("POST", "/v1/admin/returns/" + sell("manual"), "{\"decision\":\"approve\"}").status(),
        "no return to decide");
    assertReportReconciles();
  }

  @Test
  void theMonthlyRateCapRefusesTheReturnThatWouldCrossIt() throws Exception {
    java.util.List<String> leads = new java.util.ArrayList<>();
    for (int i = 0; i < 19; i++) {
      leads.add(sell("capped"));
    }
    // Under 20 purchases the cap waits: 2 returns of 19 purchases is over 10 %, yet both pass.
    assertEquals(200, giveBack(capKey, leads.get(0), "bad_phone").status());
    Http.Reply second = giveBack(capKey, leads.get(1), "bad_phone");
    assertEquals(200, second.status(), second.body());
    leads.add(sell("capped")); // the 20th purchase: from now on returns may not exceed 10 % of purchases
    Http.Reply third = giveBack(capKey, leads.get(2), "bad_phone");
    assertEquals(422, third.status(), third.body());
    assertEquals("return_limit", third.text("error"));
    assertEquals(0, moneyEvents(leads.get(2), "refund"));
    assertEquals(500, moneyEvents(leads.get(1), "refund"), "automatic approval refunds at once");
    assertReportReconciles();
  }

  @Test
  void aBadReturnsPolicyIsRefusedNamingTheField() {
    Http.Reply approval = exchange.admin("PUT", "/v1/admin/campaigns/bad", TestExchange.campaignJson(
        "[{\"mode\":\"waterfall\",\"buyers\":[\"careful\"]}]", "\"returns\":{\"days\":7,\"approval\":\"sometimes\"}"));
    assertEquals(400, approval.status(), approval.body());
    assertEquals("returns.approval", approval.text("field"));
    Http.Reply unknown = exchange.admin("PUT", "/v1/admin/campaigns/bad", TestExchange.campaignJson(
        "[{\"mode\":\"waterfall\",\"buyers\":[\"careful\"]}]", "\"returns\":{\"days\":7,\"window\":3}"));
    assertEquals(400, unknown.status(), unknown.body());
    Http.Reply rate = exchange.admin("PUT", "/v1/admin/campaigns/bad", TestExchange.campaignJson(
        "[{\"mode\":\"waterfall\",\"buyers\":[\"careful\"]}]", "\"returns\":{\"days\":7,\"max_rate_percent\":101}"));
    assertEquals(400, rate.status(), rate.body());
  }

  /** Only approved returns are in the report, and its totals equal the ledger's events. */
  private static void assertReportReconciles() throws Exception {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode totals = exchange.admin("GET", "/v1/reports/revenue?from=" + today + "&to=" + today, null).json().get("totals");
    try (Connection conn = exchange.jdbc();
         ResultSet rs = conn.createStatement().executeQuery("select"
             + " (select coalesce(sum(amount_cents), 0) from money_events where kind = 'refund' and not test),"
             + " (select coalesce(sum(amount_cents), 0) from money_events where kind = 'payout' and not test)"
             + " - (select coalesce(sum(amount_cents), 0) from money_events where kind = 'clawback' and not test),"
             + " (select count(*) from returns where status = 'approved' and not test)")) {
      rs.next();
      assertEquals(BigDecimal.valueOf(rs.getLong(1), 2), totals.get("refunds").decimalValue().setScale(2));
      assertEquals(BigDecimal.valueOf(rs.getLong(2), 2), totals.get("seller_payout").decimalValue().setScale(2));
      assertEquals(rs.getLong(3), totals.get("returned").asLong());
    }
  }
}
