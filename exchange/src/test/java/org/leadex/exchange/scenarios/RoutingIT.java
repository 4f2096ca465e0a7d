package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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

/** Distribution models and buyer rules over real HTTP and PostgreSQL, on one and on two instances. */
class RoutingIT {
  static TestExchange a;
  static TestExchange b;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    String db = TestDatabase.fresh("routing");
    a = TestExchange.start(db);
    b = TestExchange.start(db);
    buyers = TestBuyers.start();
    sellerKey = a.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    buyers.close();
  }

  private static String direct(TestExchange exchange, String campaign) {
    Http.Reply reply = exchange.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"" + campaign + "\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals(200, reply.status(), reply.body());
    return reply.body();
  }

  private static String fixedBuyer(String id, String price, String extra) {
    return buyers.fixedPriceJson(id, price).replace("}", extra.isEmpty() ? "}" : "," + extra + "}");
  }

  @Test
  void roundRobinRotatesNineLeadsOverThreeBuyersThreeEach() {
    for (String id : new String[] {"rr-a", "rr-b", "rr-c"}) {
      a.buyer(id, fixedBuyer(id, "5.00", ""));
    }
    a.campaign("rr", TestExchange.campaignJson("[{\"mode\":\"round_robin\",\"buyers\":[\"rr-a\",\"rr-b\",\"rr-c\"]}]", ""));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      int before = buyers.buyer("rr-a").postRequests.size() + 10 * buyers.buyer("rr-b").postRequests.size()
          + 100 * buyers.buyer("rr-c").postRequests.size();
      direct(a, "rr");
      int after = buyers.buyer("rr-a").postRequests.size() + 10 * buyers.buyer("rr-b").postRequests.size()
          + 100 * buyers.buyer("rr-c").postRequests.size();
      order.add(switch (after - before) {
        case 1 -> "a";
        case 10 -> "b";
        case 100 -> "c";
        default -> "?" + (after - before);
      });
    }
    assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c"), order);
  }

  @Test
  void aBuyerAtCapacityIsSkippedAndKeepsItsPlace() {
    a.buyer("cap-x", fixedBuyer("cap-x", "9.00", "\"max_concurrent\":1"));
    a.buyer("cap-y", fixedBuyer("cap-y", "4.00", ""));
    a.campaign("capacity", TestExchange.campaignJson("[{\"mode\":\"round_robin\",\"buyers\":[\"cap-x\",\"cap-y\"]}]", ""));
    direct(a, "capacity"); // cap-x, never sold, goes first and now holds 1 of 1
    assertEquals(1, buyers.buyer("cap-x").postRequests.size());
    Http.Reply ping = a.ping(sellerKey, TestExchange.pingBody("capacity"));
    JsonNode trace = a.trace(ping.text("ping_id"));
    assertEquals("cap-y", trace.get("winner").asText());
    for (JsonNode buyer : trace.get("buyers")) {
      if (buyer.get("buyer").asText().equals("cap-x")) {
        assertEquals("capacity: 1 of 1 open", buyer.get("skipped").asText());
      }
    }
  }

  @Test
  void weightedSplitsSeventyThirty() {
    a.buyer("w70", fixedBuyer("w70", "3.00", ""));
    a.buyer("w30", fixedBuyer("w30", "3.00", ""));
    a.campaign("weighted", TestExchange.campaignJson(
        "[{\"mode\":\"weighted\",\"buyers\":[{\"id\":\"w70\",\"weight\":70},{\"id\":\"w30\",\"weight\":30}]}]", ""));
    int seventy = 0;
    int n = 1_000;
    for (int i = 0; i < n; i++) {
      Http.Reply ping = a.ping(sellerKey, TestExchange.pingBody("weighted"));
      // the quote names no buyer (both bid alike); the trace names the winner
      seventy += a.trace(ping.text("ping_id")).get("winner").asText().equals("w70") ? 1 : 0;
    }
    // binomial(1000, 0.7): standard deviation 14.5; the tolerance 0.7 +- 0.05 is 3.4 of them
    assertEquals(0.7, seventy / (double) n, 0.05, seventy + " of " + n);
  }

  @Test
  void fortyConcurrentDirectPostsAgainstADailyCapOfSevenSellSevenAcrossTwoInstances() throws Exception {
    a.buyer("capped", fixedBuyer("capped", "6.00", "\"caps\":{\"daily\":7}"));
    a.campaign("capped", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"capped\"]}]", ""));
    Thread.sleep(1_200); // let b see the new plan
    assertEquals(7, race(40, "capped"));
    assertEquals(7, buyers.buyer("capped").postRequests.size());
    // and the next ping sees the cap reached
    Thread.sleep(600);
    Http.Reply ping = b.ping(sellerKey, TestExchange.pingBody("capped"));
    assertEquals("no_bid", ping.text("status"), ping.body());
    assertEquals("cap: daily 7 reached", b.trace(ping.text("ping_id")).get("buyers").get(0).get("skipped").asText());
  }

  /** {@code n} direct posts at once, half through each instance: how many sold. */
  private static int race(int n, String campaign) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        TestExchange target = i % 2 == 0 ? a : b;
        answers.add(pool.submit(() -> direct(target, campaign)));
      }
      int sold = 0;
      for (Future<String> answer : answers) {
        sold += answer.get().contains("\"sold\"") ? 1 : 0;
      }
      return sold;
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void racingPostsHoldAnHourlyCapAndADailyBudgetAcrossTwoInstances() throws Exception {
    a.buyer("hourly", fixedBuyer("hourly", "6.00", "\"caps\":{\"hourly\":3}"));
    a.buyer("budget", fixedBuyer("budget", "6.00", "\"caps\":{\"daily_budget\":20.00}"));
    a.campaign("hourly", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"hourly\"]}]", ""));
    a.campaign("budget", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"budget\"]}]", ""));
    Thread.sleep(1_200); // let b see the new plan
    assertEquals(3, race(20, "hourly"));
    assertEquals(3, race(20, "budget"), "6.00 three times is 18.00 of 20.00; a fourth would be 24.00");
    assertEquals(3, buyers.buyer("hourly").postRequests.size());
    assertEquals(3, buyers.buyer("budget").postRequests.size());
    assertEquals("3 1800 3 1800", usage("hourly"));
    assertEquals("3 1800 3 1800", usage("budget"));
  }

  @Test
  void aDeclinedOfferGivesBackItsCapAndCapacityUnit() throws Exception {
    a.buyer("picky", fixedBuyer("picky", "5.00", "\"caps\":{\"hourly\":1,\"daily\":1},\"max_concurrent\":1"));
    a.campaign("picky", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"picky\"]}]", ""));
    buyers.buyer("picky").rejects();
    for (int i = 0; i < 3; i++) {
      assertTrue(direct(i % 2 == 0 ? a : b, "picky").contains("\"unsold\""));
    }
    // each decline gave its unit back, or the second offer would have met a cap reached
    assertEquals(3, buyers.buyer("picky").postRequests.size());
    assertEquals("0 0 0 0", usage("picky"));
    buyers.buyer("picky").accept = true;
    assertTrue(direct(a, "picky").contains("\"sold\""));
    assertTrue(direct(b, "picky").contains("\"unsold\""), "the caps of 1 are used");
    assertEquals(4, buyers.buyer("picky").postRequests.size());
    assertEquals("1 500 1 500", usage("picky"));
  }

  /** A buyer's recorded use this hour and today: "sold spent_cents" of each. */
  private static String usage(String buyer) throws Exception {
    try (java.sql.Connection db = a.jdbc(); java.sql.Statement st = db.createStatement();
         java.sql.ResultSet rs = st.executeQuery("select coalesce(sum(sold) filter (where period = 'h'), 0),"
             + " coalesce(sum(spent_cents) filter (where period = 'h'), 0), coalesce(sum(sold) filter (where period = 'd'), 0),"
             + " coalesce(sum(spent_cents) filter (where period = 'd'), 0) from buyer_usage u join buyers b on b.id = u.buyer_id"
             + " where b.code = '" + buyer + "'")) {
      rs.next();
      return rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getLong(4);
    }
  }

  @Test
  void aBuyerOutsideItsScheduleIsSkippedWithItsLocalTime() {
    ZonedDateTime tokyo = ZonedDateTime.now(ZoneOffset.UTC).withZoneSameInstant(java.time.ZoneId.of("Asia/Tokyo"));
    java.time.format.DateTimeFormatter hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
    String from = tokyo.plusHours(2).format(hhmm);
    String to = tokyo.plusHours(3).format(hhmm);
    a.buyer("sched", fixedBuyer("sched", "5.00", "\"schedule\":{\"timezone\":\"Asia/Tokyo\",\"from\":\"" + from
        + "\",\"to\":\"" + to + "\"}"));
    a.campaign("sched", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"sched\"]}]", ""));
    Http.Reply ping = a.ping(sellerKey, TestExchange.pingBody("sched"));
    assertEquals("no_bid", ping.text("status"), ping.body());
    String skipped = a.trace(ping.text("ping_id")).get("buyers").get(0).get("skipped").asText();
    assertTrue(skipped.startsWith("schedule: closed (Asia/Tokyo " + tokyo.toLocalTime().toString().substring(0, 2)), skipped);
  }

  @Test
  void aPlanChangeThroughOneInstanceIsObeyedByTheOtherWithinASecond() throws Exception {
    a.buyer("first", fixedBuyer("first", "5.00", ""));
    a.buyer("then", fixedBuyer("then", "7.00", ""));
    a.campaign("plan", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"first\",\"then\"]}]", ""));
    Thread.sleep(1_000);
    assertEquals("first", b.trace(b.ping(sellerKey, TestExchange.pingBody("plan")).text("ping_id")).get("winner").asText());
    a.campaign("plan", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"then\",\"first\"]}]", ""));
    Thread.sleep(1_000);
    assertEquals("then", b.trace(b.ping(sellerKey, TestExchange.pingBody("plan")).text("ping_id")).get("winner").asText());
  }
}
