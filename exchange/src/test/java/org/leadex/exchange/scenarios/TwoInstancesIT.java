package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** Two exchange instances on one database behave as one exchange. */
class TwoInstancesIT {
  static TestExchange a;
  static TestExchange b;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    String db = TestDatabase.fresh("two");
    a = TestExchange.start(db);
    b = TestExchange.start(db);
    buyers = TestBuyers.start();
    sellerKey = a.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    a.buyer("x", buyers.bidderJson("x", 1_000));
    buyers.buyer("x").bids("6.00").postDelayMillis = 200;
    a.campaign("c", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"x\"]}]", ""));
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    buyers.close();
  }

  private static void eventually(Runnable check) throws InterruptedException {
    AssertionError last = null;
    for (int i = 0; i < 50; i++) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }

  @Test
  void aPingAnsweredByOneInstanceIsPostedThroughTheOther() throws Exception {
    eventually(() -> assertEquals("bid", b.ping(sellerKey, TestExchange.pingBody("c")).text("status")));
    String pingId = a.ping(sellerKey, TestExchange.pingBody("c")).text("ping_id");
    Http.Reply post = b.post(sellerKey, pingId, TestExchange.FULL_LEAD); // at once: a's batch may not be written yet
    assertEquals(200, post.status(), post.body());
    assertEquals("sold", post.text("status"));
    assertEquals(post.text("lead_id"), a.post(sellerKey, pingId, TestExchange.FULL_LEAD).text("lead_id"));
  }

  @Test
  void concurrentPostsOnBothInstancesDeliverOnce() throws Exception {
    String pingId = a.ping(sellerKey, TestExchange.pingBody("c")).text("ping_id");
    Thread.sleep(100);
    int before = buyers.buyer("x").postRequests.size();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    var replies = new java.util.ArrayList<java.util.concurrent.Future<Http.Reply>>();
    for (int i = 0; i < 4; i++) {
      TestExchange target = i % 2 == 0 ? a : b;
      replies.add(pool.submit(() -> target.post(sellerKey, pingId, TestExchange.FULL_LEAD)));
    }
    String leadId = null;
    for (var f : replies) {
      Http.Reply reply = f.get();
      assertEquals("sold", reply.text("status"), reply.body());
      leadId = leadId == null ? reply.text("lead_id") : leadId;
      assertEquals(leadId, reply.text("lead_id"));
    }
    pool.shutdown();
    assertEquals(before + 1, buyers.buyer("x").postRequests.size());
  }

  @Test
  void onePersonPostedOnBothInstancesAtOnceSellsOnceUnderCampaignDedupe() throws Exception {
    a.campaign("dd", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"x\"]}]", "\"dedupe_days\":30"));
    eventually(() -> assertEquals("bid", b.ping(sellerKey, TestExchange.pingBody("dd")).text("status")));
    String person = TestExchange.FULL_LEAD.replace("ana@example.com", "twice-" + System.nanoTime() + "@example.com")
        .replace("+13105550100", "+1310555" + String.format("%04d", (int) (System.nanoTime() % 10_000)));
    java.util.List<String> pings = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pings.add((i % 2 == 0 ? a : b).ping(sellerKey, TestExchange.pingBody("dd")).text("ping_id"));
    }
    Thread.sleep(100);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    var replies = new java.util.ArrayList<java.util.concurrent.Future<Http.Reply>>();
    for (int i = 0; i < pings.size(); i++) {
      TestExchange target = i % 2 == 0 ? b : a; // each posted through the other instance
      String pingId = pings.get(i);
      replies.add(pool.submit(() -> target.post(sellerKey, pingId, person)));
    }
    int sold = 0;
    int duplicates = 0;
    for (var f : replies) {
      Http.Reply reply = f.get();
      assertEquals(200, reply.status(), reply.body());
      sold += "sold".equals(reply.text("status")) ? 1 : 0;
      duplicates += "duplicate_lead".equals(reply.text("reason")) ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, sold);
    assertEquals(5, duplicates);
  }

  @Test
  void aRevokedKeyStopsWorkingOnEveryInstance() throws Exception {
    Http.Reply issued = a.admin("POST", "/v1/admin/sellers/pub/keys", null);
    assertEquals(201, issued.status(), issued.body());
    String key = issued.text("api_key");
    eventually(() -> assertEquals(200, b.ping(key, TestExchange.pingBody("c")).status()));
    assertEquals(200, a.admin("DELETE", "/v1/admin/keys/" + issued.text("key_id"), null).status());
    assertEquals(401, a.ping(key, TestExchange.pingBody("c")).status());
    eventually(() -> assertEquals(401, b.ping(key, TestExchange.pingBody("c")).status()));
    assertEquals(200, b.ping(sellerKey, TestExchange.pingBody("c")).status(), "other keys keep working");
  }

  @Test
  void aPausedBuyerIsSkippedByBothInstancesFromTheNextPing() throws Exception {
    a.buyer("x", buyers.bidderJson("x", 1_000).replace("}", ",\"status\":\"paused\"}"));
    eventually(() -> assertEquals("no_bid", b.ping(sellerKey, TestExchange.pingBody("c")).text("status")));
    assertEquals("no_bid", a.ping(sellerKey, TestExchange.pingBody("c")).text("status"));
    a.buyer("x", buyers.bidderJson("x", 1_000));
    eventually(() -> assertEquals("bid", b.ping(sellerKey, TestExchange.pingBody("c")).text("status")));
  }
}
