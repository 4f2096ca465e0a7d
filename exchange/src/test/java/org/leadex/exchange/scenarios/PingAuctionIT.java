package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** The auction over real HTTP and PostgreSQL: who wins, what is paid, what the seller is quoted. */
class PingAuctionIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("auction"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    for (String id : new String[] {"acme", "globex", "initech", "lone", "low1", "low2"}) {
      exchange.buyer(id, buyers.bidderJson(id, 1_000));
    }
    buyers.buyer("acme").bids("10.00");
    buyers.buyer("globex").bids("14.25").bidId = "g-123";
    buyers.buyer("initech").bids("12.10");
    buyers.buyer("lone").bids("12.35");
    buyers.buyer("low1").bids("4.99");
    buyers.buyer("low2").bids("3.00");
    exchange.campaign("first", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"acme\",\"globex\",\"initech\"]}]", "\"floor\":1.00"));
    exchange.campaign("second", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"acme\",\"globex\"]}]",
        "\"floor\":1.00,\"auction\":\"second_price\""));
    exchange.campaign("lone", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"lone\"]}]",
        "\"floor\":2.50,\"auction\":\"second_price\""));
    exchange.campaign("floored", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"low1\",\"low2\"]}]",
        "\"floor\":5.00"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  @Test
  void theHighestBidWinsAndTheSellerIsQuotedItsShare() {
    Http.Reply reply = exchange.ping(sellerKey, TestExchange.pingBody("first"));
    assertEquals(200, reply.status(), reply.body());
    assertEquals("bid", reply.text("status"));
    assertEquals(new BigDecimal("11.40"), reply.json().get("price").decimalValue()); // 80% of 14.25
    assertTrue(reply.json().has("expires_at"));
    JsonNode trace = exchange.trace(reply.text("ping_id"));
    assertEquals("globex", trace.get("winner").asText());
    assertEquals(new BigDecimal("14.25"), trace.get("price").decimalValue());
    assertEquals(new BigDecimal("11.40"), trace.get("seller_price").decimalValue());
    assertEquals(3, trace.get("buyers").size());
    for (JsonNode b : trace.get("buyers")) {
      assertEquals("bid", b.get("outcome").asText(), b.toString());
    }
  }

  @Test
  void aSellerShareIsRoundedHalfUpToTheCent() {
    String key = exchange.seller("seventy", "{\"type\":\"revenue_share\",\"percent\":70}");
    exchange.campaign("share", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"lone\"]}]", ""));
    Http.Reply reply = exchange.ping(key, TestExchange.pingBody("share"));
    // 70% of 12.35 is 8.645: half-up gives 8.65 (half-even would give 8.64)
    assertEquals(new BigDecimal("8.65"), reply.json().get("price").decimalValue(), reply.body());
  }

  @Test
  void underSecondPriceTheWinnerPaysOneCentOverTheNextBid() {
    Http.Reply reply = exchange.ping(sellerKey, TestExchange.pingBody("second"));
    JsonNode trace = exchange.trace(reply.text("ping_id"));
    assertEquals("globex", trace.get("winner").asText());
    assertEquals(new BigDecimal("10.01"), trace.get("price").decimalValue());
    assertEquals(new BigDecimal("8.01"), reply.json().get("price").decimalValue()); // 80% of 10.01 = 8.008
  }

  @Test
  void aLoneBidderUnderSecondPricePaysTheFloor() {
    Http.Reply reply = exchange.ping(sellerKey, TestExchange.pingBody("lone"));
    JsonNode trace = exchange.trace(reply.text("ping_id"));
    assertEquals(new BigDecimal("2.50"), trace.get("price").decimalValue());
    assertEquals(new BigDecimal("2.00"), reply.json().get("price").decimalValue());
  }

  @Test
  void bidsUnderTheFloorAreIgnored() {
    Http.Reply reply = exchange.ping(sellerKey, TestExchange.pingBody("floored"));
    assertEquals("no_bid", reply.text("status"), reply.body());
    assertFalse(reply.json().has("price"));
    JsonNode trace = exchange.trace(reply.text("ping_id"));
    for (JsonNode b : trace.get("buyers")) {
      assertEquals("below_floor", b.get("outcome").asText(), b.toString());
    }
  }

  @Test
  void aFixedPayoutSellerIsNeverSoldBelowItsPayout() {
    String key = exchange.seller("fixed", "{\"type\":\"fixed\",\"amount\":11.00}");
    Http.Reply reply = exchange.ping(key, TestExchange.pingBody("first"));
    assertEquals(new BigDecimal("11.00"), reply.json().get("price").decimalValue(), reply.body());
    JsonNode trace = exchange.trace(reply.text("ping_id"));
    assertEquals(2, trace.get("offers").size(), "acme's 10.00 is under the 11.00 payout: " + trace);
    for (JsonNode b : trace.get("buyers")) {
      if (b.get("buyer").asText().equals("acme")) {
        assertEquals("below_floor", b.get("outcome").asText());
      }
    }
  }

  @Test
  void bidRequestsCarryTheScoreAndTheBuyersBudgetButNeverPii() {
    exchange.ping(sellerKey, TestExchange.pingBody("first"));
    JsonNode request = buyers.buyer("acme").bidRequests.get(buyers.buyer("acme").bidRequests.size() - 1);
    assertEquals("first", request.get("campaign").asText());
    assertTrue(request.get("tmax_ms").asInt() > 0 && request.get("tmax_ms").asInt() <= 1_000, request.toString());
    assertEquals(0, request.get("lead").get("score").asInt());
    for (String pii : new String[] {"first_name", "last_name", "email", "phone", "address"}) {
      assertFalse(request.get("lead").has(pii));
    }
  }
}
