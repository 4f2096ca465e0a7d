package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Shared and {@code best} campaigns over real HTTP and PostgreSQL: a lead sold to several buyers,
 * each at its own price, the seller paid the sum of its payouts; a buyer that rejects replaced by
 * the next offer; {@code best} choosing the mode that earns more; caps, repeats and returns per sale.
 */
class SharedLeadsIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;
  static String fixedKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("shared"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    fixedKey = exchange.seller("fixed", "{\"type\":\"fixed\",\"amount\":5.00}");
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  /** Bidding buyers {@code <prefix>1..n} at the given prices, in one auction tier of a campaign named {@code prefix}. */
  private static List<String> market(String prefix, String sale, String... prices) {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < prices.length; i++) {
      String code = prefix + (i + 1);
      exchange.buyer(code, buyers.bidderJson(code, 900));
      buyers.buyer(code).bids(prices[i]);
      codes.add("\"" + code + "\"");
    }
    exchange.campaign(prefix, TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":" + codes + "}]",
        "\"sale\":" + sale + ",\"return_days\":7"));
    return codes;
  }

  private static Map<String, Long> salesOf(String leadId) throws Exception {
    Map<String, Long> sales = new TreeMap<>();
    try (Connection conn = exchange.jdbc();
         ResultSet rs = conn.createStatement().executeQuery("select b.code, s.price_cents, s.seller_payout_cents"
             + " from sales s join buyers b on b.id = s.buyer_id where s.lead_id = '" + leadId + "'")) {
      while (rs.next()) {
        sales.put(rs.getString(1), rs.getLong(2) * 1_000_000 + rs.getLong(3)); // price and payout in one number
      }
    }
    return sales;
  }

  private static long sum(String sql) throws Exception {
    try (Connection conn = exchange.jdbc(); ResultSet rs = conn.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aSharedLeadIsSoldToThreeBuyersAtThreePricesAndTheSellerIsPaidTheSumOfItsPayouts() throws Exception {
    market("sh", "{\"mode\":\"shared\",\"max_buyers\":3}", "10.00", "8.00", "6.00", "4.00");
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("sh"));
    assertEquals("bid", ping.text("status"), ping.body());
    // 80 % of 10 + 8 + 6: the three offers expected to take it
    assertEquals(new BigDecimal("19.20"), ping.json().get("price").decimalValue().setScale(2));
    JsonNode request = buyers.buyer("sh1").bidRequests.get(buyers.buyer("sh1").bidRequests.size() - 1);
    assertEquals("[\"shared\"]", request.get("sale_modes").toString());

    Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), TestExchange.FULL_LEAD);
    assertEquals("sold", post.text("status"), post.body());
    assertEquals(3, post.json().get("buyers").asInt());
    assertEquals(new BigDecimal("19.20"), post.json().get("price").decimalValue().setScale(2));
    assertFalse(post.body().contains("sh1"), "the seller does not see buyer identities: " + post.body());
    String leadId = post.text("lead_id");
    // each buyer paid its own bid (shared sales are first price); the seller's payout per sale is 80 % of it
    assertEquals(Map.of("sh1", 1000L * 1_000_000 + 800, "sh2", 800L * 1_000_000 + 640, "sh3", 600L * 1_000_000 + 480),
        salesOf(leadId));
    assertEquals(1920, sum("select sum(amount_cents) from money_events where kind = 'payout' and lead_id = '" + leadId + "'"));
    assertEquals(2400, sum("select sum(amount_cents) from money_events where kind = 'sale' and lead_id = '" + leadId + "'"));
    assertTrue(buyers.buyer("sh4").postRequests.isEmpty(), "the fourth offer is not needed");
    JsonNode sent = buyers.buyer("sh2").postRequests.get(0);
    assertEquals("shared", sent.get("sale_mode").asText());
    assertEquals(new BigDecimal("8.00"), sent.get("price").decimalValue().setScale(2));

    // a repeat post answers the same and delivers nothing again
    Http.Reply again = exchange.post(sellerKey, ping.text("ping_id"), TestExchange.FULL_LEAD);
    assertEquals(post.json(), again.json());
    assertEquals(1, buyers.buyer("sh1").postRequests.size());
    JsonNode trace = exchange.trace(ping.text("ping_id"));
    assertEquals("shared", trace.get("sale").get("mode").asText(), trace.toString());
    assertEquals(3, trace.get("sale").get("max_buyers").asInt());
    assertEquals(3, trace.get("post").get("attempts").size(), trace.toString());
  }

  @Test
  void aBuyerRejectingASharedLeadIsReplacedByTheNextOffer() throws Exception {
    market("rj", "{\"mode\":\"shared\",\"max_buyers\":3}", "10.00", "8.00", "6.00", "4.00");
    buyers.buyer("rj2").rejects();
    Http.Reply post = exchange.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"rj\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals("sold", post.text("status"), post.body());
    assertEquals(3, post.json().get("buyers").asInt());
    assertEquals(new BigDecimal("16.00"), post.json().get("price").decimalValue().setScale(2)); // 80 % of 10 + 6 + 4
    assertEquals(List.of("rj1", "rj3", "rj4"), new ArrayList<>(salesOf(post.text("lead_id")).keySet()));
    assertEquals(1, buyers.buyer("rj2").postRequests.size());
  }

  @Test
  void fewerBuyersThanMaxBuyersStillSellAndNoBuyerBuysTwice() throws Exception {
    market("few", "{\"mode\":\"shared\",\"max_buyers\":5}", "9.00", "7.00");
    buyers.buyer("few2").rejects();
    Http.Reply post = exchange.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"few\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals("sold", post.text("status"), post.body());
    assertEquals(1, post.json().get("buyers").asInt());
    assertEquals(new BigDecimal("7.20"), post.json().get("price").decimalValue().setScale(2));
    assertEquals(1, buyers.buyer("few1").postRequests.size());
    assertEquals(1, buyers.buyer("few2").postRequests.size());

    buyers.buyer("few1").rejects();
    Http.Reply none = exchange.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"few\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals("unsold", none.text("status"), none.body());
    assertEquals("rejected", none.text("reason"));
  }

  @Test
  void bestSellsExclusiveWhenOneBidBeatsTheSharedSumAndSharedOtherwise() throws Exception {
    market("best", "{\"mode\":\"best\",\"max_buyers\":3}", "30.00", "10.00", "8.00");
    buyers.buyer("best1").sharedBid = "5.00";
    buyers.buyer("best2").sharedBid = "6.00";
    buyers.buyer("best3").sharedBid = "5.00";
    // exclusive: 30.00 (margin 6.00) beats shared 5 + 6 + 5 = 16.00 (margin 3.20)
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("best"));
    assertEquals(new BigDecimal("24.00"), ping.json().get("price").decimalValue().setScale(2), ping.body());
    JsonNode request = buyers.buyer("best1").bidRequests.get(0);
    assertEquals("[\"exclusive\",\"shared\"]", request.get("sale_modes").toString());
    Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), TestExchange.FULL_LEAD);
    assertEquals("sold", post.text("status"), post.body());
    assertEquals(1, post.json().get("buyers").asInt());
    assertEquals(List.of("best1"), new ArrayList<>(salesOf(post.text("lead_id")).keySet()));
    assertEquals("exclusive", buyers.buyer("best1").postRequests.get(0).get("sale_mode").asText());
    JsonNode trace = exchange.trace(ping.text("ping_id"));
    assertEquals("exclusive", trace.get("sale").get("mode").asText());
    assertEquals("best", trace.get("sale").get("campaign_mode").asText());

    // shared: 7 + 6 + 5 = 18.00 beats 12.00 exclusive
    buyers.buyer("best1").bids("12.00");
    buyers.buyer("best1").sharedBid = "7.00";
    Http.Reply shared = exchange.ping(sellerKey, TestExchange.pingBody("best"));
    assertEquals(new BigDecimal("14.40"), shared.json().get("price").decimalValue().setScale(2), shared.body());
    Http.Reply sold = exchange.post(sellerKey, shared.text("ping_id"), TestExchange.FULL_LEAD);
    assertEquals(3, sold.json().get("buyers").asInt(), sold.body());
    assertEquals(new BigDecimal("14.40"), sold.json().get("price").decimalValue().setScale(2));
    assertEquals(Map.of("best1", 700L * 1_000_000 + 560, "best2", 600L * 1_000_000 + 480,
        "best3", 500L * 1_000_000 + 400), salesOf(sold.text("lead_id")));
    JsonNode sharedTrace = exchange.trace(shared.text("ping_id"));
    assertEquals("shared", sharedTrace.get("sale").get("mode").asText(), sharedTrace.toString());
    for (JsonNode b : sharedTrace.get("buyers")) {
      assertTrue(b.has("shared_bid"), "both prices in the trace: " + b);
    }

    // a tie goes to exclusive: 18.00 exclusive against 7 + 6 + 5
    buyers.buyer("best1").bids("18.00");
    Http.Reply tie = exchange.ping(sellerKey, TestExchange.pingBody("best"));
    assertEquals(new BigDecimal("14.40"), tie.json().get("price").decimalValue().setScale(2));
    assertEquals("exclusive", exchange.trace(tie.text("ping_id")).get("sale").get("mode").asText());
  }

  @Test
  void aFixedSellerPayoutIsPaidOncePerSharedLead() throws Exception {
    market("fx", "{\"mode\":\"shared\",\"max_buyers\":2}", "9.00", "7.00", "3.00");
    Http.Reply ping = exchange.ping(fixedKey, TestExchange.pingBody("fx"));
    assertEquals(new BigDecimal("5.00"), ping.json().get("price").decimalValue().setScale(2), ping.body());
    Http.Reply post = exchange.post(fixedKey, ping.text("ping_id"), TestExchange.FULL_LEAD);
    assertEquals(2, post.json().get("buyers").asInt(), post.body());
    assertEquals(new BigDecimal("5.00"), post.json().get("price").decimalValue().setScale(2));
    assertEquals(500, sum("select sum(amount_cents) from money_events where kind = 'payout' and lead_id = '"
        + post.text("lead_id") + "'"));
    // carried by the highest-priced sale, whichever buyer answered first
    assertEquals(Map.of("fx1", 900L * 1_000_000 + 500, "fx2", 700L * 1_000_000), salesOf(post.text("lead_id")));
    // 3.00 is under the fixed payout: never offered, so a lead one buyer alone takes is never sold at a loss
    assertEquals("below_floor", entry(exchange.trace(ping.text("ping_id")), "fx3").get("outcome").asText());
  }

  @Test
  void capsCountEachSaleOfASharedLead() throws Exception {
    market("cap", "{\"mode\":\"shared\",\"max_buyers\":2}", "10.00", "8.00", "6.00");
    String capped = buyers.bidderJson("cap1", 900).replaceFirst("\\{", "{\"caps\":{\"daily\":1},");
    exchange.buyer("cap1", capped);
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Http.Reply post = exchange.call("POST", "/v1/leads", sellerKey,
          "{\"campaign\":\"cap\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
      assertEquals(2, post.json().get("buyers").asInt(), post.body());
      leads.add(post.text("lead_id"));
    }
    assertEquals(List.of("cap1", "cap2"), new ArrayList<>(salesOf(leads.get(0)).keySet()));
    assertEquals(List.of("cap2", "cap3"), new ArrayList<>(salesOf(leads.get(1)).keySet()));
  }

  @Test
  void aReturnOfOneSaleRefundsThatBuyerAndClawsBackThatSalesShareOnly() throws Exception {
    market("ret", "{\"mode\":\"shared\",\"max_buyers\":3}", "10.00", "8.00", "6.00");
    String key = exchange.admin("POST", "/v1/admin/buyers/ret2/keys", "{}").text("api_key");
    Http.Reply post = exchange.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"ret\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals(3, post.json().get("buyers").asInt(), post.body());
    String leadId = post.text("lead_id");
    Http.Reply returned = exchange.call("POST", "/v1/feedback", key, "{\"lead_id\":\"" + leadId
        + "\",\"status\":\"returned\",\"reason\":\"bad_phone\"}");
    assertEquals(200, returned.status(), returned.body());
    assertEquals(800, sum("select sum(amount_cents) from money_events where kind = 'refund' and lead_id = '" + leadId + "'"));
    assertEquals(640, sum("select sum(amount_cents) from money_events where kind = 'clawback' and lead_id = '" + leadId + "'"));
    assertEquals(1, sum("select count(*) from sales where returned_at is not null and lead_id = '" + leadId + "'"));
    // the report counts the lead once as sold, its three sales, and the one returned sale
    String day = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode rows = exchange.admin("GET", "/v1/reports/revenue?from=" + day + "&to=" + day + "&group_by=campaign",
        null).json().get("rows");
    for (JsonNode row : rows) {
      if (row.get("campaign").asText().equals("ret")) {
        assertEquals(1, row.get("sold").asInt(), row.toString());
        assertEquals(3, row.get("sales").asInt());
        assertEquals(1, row.get("returned").asInt());
        assertEquals(new BigDecimal("24.00"), row.get("gross_revenue").decimalValue().setScale(2));
        assertEquals(new BigDecimal("8.00"), row.get("refunds").decimalValue().setScale(2));
        assertEquals(new BigDecimal("12.80"), row.get("seller_payout").decimalValue().setScale(2)); // 19.20 - 6.40
        return;
      }
    }
    throw new AssertionError("no row for campaign ret: " + rows);
  }

  @Test
  void aBadSalePlanIsRefusedNamingTheField() {
    Http.Reply mode = exchange.admin("PUT", "/v1/admin/campaigns/bad", TestExchange.campaignJson(
        "[{\"mode\":\"auction\",\"buyers\":[\"sh1\"]}]", "\"sale\":{\"mode\":\"sometimes\"}"));
    assertEquals(400, mode.status(), mode.body());
    assertEquals("sale.mode", mode.text("field"));
    Http.Reply many = exchange.admin("PUT", "/v1/admin/campaigns/bad", TestExchange.campaignJson(
        "[{\"mode\":\"auction\",\"buyers\":[\"sh1\"]}]", "\"sale\":{\"mode\":\"shared\",\"max_buyers\":0}"));
    assertEquals(400, many.status(), many.body());
    assertEquals("sale.max_buyers", many.text("field"));
  }

  private static JsonNode entry(JsonNode trace, String buyer) {
    for (JsonNode b : trace.get("buyers")) {
      if (b.get("buyer").asText().equals(buyer)) {
        return b;
      }
    }
    throw new AssertionError(buyer + " not in " + trace);
  }
}
