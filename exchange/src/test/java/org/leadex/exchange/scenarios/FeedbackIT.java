package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** Buyers' feedback: it frees capacity, and a return inside the window refunds once. */
class FeedbackIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;
  static String buyerKey;
  static String otherBuyerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("feedback"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    buyerKey = exchange.admin("PUT", "/v1/admin/buyers/one", buyers.fixedPriceJson("one", "10.00")
        .replace("}", ",\"max_concurrent\":1}")).text("api_key");
    otherBuyerKey = exchange.admin("PUT", "/v1/admin/buyers/backup", buyers.fixedPriceJson("backup", "3.00")).text("api_key");
    exchange.campaign("c", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"one\",\"backup\"]}]",
        "\"return_days\":7"));
    exchange.campaign("final", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"backup\"]}]", ""));
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

  private static Http.Reply feedback(String key, String leadId, String status, String reason) {
    return exchange.call("POST", "/v1/feedback", key, "{\"lead_id\":\"" + leadId + "\",\"status\":\"" + status + "\""
        + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}");
  }

  @Test
  void feedbackClosesTheLeadForTheBuyersCapacity() throws Exception {
    String first = sell("c");
    assertEquals(1, buyers.buyer("one").postRequests.size());
    Thread.sleep(600);
    String second = sell("c"); // "one" holds 1 of 1 open: the lead goes to the backup
    assertEquals(1, buyers.buyer("one").postRequests.size());
    assertEquals(200, feedback(buyerKey, first, "contacted", null).status());
    Thread.sleep(600); // the next snapshot of the counters
    sell("c");
    assertEquals(2, buyers.buyer("one").postRequests.size(), "capacity was not released");
    assertEquals(404, feedback(buyerKey, second, "contacted", null).status(), "the backup's lead is not one's");
  }

  @Test
  void aReturnInsideTheWindowRefundsTheBuyerAndClawsBackThePayoutOnce() throws Exception {
    String lead = sell("final");
    Http.Reply returned = feedback(otherBuyerKey, lead, "returned", "bad_phone");
    // the "final" campaign takes no returns
    assertEquals(422, returned.status(), returned.body());
    assertEquals("return_window_closed", returned.text("error"));

    String refundable = sell("c");
    String owner = buyers.buyer("one").postRequests.size() > 0
        && buyers.buyer("one").postRequests.get(buyers.buyer("one").postRequests.size() - 1).get("lead_id").asText().equals(refundable)
        ? buyerKey : otherBuyerKey;
    assertEquals(400, feedback(owner, refundable, "returned", null).status(), "a return needs a reason");
    Http.Reply refund = feedback(owner, refundable, "returned", "bad_phone");
    assertEquals(200, refund.status(), refund.body());
    Http.Reply again = feedback(owner, refundable, "returned", "bad_phone");
    assertEquals(409, again.status(), again.body());
    assertEquals("conflict", again.text("error"));

    try (Connection conn = exchange.jdbc();
         ResultSet rs = conn.createStatement().executeQuery("select kind, sum(amount_cents) from money_events"
             + " where lead_id = '" + refundable + "' group by kind order by kind")) {
      java.util.Map<String, Long> sums = new java.util.TreeMap<>();
      while (rs.next()) {
        sums.put(rs.getString(1), rs.getLong(2));
      }
      assertEquals(sums.get("sale"), sums.get("refund"), sums.toString());
      assertEquals(sums.get("payout"), sums.get("clawback"), sums.toString());
      assertEquals(new BigDecimal(sums.get("refund")).movePointLeft(2), refund.json().get("refunded").decimalValue());
    }
  }
}
