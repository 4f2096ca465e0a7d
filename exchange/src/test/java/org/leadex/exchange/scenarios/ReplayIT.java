package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Eventually;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * What-if replay over real recorded traffic: with no changes it reproduces what happened, lead by
 * lead; a higher floor loses exactly the sales under it; exclusive switched to {@code best} on the
 * recorded dual bids earns what this test computes on its own from the bids and the buyers' answers.
 */
class ReplayIT {
  private static final List<String> BUYERS = List.of("a", "b", "c");
  private static final String[] BIDS = {null, "2.00", "3.50", "5.00", "7.25", "9.00", "12.00"};

  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;
  /** What this test told each buyer to do on each ping of campaign "rp", by ping id. */
  static final Map<String, Recorded> pings = new LinkedHashMap<>();

  /** A ping of campaign "rp" as scripted: bids, shared bids and answers; the sold buyer; posted or not. */
  record Recorded(Map<String, BigDecimal> bids, Map<String, BigDecimal> sharedBids, Map<String, Boolean> accepts,
                  boolean posted, String soldTo, BigDecimal price) {}

  @BeforeAll
  static void start() {
    // A heartbeat every millisecond, so that a replay held up on purpose starts its answer with spaces.
    exchange = TestExchange.start(TestDatabase.fresh("replay"), settings -> settings.withReplayHeartbeat(1));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    for (String b : BUYERS) {
      exchange.buyer(b, buyers.bidderJson(b, 900));
    }
    exchange.campaign("rp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"a\",\"b\",\"c\"]}]",
        "\"floor\":1.00"));
    exchange.campaign("turns", TestExchange.campaignJson("[{\"mode\":\"weighted\",\"buyers\":[{\"id\":\"a\",\"weight\":1},"
        + "{\"id\":\"b\",\"weight\":2},{\"id\":\"c\",\"weight\":3}]}]", "\"floor\":1.00"));
    Random random = new Random(20261124L);
    for (int i = 0; i < 60; i++) {
      Map<String, BigDecimal> bids = new HashMap<>();
      Map<String, BigDecimal> shared = new HashMap<>();
      Map<String, Boolean> accepts = new HashMap<>();
      for (String b : BUYERS) {
        TestBuyers.Script script = buyers.buyer(b);
        String bid = BIDS[random.nextInt(BIDS.length)];
        script.bid = bid;
        script.sharedBid = null;
        if (bid != null) {
          bids.put(b, new BigDecimal(bid));
          if (random.nextInt(4) != 0) { // most also name a shared price, recorded for a replay under best
            BigDecimal s = new BigDecimal(bid).multiply(new BigDecimal("0.6")).setScale(2, RoundingMode.HALF_UP);
            script.sharedBid = s.toPlainString();
            shared.put(b, s);
          }
        }
        script.accept = random.nextInt(3) != 0;
        accepts.put(b, script.accept);
      }
      Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("rp"));
      assertEquals(200, ping.status(), ping.body());
      boolean posted = random.nextInt(5) != 0;
      String soldTo = null;
      BigDecimal price = null;
      if (posted) {
        Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), TestExchange.FULL_LEAD);
        assertEquals(200, post.status(), post.body());
        for (String b : exclusiveOrder(bids)) {
          if (accepts.get(b)) {
            soldTo = b;
            price = bids.get(b);
            break;
          }
        }
        assertEquals(soldTo == null ? "unsold" : "sold", post.text("status"), post.body());
      }
      pings.put(ping.text("ping_id"), new Recorded(bids, shared, accepts, posted, soldTo, price));

      // the weighted campaign: a random draw per ping, which a replay must reuse
      Http.Reply direct = exchange.call("POST", "/v1/leads", sellerKey,
          "{\"campaign\":\"turns\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
      assertEquals(200, direct.status(), direct.body());
    }
    // pings reach the database in batches: wait until all of them are there
    Eventually.holds("pings recorded", () -> replay("rp", "{}", false).json().get("actual").get("pings").asInt() == 60);
    Eventually.holds("pings recorded", () -> replay("turns", "{}", false).json().get("actual").get("pings").asInt() == 60);
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  /** Buyers with a bid at or over the floor, highest first (ties in listed order). */
  private static List<String> exclusiveOrder(Map<String, BigDecimal> bids) {
    List<String> order = new ArrayList<>();
    for (String b : BUYERS) {
      if (bids.containsKey(b) && bids.get(b).compareTo(BigDecimal.ONE) >= 0) {
        order.add(b);
      }
    }
    order.sort(Comparator.comparing((String b) -> bids.get(b)).reversed());
    return order;
  }

  private static Http.Reply replay(String campaign, String changes, boolean leads) {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    return exchange.admin("POST", "/v1/admin/replay", "{\"campaign\":\"" + campaign + "\",\"from\":\"" + today
        + "\",\"to\":\"" + today + "\",\"changes\":" + changes + ",\"leads\":" + leads + "}");
  }

  private static Map<String, JsonNode> leadsOf(JsonNode answer) {
    Map<String, JsonNode> out = new HashMap<>();
    answer.get("leads").forEach(l -> out.put(l.get("ping_id").asText(), l));
    return out;
  }

  @Test
  void aReplayStillRunningAtTheHeartbeatStartsItsAnswerWithSpaces() throws Exception {
    // A long replay's answer starts while it runs and sends spaces (the idle timeouts of the server
    // and of proxies would cut it otherwise); the figures follow, as valid JSON. The replay reads the
    // pings only after its changes are checked, so holding the pings table keeps it running far past
    // the 1 ms heartbeat, however fast the machine.
    try (Connection conn = exchange.jdbc()) {
      conn.setAutoCommit(false);
      conn.createStatement().execute("lock table pings in access exclusive mode");
      CompletableFuture<Http.Reply> running = CompletableFuture.supplyAsync(() -> replay("rp", "{}", false));
      Thread.sleep(300);
      assertFalse(running.isDone(), "the replay waits for the pings table");
      conn.rollback();
      Http.Reply reply = running.get(30, TimeUnit.SECONDS);
      assertEquals(200, reply.status(), reply.body());
      assertTrue(reply.body().startsWith(" "), "heartbeat spaces before the figures: " + reply.body());
      JsonNode answer = reply.json();
      assertEquals(answer.get("actual"), answer.get("replayed"), reply.body());
    }
  }

  @Test
  void withNoChangesTheReplayIsWhatHappenedLeadByLead() {
    for (String campaign : List.of("rp", "turns")) {
      Http.Reply reply = replay(campaign, "{}", true);
      assertEquals(200, reply.status(), reply.body());
      JsonNode answer = reply.json();
      assertEquals(answer.get("actual"), answer.get("replayed"), reply.body());
      assertEquals(0, answer.get("changed_leads").asInt());
      assertTrue(answer.get("actual").get("sold").asInt() > 10, reply.body());
      for (JsonNode lead : answer.get("leads")) {
        assertEquals(lead.get("actual"), lead.get("replayed"), lead.toString());
      }
      assertTrue(answer.get("assumptions").size() > 0);
    }
    // the record agrees with what this test scripted
    Map<String, JsonNode> leads = leadsOf(replay("rp", "{}", true).json());
    for (Map.Entry<String, Recorded> ping : pings.entrySet()) {
      Recorded r = ping.getValue();
      if (r.posted()) {
        JsonNode actual = leads.get(ping.getKey()).get("actual");
        assertEquals(r.soldTo() == null ? 0 : 1, actual.size(), ping.getKey() + " " + actual);
      }
    }
  }

  @Test
  void raisingTheFloorAboveSomeRecordedBidsLosesExactlyThoseSales() {
    JsonNode answer = replay("rp", "{\"floor\":6.00}", true).json();
    Map<String, JsonNode> leads = leadsOf(answer);
    long expectedGross = 0;
    int lost = 0;
    for (Map.Entry<String, Recorded> ping : pings.entrySet()) {
      Recorded r = ping.getValue();
      if (!r.posted()) {
        continue;
      }
      JsonNode replayed = leads.get(ping.getKey()).get("replayed");
      if (r.soldTo() != null && r.price().compareTo(new BigDecimal("6.00")) >= 0) {
        assertEquals(1, replayed.size(), ping.getKey() + ": kept");
        assertEquals(r.soldTo(), replayed.get(0).get("buyer").asText());
        expectedGross += r.price().movePointRight(2).longValueExact();
      } else {
        assertEquals(0, replayed.size(), ping.getKey() + ": lost or never sold " + replayed);
        lost += r.soldTo() != null ? 1 : 0;
      }
    }
    assertTrue(lost > 0, "some sales were under the new floor");
    assertEquals(BigDecimal.valueOf(expectedGross, 2), answer.get("replayed").get("gross").decimalValue().setScale(2));
    assertEquals(answer.get("actual").get("sold").asInt() - lost, answer.get("replayed").get("sold").asInt());
  }

  @Test
  void switchingExclusiveToBestOnRecordedDualBidsEarnsWhatTheBidsSay() {
    // computed here from the scripted bids: the exchange's margin is 20 % of what buyers pay, so best
    // sells shared when the top two shared bids sum to more than the top exclusive bid (ties exclusive);
    // a buyer answers as it did at the post, and one never offered the lead then is taken to accept
    long expected = 0;
    long expectedSales = 0;
    for (Recorded r : pings.values()) {
      if (!r.posted()) {
        continue;
      }
      List<String> exclusive = exclusiveOrder(r.bids());
      List<String> shared = exclusiveOrder(r.sharedBids());
      List<String> tried = new ArrayList<>();
      for (String b : exclusive) {
        tried.add(b);
        if (r.accepts().get(b)) {
          break;
        }
      }
      BigDecimal top = exclusive.isEmpty() ? null : r.bids().get(exclusive.get(0));
      BigDecimal sum = BigDecimal.ZERO;
      for (String b : shared.subList(0, Math.min(2, shared.size()))) {
        sum = sum.add(r.sharedBids().get(b));
      }
      boolean sellShared = !shared.isEmpty() && (top == null || sum.compareTo(top) > 0);
      List<String> offers = sellShared ? shared : exclusive;
      Map<String, BigDecimal> prices = sellShared ? r.sharedBids() : r.bids();
      int wanted = sellShared ? 2 : 1;
      int taken = 0;
      for (String b : offers) {
        if (taken == wanted) {
          break;
        }
        boolean accepts = !tried.contains(b) || r.accepts().get(b);
        if (accepts) {
          taken++;
          expected += prices.get(b).movePointRight(2).longValueExact();
        }
      }
      expectedSales += taken;
    }
    JsonNode answer = replay("rp", "{\"sale\":{\"mode\":\"best\",\"max_buyers\":2}}", false).json();
    assertEquals(BigDecimal.valueOf(expected, 2), answer.get("replayed").get("gross").decimalValue().setScale(2),
        answer.toString());
    assertEquals(expectedSales, answer.get("replayed").get("sales").asLong());
    assertTrue(answer.get("replayed").get("sales").asLong() > answer.get("replayed").get("sold").asLong(),
        "some leads were shared: " + answer);
  }

  @Test
  void aReplayWritesNothingAndRefusesWhatItCannotChange() throws Exception {
    long before;
    try (var conn = exchange.jdbc(); var rs = conn.createStatement().executeQuery(
        "select (select count(*) from sales) + (select count(*) from money_events) + (select count(*) from leads)")) {
      rs.next();
      before = rs.getLong(1);
    }
    assertEquals(200, replay("rp", "{\"floor\":2.00,\"buyers\":{\"a\":{\"caps\":{\"daily\":3}}}}", false).status());
    try (var conn = exchange.jdbc(); var rs = conn.createStatement().executeQuery(
        "select (select count(*) from sales) + (select count(*) from money_events) + (select count(*) from leads)")) {
      rs.next();
      assertEquals(before, rs.getLong(1), "the ledger is untouched");
    }
    JsonNode capped = replay("rp", "{\"buyers\":{\"a\":{\"caps\":{\"daily\":3}}}}", false).json();
    assertTrue(capped.get("replayed").get("buyers").path("a").path("sales").asInt() <= 3, capped.toString());

    Http.Reply unknown = replay("rp", "{\"ping_timeout_ms\":50}", false);
    assertEquals(400, unknown.status(), unknown.body());
    assertEquals("changes.ping_timeout_ms", unknown.text("field"));
    Http.Reply badFloor = replay("rp", "{\"floor\":\"cheap\"}", false);
    assertEquals(400, badFloor.status(), badFloor.body());
    Http.Reply noBuyer = replay("rp", "{\"buyers\":{\"zz\":{\"caps\":{\"daily\":1}}}}", false);
    assertEquals(400, noBuyer.status(), noBuyer.body());
    assertEquals(404, replay("nope", "{}", false).status());
  }
  @Test
  void theCommandLinePrintsTheComparisonAsATableAndAChart() {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String printed = org.leadex.exchange.replay.ReplayCliAccess.run("--url", exchange.url(), "--admin-key",
        TestExchange.ADMIN_KEY, "--campaign", "rp", "--from", today, "--to", today, "--changes", "{\"floor\":6.00}");
    JsonNode answer = replay("rp", "{\"floor\":6.00}", false).json();
    assertTrue(printed.contains("actual") && printed.contains("replayed") && printed.contains("difference"), printed);
    String gross = printed.lines().filter(l -> l.startsWith("gross ")).findFirst().orElseThrow();
    assertTrue(gross.contains(answer.get("actual").get("gross").decimalValue().toPlainString())
        && gross.contains(answer.get("replayed").get("gross").decimalValue().toPlainString()), gross);
    assertTrue(printed.contains("█") && printed.contains("░"), "the chart: " + printed);
    assertTrue(printed.contains("assumptions:"), printed);
  }
}
