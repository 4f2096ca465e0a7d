package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * The exchange measures, per ping, the time it added itself: the ping's time minus its wait for
 * buyers (issue #5's "exchange-added latency"), reported by {@code /v1/admin/latency}.
 */
class ExchangeAddedLatencyIT {
  @Test
  void aPingsTimeLessItsWaitForBuyersIsRecordedPerPing() {
    try (TestExchange exchange = TestExchange.start(TestDatabase.fresh("added_latency"));
         TestBuyers buyers = TestBuyers.start()) {
      String sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
      exchange.buyer("slow", buyers.bidderJson("slow", 1_000));
      exchange.buyer("fixed", buyers.fixedPriceJson("fixed", "2.00"));
      buyers.buyer("slow").bids("9.00").delayMillis = 100;
      exchange.campaign("c", TestExchange.campaignJson(
          "[{\"mode\":\"auction\",\"buyers\":[\"slow\",\"fixed\"]}]", ""));
      for (int i = 0; i < 10; i++) {
        Http.Reply reply = exchange.ping(sellerKey, TestExchange.pingBody("c"));
        assertEquals("bid", reply.text("status"), reply.body());
      }
      JsonNode latency = exchange.admin("GET", "/v1/admin/latency", null).json();
      JsonNode ping = latency.get("ping");
      JsonNode added = latency.get("exchange_added");
      assertEquals(10, ping.get("count").asLong());
      assertEquals(10, added.get("count").asLong(), "one figure per ping: " + latency);
      assertTrue(ping.get("p50").asDouble() >= 100, "each ping waited for the slow buyer: " + latency);
      // The buyer took at least 100 ms of every ping: that much is subtracted, whatever the machine's speed.
      assertTrue(added.get("max").asDouble() <= ping.get("max").asDouble() - 99, "the wait is taken out: " + latency);
      assertTrue(added.get("p50").asDouble() <= ping.get("p50").asDouble() - 99, "the wait is taken out: " + latency);
    }
  }
}
