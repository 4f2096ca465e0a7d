package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Untrusted buyers cannot push a ping past its deadline: hanging, slow, failing, garbage and
 * 8 MiB answers are recorded no-bids, and the honest bidder wins within ping_timeout_ms.
 */
class DeadlineIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("deadline"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.buyer("hangs", buyers.bidderJson("hangs", 5_000));
    buyers.buyer("hangs").hang = true;
    exchange.buyer("slow", buyers.bidderJson("slow", 5_000));
    buyers.buyer("slow").bids("50.00").delayMillis = 3_000;
    exchange.buyer("fails", buyers.bidderJson("fails", 100));
    buyers.buyer("fails").status = 500;
    exchange.buyer("garbage", buyers.bidderJson("garbage", 100));
    buyers.buyer("garbage").rawBody = "<html>not json";
    exchange.buyer("huge", buyers.bidderJson("huge", 100));
    buyers.buyer("huge").hugeBytes = 8 * 1024 * 1024;
    exchange.buyer("precise", buyers.bidderJson("precise", 100));
    buyers.buyer("precise").bids("99.999");
    exchange.buyer("honest", buyers.bidderJson("honest", 100));
    buyers.buyer("honest").bids("9.00");
    exchange.campaign("c", TestExchange.campaignJson(
        "[{\"mode\":\"auction\",\"buyers\":[\"hangs\",\"slow\",\"fails\",\"garbage\",\"huge\",\"precise\",\"honest\"]}]", "\"ping_timeout_ms\":150"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  @Test
  void badBuyersNeverDelayTheAnswerPastTheDeadline() {
    long worstClient = 0;
    double worstExchange = 0;
    // Warm-up: JIT and connection pools. With 3 pings, a full run on this 2-core machine once saw
    // 162.8 ms here (the test exchange runs without its start-up warm-up, which production has).
    for (int i = 0; i < 20; i++) {
      exchange.ping(sellerKey, TestExchange.pingBody("c"));
    }
    for (int i = 0; i < 8; i++) {
      Http.Reply reply = exchange.ping(sellerKey, TestExchange.pingBody("c"));
      assertEquals(200, reply.status(), reply.body());
      assertEquals("bid", reply.text("status"), reply.body());
      JsonNode trace = exchange.trace(reply.text("ping_id"));
      assertEquals("honest", trace.get("winner").asText());
      worstClient = Math.max(worstClient, reply.millis());
      worstExchange = Math.max(worstExchange, trace.get("answered_ms").asDouble());
    }
    // The exchange's own clock, from the request's arrival to its answer: within ping_timeout_ms.
    assertTrue(worstExchange <= 150, "answered after " + worstExchange + " ms");
    // As seen by the seller over loopback, with a margin of 100 ms for this shared, noisy machine.
    assertTrue(worstClient <= 250, "seller waited " + worstClient + " ms");
  }

  @Test
  void eachFailureIsARecordedNoBidWithItsReason() {
    for (int i = 0; i < 3; i++) {
      // warm-up: the first pings of a cold JVM on a busy machine can time out every buyer
      exchange.ping(sellerKey, TestExchange.pingBody("c"));
    }
    Http.Reply reply = exchange.ping(sellerKey, TestExchange.pingBody("c"));
    Map<String, JsonNode> byBuyer = new HashMap<>();
    exchange.trace(reply.text("ping_id")).get("buyers").forEach(b -> byBuyer.put(b.get("buyer").asText(), b));
    assertEquals("timeout", byBuyer.get("hangs").get("outcome").asText());
    assertEquals("timeout", byBuyer.get("slow").get("outcome").asText());
    assertEquals("error", byBuyer.get("fails").get("outcome").asText());
    assertEquals("status 500", byBuyer.get("fails").get("reason").asText());
    assertEquals("error", byBuyer.get("garbage").get("outcome").asText());
    assertTrue(byBuyer.get("garbage").get("reason").asText().startsWith("malformed"));
    assertEquals("too_large", byBuyer.get("huge").get("outcome").asText());
    assertEquals("error", byBuyer.get("precise").get("outcome").asText());
    assertTrue(byBuyer.get("precise").get("reason").asText().contains("2 decimals"));
    assertEquals("bid", byBuyer.get("honest").get("outcome").asText());
    // the buyers were told their clamped budget, never more than the campaign's deadline
    JsonNode request = buyers.buyer("hangs").bidRequests.get(buyers.buyer("hangs").bidRequests.size() - 1);
    assertTrue(request.get("tmax_ms").asInt() <= 150, request.toString());
  }
}
