package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** The post: delivery down the offers, once only, with the contract's refusals. */
class PostIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("post"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    for (String id : new String[] {"top", "second", "wf-fixed", "wf-last", "single", "slowpost"}) {
      exchange.buyer(id, id.equals("wf-fixed") ? buyers.fixedPriceJson(id, "5.00") : buyers.bidderJson(id, 1_000));
    }
    buyers.buyer("top").bids("15.00").rejects();
    buyers.buyer("second").bids("12.00").rejects();
    buyers.buyer("wf-last").bids("4.00");
    buyers.buyer("single").bids("7.77");
    buyers.buyer("slowpost").bids("6.00").postDelayMillis = 300;
    exchange.campaign("fallback", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"top\",\"second\"]},"
        + "{\"mode\":\"waterfall\",\"buyers\":[\"wf-fixed\",\"wf-last\"]}]", ""));
    exchange.campaign("single", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"single\"]}]", ""));
    exchange.campaign("slow", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"slowpost\"]}]", ""));
    exchange.campaign("short", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"single\"]}]",
        "\"ping_ttl_s\":1"));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  private static String pingId(String campaign) {
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody(campaign));
    assertEquals("bid", ping.text("status"), ping.body());
    return ping.text("ping_id");
  }

  @Test
  void rejectedOffersFallToTheNextBidderThenToTheWaterfallTier() {
    buyers.buyer("second").accept = false;
    String pingId = pingId("fallback");
    Http.Reply post = exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals(200, post.status(), post.body());
    assertEquals("sold", post.text("status"));
    assertEquals(new BigDecimal("4.00"), post.json().get("price").decimalValue()); // 80% of wf-fixed's 5.00
    JsonNode attempts = exchange.trace(pingId).get("post").get("attempts");
    assertEquals(3, attempts.size(), attempts.toString());
    assertEquals("top", attempts.get(0).get("buyer").asText());
    assertEquals("second", attempts.get(1).get("buyer").asText());
    assertEquals("wf-fixed", attempts.get(2).get("buyer").asText());
    // each buyer was offered the lead at its own price, with the PII it pays for
    JsonNode delivered = last(buyers.buyer("wf-fixed").postRequests);
    assertEquals(new BigDecimal("5.00"), delivered.get("price").decimalValue());
    assertEquals("ana@example.com", delivered.get("lead").get("email").asText());
    assertEquals(new BigDecimal("12.00"), last(buyers.buyer("second").postRequests).get("price").decimalValue());
  }

  @Test
  void whenTheWinnerRejectsTheNextOfferBuysAtItsOwnPrice() {
    buyers.buyer("second").accept = true;
    String pingId = pingId("fallback");
    Http.Reply post = exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals("sold", post.text("status"), post.body());
    assertEquals(new BigDecimal("9.60"), post.json().get("price").decimalValue()); // 80% of 12.00
    buyers.buyer("second").accept = false;
  }

  @Test
  void concurrentRepeatsOfOnePostDeliverOnceAndAnswerAlike() throws Exception {
    String pingId = pingId("slow");
    int before = buyers.buyer("slowpost").postRequests.size();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Http.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      replies.add(pool.submit(() -> exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD)));
    }
    String leadId = null;
    for (Future<Http.Reply> f : replies) {
      Http.Reply reply = f.get();
      assertEquals(200, reply.status(), reply.body());
      assertEquals("sold", reply.text("status"));
      if (leadId == null) {
        leadId = reply.text("lead_id");
      }
      assertEquals(leadId, reply.text("lead_id"));
    }
    pool.shutdown();
    assertEquals(before + 1, buyers.buyer("slowpost").postRequests.size(), "delivered more than once");
    // and a later repeat answers the same without delivering again
    Http.Reply again = exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals(leadId, again.text("lead_id"));
    assertEquals(before + 1, buyers.buyer("slowpost").postRequests.size());
  }

  @Test
  void aPostAfterTheTtlIsRefusedButAPostedPingKeepsItsAnswer() throws Exception {
    String expired = pingId("short");
    String posted = pingId("short");
    Http.Reply first = exchange.post(sellerKey, posted, TestExchange.FULL_LEAD);
    assertEquals("sold", first.text("status"), first.body());
    Thread.sleep(1_300);
    Http.Reply late = exchange.post(sellerKey, expired, TestExchange.FULL_LEAD);
    assertEquals(410, late.status(), late.body());
    assertEquals("ping_expired", late.text("error"));
    Http.Reply repeat = exchange.post(sellerKey, posted, TestExchange.FULL_LEAD);
    assertEquals(200, repeat.status(), repeat.body());
    assertEquals(first.text("lead_id"), repeat.text("lead_id"));
  }

  @Test
  void aPostWhoseFieldsDifferFromThePingIsRefused() {
    String pingId = pingId("single");
    Http.Reply post = exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD.replace("90210", "10001"));
    assertEquals(422, post.status(), post.body());
    assertEquals("lead_mismatch", post.text("error"));
    assertEquals("lead.zip", post.text("field"));
    // nothing happened: the proper post still sells
    assertEquals("sold", exchange.post(sellerKey, pingId, TestExchange.FULL_LEAD).text("status"));
  }

  @Test
  void anotherSellersPingDoesNotExistForThisSeller() {
    String pingId = pingId("single");
    String otherKey = exchange.seller("other", "{\"type\":\"revenue_share\",\"percent\":50}");
    Http.Reply post = exchange.post(otherKey, pingId, TestExchange.FULL_LEAD);
    assertEquals(404, post.status(), post.body());
    assertEquals("not_found", post.text("error"));
    Http.Reply unknown = exchange.post(sellerKey, "01a20000-0000-7000-8000-000000000000", TestExchange.FULL_LEAD);
    assertEquals(404, unknown.status(), unknown.body());
  }

  @Test
  void aDirectPostPingsAndPostsInOneCall() {
    Http.Reply reply = exchange.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"single\",\"source\":\"form\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals(200, reply.status(), reply.body());
    assertEquals("sold", reply.text("status"));
    assertEquals(new BigDecimal("6.22"), reply.json().get("price").decimalValue()); // 80% of 7.77 = 6.216
    assertNotNull(reply.text("lead_id"));
    // the bid request of a direct post carried no PII either
    assertFalse(last(buyers.buyer("single").bidRequests).get("lead").has("email"));
  }

  private static JsonNode last(List<JsonNode> list) {
    return list.get(list.size() - 1);
  }
}
