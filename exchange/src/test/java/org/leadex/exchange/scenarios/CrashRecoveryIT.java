package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.ExchangeProcess;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * An exchange instance killed ({@code kill -9}) in the middle of delivering a lead: the other
 * instance on the same database resolves the lead once the dead one's lease expires, sells nothing
 * twice and gives back the cap unit the dead instance had reserved.
 */
class CrashRecoveryIT {
  static String db;
  static TestExchange survivor;
  static TestBuyers buyers;
  static String sellerKey;

  @BeforeAll
  static void start() {
    db = TestDatabase.fresh("crash");
    survivor = TestExchange.start(db);
    buyers = TestBuyers.start();
    sellerKey = survivor.seller("pub", "{\"type\":\"revenue_share\",\"percent\":50}");
    // "first" is capped, so every offer to it holds a reserved unit of its daily cap and capacity
    survivor.buyer("first", buyers.bidderJson("first", 1_000).replace("}", ",\"caps\":{\"daily\":5},\"max_concurrent\":3}"));
    survivor.buyer("second", buyers.bidderJson("second", 1_000));
    buyers.buyer("first").bids("9.00");
    buyers.buyer("second").bids("5.00");
    survivor.campaign("c", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"first\",\"second\"]}]",
        "\"post_timeout_ms\":4000"));
    // "plain" has no caps: its lead's claim leases the lead for its offer and marks the offer sent
    survivor.buyer("plain", buyers.bidderJson("plain", 1_000));
    buyers.buyer("plain").bids("8.00");
    survivor.campaign("plain", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"plain\",\"second\"]}]",
        "\"post_timeout_ms\":4000"));
  }

  @AfterAll
  static void stop() {
    survivor.close();
    buyers.close();
  }

  /** The instance that dies holds leases of one second beyond each post's timeout. */
  private static ExchangeProcess doomed() throws Exception {
    return ExchangeProcess.start(db, "--lease-margin-ms", "1000");
  }

  /** A bid ping on a freshly started process (its first buyer calls may be slow: a cold JVM). */
  private static String ping(ExchangeProcess exchange) {
    return ping(exchange, "c");
  }

  private static String ping(ExchangeProcess exchange, String campaign) {
    Http.Reply ping = null;
    for (int i = 0; i < 10; i++) {
      ping = Http.send("POST", exchange.url() + "/v1/ping", sellerKey, TestExchange.pingBody(campaign));
      if ("bid".equals(ping.text("status"))) {
        return ping.text("ping_id");
      }
    }
    throw new AssertionError("no bid: " + ping.body());
  }

  private static CompletableFuture<Http.Reply> postInBackground(String url, String pingId) {
    return CompletableFuture.supplyAsync(() -> Http.send("POST", url + "/v1/post", sellerKey,
        "{\"ping_id\":\"" + pingId + "\",\"lead\":" + TestExchange.FULL_LEAD + "}"));
  }

  private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
      Thread.sleep(100);
    }
    assertTrue(condition.getAsBoolean(), what);
  }

  private static long number(String sql) throws Exception {
    try (Connection c = survivor.jdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private static String text(String sql) throws Exception {
    try (Connection c = survivor.jdbc(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  private static long firstUsedToday() throws Exception {
    return number("select coalesce(max(sold), 0) from buyer_usage u join buyers b on b.id = u.buyer_id"
        + " where b.code = 'first' and u.period = 'd'");
  }

  private static long firstOpenLeads() throws Exception {
    return number("select coalesce(max(open_leads), 0) from buyer_state s join buyers b on b.id = s.buyer_id"
        + " where b.code = 'first'");
  }

  @Test
  void aLeadWhoseBuyerHadThePostWhenItsInstanceWasKilledIsClosedUnsoldAndOfferedToNobodyElse() throws Exception {
    long usedBefore = firstUsedToday();
    long openBefore = firstOpenLeads();
    int secondBefore = buyers.buyer("second").postRequests.size();
    int firstBefore = buyers.buyer("first").postRequests.size();
    buyers.buyer("first").postDelayMillis = 30_000; // it has the post and says nothing
    String pingId;
    try (ExchangeProcess victim = doomed()) {
      pingId = ping(victim);
      CompletableFuture<Http.Reply> lost = postInBackground(victim.url(), pingId);
      waitFor("the first buyer got the post", () -> buyers.buyer("first").postRequests.size() > firstBefore);
      assertEquals(usedBefore + 1, firstUsedToday(), "a unit of the cap is reserved while the buyer decides");
      victim.kill();
      assertTrue(lost.handle((reply, failure) -> failure != null).get(), "the seller's connection died with it");
    } finally {
      buyers.buyer("first").postDelayMillis = 0;
    }
    // the seller asks again, on the instance still alive
    Http.Reply again = survivor.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals(200, again.status(), again.body());
    assertEquals("unsold", again.text("status"), again.body());
    assertEquals("error", again.text("reason"), again.body());
    String leadId = again.text("lead_id");
    assertEquals(secondBefore, buyers.buyer("second").postRequests.size(), "never offered to the next buyer");
    assertEquals(0, number("select count(*) from sales where lead_id = '" + leadId + "'"));
    assertEquals("unsold", text("select status from leads where id = '" + leadId + "'"));
    String attempt = text("select reason from post_attempts where lead_id = '" + leadId + "'");
    assertTrue(attempt.startsWith("interrupted"), attempt);
    assertEquals(usedBefore, firstUsedToday(), "the dead instance's reserved unit was given back");
    assertEquals(openBefore, firstOpenLeads());
    assertEquals(0, number("select count(*) from lead_reservations"));
    // and the answer holds: the same again
    Http.Reply third = survivor.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals(again.body(), third.body());
  }

  @Test
  void anUncappedFirstBuyerHoldingThePostWhenItsInstanceWasKilledIsNotOfferedToTheNext() throws Exception {
    int secondBefore = buyers.buyer("second").postRequests.size();
    int plainBefore = buyers.buyer("plain").postRequests.size();
    buyers.buyer("plain").postDelayMillis = 30_000; // it has the post and says nothing
    String pingId;
    try (ExchangeProcess victim = doomed()) {
      pingId = ping(victim, "plain");
      CompletableFuture<Http.Reply> lost = postInBackground(victim.url(), pingId);
      waitFor("the first buyer got the post", () -> buyers.buyer("plain").postRequests.size() > plainBefore);
      // marked as possibly in the buyer's hands (by the claim itself: the buyer is uncapped)
      assertEquals(0, number("select offering from leads where ping_id = '" + pingId + "'"));
      victim.kill();
      assertTrue(lost.handle((reply, failure) -> failure != null).get(), "the seller's connection died with it");
    } finally {
      buyers.buyer("plain").postDelayMillis = 0;
    }
    Http.Reply again = survivor.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals("unsold", again.text("status"), again.body());
    assertEquals("error", again.text("reason"), again.body());
    assertEquals(secondBefore, buyers.buyer("second").postRequests.size(), "never offered to the next buyer");
    assertEquals(plainBefore + 1, buyers.buyer("plain").postRequests.size(), "nor again to the first");
  }

  @Test
  void aLeadWhoseInstanceWasKilledBeforeAnyBuyerSawItIsDeliveredByTheOtherInstance() throws Exception {
    int firstBefore = buyers.buyer("first").postRequests.size();
    long usedBefore = firstUsedToday();
    String pingId;
    try (ExchangeProcess victim = doomed()) {
      pingId = ping(victim);
      // Hold the cap table: the victim claims the lead, then waits inside the reservation of its
      // first offer, before any buyer is sent anything; there it dies.
      try (Connection blocker = survivor.jdbc()) {
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
          s.execute("lock table buyer_usage in exclusive mode");
        }
        CompletableFuture<Http.Reply> lost = postInBackground(victim.url(), pingId);
        waitFor("the victim claimed the lead", () -> {
          try {
            return number("select count(*) from leads where ping_id = '" + pingId + "'") == 1;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        Thread.sleep(300);
        victim.kill();
        assertTrue(lost.handle((reply, failure) -> failure != null).get());
        blocker.commit();
      }
    }
    assertEquals(firstBefore, buyers.buyer("first").postRequests.size(), "no buyer saw it before the kill");
    Http.Reply again = survivor.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals(200, again.status(), again.body());
    assertEquals("sold", again.text("status"), again.body());
    assertEquals("4.5", again.json().get("price").decimalValue().stripTrailingZeros().toPlainString());
    String leadId = again.text("lead_id");
    assertEquals(firstBefore + 1, buyers.buyer("first").postRequests.size(), "delivered once");
    assertEquals(leadId, buyers.buyer("first").postRequests.get(firstBefore).get("lead_id").asText());
    assertEquals(1, number("select count(*) from sales where lead_id = '" + leadId + "'"));
    assertEquals(usedBefore + 1, firstUsedToday(), "one unit, the sale's");
    assertEquals(0, number("select count(*) from lead_reservations"));
    assertEquals(0, number("select count(*) from leads where status = 'delivering'"));
  }

  @Test
  void aWalletReservationLeftByAKilledInstanceIsGivenBackWhenItsLeadIsResolved() throws Exception {
    survivor.buyer("wallet", buyers.bidderJson("wallet", 1_000).replace("}", ",\"billing\":{\"type\":\"prepaid\"}}"));
    buyers.buyer("wallet").bids("8.00");
    survivor.campaign("w", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"wallet\"]}]",
        "\"post_timeout_ms\":4000"));
    Http.Reply funded = survivor.admin("POST", "/v1/admin/buyers/wallet/funds", "{\"amount\":20.00}");
    assertEquals(200, funded.status(), funded.body());
    String wallet = "from wallets w join buyers b on b.id = w.buyer_id where b.code = 'wallet'";
    int before = buyers.buyer("wallet").postRequests.size();
    buyers.buyer("wallet").postDelayMillis = 30_000;
    String pingId;
    try (ExchangeProcess victim = doomed()) {
      pingId = ping(victim, "w");
      CompletableFuture<Http.Reply> lost = postInBackground(victim.url(), pingId);
      waitFor("the buyer got the post", () -> buyers.buyer("wallet").postRequests.size() > before);
      assertEquals(800, number("select reserved_cents " + wallet), "the price is reserved while the buyer decides");
      victim.kill();
      assertTrue(lost.handle((reply, failure) -> failure != null).get());
    } finally {
      buyers.buyer("wallet").postDelayMillis = 0;
    }
    Http.Reply again = survivor.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals("unsold", again.text("status"), again.body());
    assertEquals(0, number("select reserved_cents " + wallet), "the dead instance's reservation was given back");
    assertEquals(2_000, number("select balance_cents " + wallet));
    assertEquals(0, number("select count(*) from wallet_reservations"));
    assertEquals(2_000, number("select sum(e.amount_cents) from wallet_entries e join buyers b on b.id = e.buyer_id"
        + " where b.code = 'wallet'"));
  }
}
