package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Ranking by expected net: a buyer that returns much of what it buys is offered leads after one
 * that bids less but keeps them, each still paying its own bid; the trace shows why.
 */
class RankingIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;
  static String lossyKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("ranking"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    lossyKey = exchange.admin("PUT", "/v1/admin/buyers/lossy", buyers.bidderJson("lossy", 900)).text("api_key");
    exchange.buyer("clean", buyers.bidderJson("clean", 900));
    buyers.buyer("lossy").bids("10.00");
    buyers.buyer("clean").bids("8.00");
    exchange.campaign("history", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"lossy\"]}]",
        "\"return_days\":7"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  private static JsonNode entry(JsonNode trace, String buyer) {
    for (JsonNode b : trace.get("buyers")) {
      if (b.get("buyer").asText().equals(buyer)) {
        return b;
      }
    }
    throw new AssertionError(buyer + " not in " + trace);
  }

  @Test
  void aBuyerThatReturnsMuchRanksBelowOneThatBidsLessButKeepsItsLeads() throws Exception {
    // lossy's last 30 days: 20 purchases, 6 returned (30 %).
    List<String> bought = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Http.Reply sold = exchange.call("POST", "/v1/leads", sellerKey,
          "{\"campaign\":\"history\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
      assertEquals("sold", sold.text("status"), sold.body());
      bought.add(sold.text("lead_id"));
    }
    for (int i = 0; i < 6; i++) {
      assertEquals(200, exchange.call("POST", "/v1/feedback", lossyKey, "{\"lead_id\":\"" + bought.get(i)
          + "\",\"status\":\"returned\",\"reason\":\"bad_phone\"}").status());
    }
    exchange.campaign("ranked", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"lossy\",\"clean\"]}]",
        "\"rank_by\":\"expected_net\""));
    JsonNode trace = null;
    long until = System.currentTimeMillis() + 15_000;
    String pingId = null;
    while (System.currentTimeMillis() < until) { // the rates are read again within a second of the campaign change
      Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("ranked"));
      pingId = ping.text("ping_id");
      trace = exchange.trace(pingId);
      if (entry(trace, "lossy").has("return_rate")
          && entry(trace, "lossy").get("return_rate").decimalValue().compareTo(BigDecimal.ZERO) > 0) {
        break;
      }
      Thread.sleep(200);
    }
    JsonNode lossy = entry(trace, "lossy");
    JsonNode clean = entry(trace, "clean");
    assertEquals(0, new BigDecimal("0.3").compareTo(lossy.get("return_rate").decimalValue()), trace.toString());
    assertEquals(0, new BigDecimal("10.00").compareTo(lossy.get("bid").decimalValue()), "the raw bid");
    assertEquals(0, lossy.get("modifier_percent").asInt());
    assertEquals(0, new BigDecimal("7.00").compareTo(lossy.get("ranking_value").decimalValue()), trace.toString());
    assertEquals(0, new BigDecimal("8.00").compareTo(clean.get("ranking_value").decimalValue()), trace.toString());
    assertEquals("clean", trace.get("winner").asText(), "8.00 kept beats 10.00 × 0.7");

    Http.Reply post = exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals("sold", post.text("status"), post.body());
    JsonNode delivered = buyers.buyer("clean").postRequests.get(buyers.buyer("clean").postRequests.size() - 1);
    assertEquals(0, new BigDecimal("8.00").compareTo(delivered.get("price").decimalValue()), "clean pays its own bid");
  }

  @Test
  void aBidModifierOutsideItsRangeIsRefused() {
    Http.Reply reply = exchange.admin("PUT", "/v1/admin/buyers/odd", buyers.bidderJson("odd", 100)
        .replace("}", ",\"bid_modifier_percent\":101}"));
    assertEquals(400, reply.status(), reply.body());
    assertEquals("bid_modifier_percent", reply.text("field"));
    Http.Reply rank = exchange.admin("PUT", "/v1/admin/campaigns/odd", TestExchange.campaignJson(
        "[{\"mode\":\"auction\",\"buyers\":[\"clean\"]}]", "\"rank_by\":\"profit\""));
    assertEquals(400, rank.status(), rank.body());
    assertTrue(rank.body().contains("rank_by"));
  }
}
