package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
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

/**
 * Prepaid buyers' wallets: funding and adjustments, eligibility at the ping, the reservation at
 * the post (released on rejection, debited on acceptance), refunds, and no overdraft past the
 * credit limit with two instances selling to one buyer at once. After each scenario the wallet's
 * balance equals the sum of its ledger entries.
 */
class WalletsIT {
  static TestExchange a;
  static TestExchange b;
  static TestBuyers buyers;
  static String sellerKey;
  static String financeKey;

  @BeforeAll
  static void start() {
    String db = TestDatabase.fresh("wallets");
    a = TestExchange.start(db);
    b = TestExchange.start(db);
    buyers = TestBuyers.start();
    sellerKey = a.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    financeKey = a.admin("POST", "/v1/admin/keys", "{\"role\":\"finance\",\"name\":\"books\"}").text("api_key");
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    buyers.close();
  }

  private static String prepaid(String doc, String creditLimit, String alert) {
    return doc.substring(0, doc.length() - 1) + ",\"billing\":{\"type\":\"prepaid\",\"credit_limit\":" + creditLimit
        + ",\"low_balance_alert\":" + alert + "}}";
  }

  /** Creates the buyer and returns its API key. */
  private static String buyer(String id, String doc) {
    Http.Reply reply = a.admin("PUT", "/v1/admin/buyers/" + id, doc);
    assertEquals(200, reply.status(), reply.body());
    return reply.text("api_key");
  }

  private static Http.Reply fund(String buyer, String key, String body) {
    return a.call("POST", "/v1/admin/buyers/" + buyer + "/funds", key, body);
  }

  private static Http.Reply direct(TestExchange on, String campaign) {
    return on.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"" + campaign + "\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
  }

  private static long[] wallet(String buyer) throws Exception {
    try (Connection conn = a.jdbc(); ResultSet rs = conn.createStatement().executeQuery(
        "select w.balance_cents, w.reserved_cents, (select coalesce(sum(amount_cents), 0) from wallet_entries e"
            + " where e.buyer_id = w.buyer_id), (select count(*) from wallet_reservations r where r.buyer_id = w.buyer_id)"
            + " from wallets w join buyers b on b.id = w.buyer_id where b.code = '" + buyer + "'")) {
      assertTrue(rs.next(), "no wallet for " + buyer);
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
    }
  }

  /** Balance in cents, after checking that nothing is left reserved and the ledger sums to the balance. */
  private static long settledBalance(String buyer) throws Exception {
    long[] w = wallet(buyer);
    assertEquals(0, w[1], "reserved");
    assertEquals(0, w[3], "reservation rows");
    assertEquals(w[0], w[2], "balance == sum of the wallet's entries");
    return w[0];
  }

  @Test
  void fundsAdjustmentsConflictsAndValidation() throws Exception {
    String key = buyer("fw", prepaid(buyers.fixedPriceJson("fw", "5.00"), "0", "100.00"));
    buyer("post", buyers.fixedPriceJson("post", "5.00"));
    Http.Reply funded = fund("fw", TestExchange.ADMIN_KEY, "{\"amount\":500.00,\"reference\":\"wire 42\"}");
    assertEquals(200, funded.status(), funded.body());
    assertEquals("500.00", funded.json().get("balance").decimalValue().setScale(2).toPlainString());
    Http.Reply adjusted = fund("fw", financeKey, "{\"amount\":-20.50,\"reason\":\"chargeback\"}");
    assertEquals(200, adjusted.status(), adjusted.body());
    assertEquals(0, adjusted.json().get("balance").decimalValue().compareTo(new java.math.BigDecimal("479.50")));

    Http.Reply noReason = fund("fw", financeKey, "{\"amount\":-1.00}");
    assertEquals(400, noReason.status(), noReason.body());
    assertEquals("validation_failed", noReason.json().path("error").path("code").asText(noReason.text("error")),
        noReason.body());
    for (String bad : List.of("{\"amount\":0}", "{\"amount\":1.234}", "{}", "{\"amount\":\"5\"}",
        "{\"amount\":5,\"colour\":\"red\"}")) {
      Http.Reply reply = fund("fw", financeKey, bad);
      assertEquals(400, reply.status(), bad + " -> " + reply.body());
    }
    Http.Reply tooFar = fund("fw", financeKey, "{\"amount\":-480.00,\"reason\":\"more than there is\"}");
    assertEquals(409, tooFar.status(), tooFar.body());
    Http.Reply postpaid = fund("post", financeKey, "{\"amount\":10}");
    assertEquals(409, postpaid.status(), postpaid.body());
    assertTrue(postpaid.body().contains("conflict"), postpaid.body());
    assertEquals(404, fund("nobody", financeKey, "{\"amount\":10}").status());
    assertEquals(403, fund("fw", sellerKey, "{\"amount\":10}").status());
    assertEquals(403, fund("fw", key, "{\"amount\":10}").status());

    Http.Reply me = a.call("GET", "/v1/buyers/me", key, null);
    assertEquals(200, me.status(), me.body());
    assertEquals(0, me.json().get("balance").decimalValue().compareTo(new java.math.BigDecimal("479.50")), me.body());
    assertEquals("prepaid", me.json().path("settings").path("billing").path("type").asText());
    assertEquals(47_950, settledBalance("fw"));
    JsonNode audit = a.admin("GET", "/v1/admin/audit?target=buyers/fw", null).json().get("entries");
    List<String> actions = new ArrayList<>();
    audit.forEach(e -> actions.add(e.path("action").asText() + " by " + e.path("actor_role").asText()));
    assertTrue(actions.contains("wallet.fund by admin"), actions.toString());
    assertTrue(actions.contains("wallet.adjust by finance"), actions.toString());
    assertEquals(2, actions.stream().filter(x -> x.startsWith("wallet.")).count(), "refused calls are not audited");
    try (Connection conn = a.jdbc(); ResultSet rs = conn.createStatement().executeQuery(
        "select kind, amount_cents, reference, reason from wallet_entries e join buyers b on b.id = e.buyer_id"
            + " where b.code = 'fw' order by e.id")) {
      assertTrue(rs.next());
      assertEquals("funds", rs.getString(1));
      assertEquals("wire 42", rs.getString(3));
      assertTrue(rs.next());
      assertEquals("adjustment", rs.getString(1));
      assertEquals(-2_050, rs.getLong(2));
      assertEquals("chargeback", rs.getString(4));
    }
  }

  @Test
  void aPostpaidBuyerShowsNoBalanceAndABadBillingIsRefused() {
    String key = buyer("pp", buyers.fixedPriceJson("pp", "5.00"));
    Http.Reply me = a.call("GET", "/v1/buyers/me", key, null);
    assertEquals(200, me.status(), me.body());
    assertTrue(me.json().get("balance").isNull(), me.body());
    Http.Reply bad = a.admin("PUT", "/v1/admin/buyers/bad",
        buyers.fixedPriceJson("bad", "5.00").replace("}", ",\"billing\":{\"type\":\"barter\"}}"));
    assertEquals(400, bad.status(), bad.body());
    Http.Reply negative = a.admin("PUT", "/v1/admin/buyers/bad", prepaid(buyers.fixedPriceJson("bad", "5.00"), "-1", "0"));
    assertEquals(400, negative.status(), negative.body());
  }

  @Test
  void aPrepaidBuyerThatCannotCoverItsPriceIsSkippedAtThePingAndTheNextBuyerWins() throws Exception {
    buyer("poor", prepaid(buyers.bidderJson("poor", 900), "0", "0"));
    buyers.buyer("poor").bids("14.25");
    buyer("rich", buyers.bidderJson("rich", 900));
    buyers.buyer("rich").bids("5.00");
    a.campaign("skip", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"poor\",\"rich\"]}]", ""));
    assertEquals(200, fund("poor", financeKey, "{\"amount\":3.20}").status());

    Http.Reply ping = a.ping(sellerKey, TestExchange.pingBody("skip"));
    assertEquals("bid", ping.text("status"), ping.body());
    String pingId = ping.text("ping_id");
    Http.Reply post = a.post(sellerKey, pingId, TestExchange.FULL_LEAD);
    assertEquals("sold", post.text("status"), post.body());
    assertEquals(0, buyers.buyer("poor").postRequests.size(), "the poor buyer is not offered the lead");
    assertEquals(1, buyers.buyer("rich").postRequests.size());
    JsonNode trace = a.trace(pingId);
    JsonNode poor = null;
    for (JsonNode buyer : trace.get("buyers")) {
      if (buyer.path("buyer").asText().equals("poor")) {
        poor = buyer;
      }
    }
    assertEquals("balance: 3.20 < 14.25", poor.path("skipped").asText(), trace.toString());
    assertEquals(320, settledBalance("poor"));
    // with enough money it wins again, and pays from its wallet
    assertEquals(200, fund("poor", financeKey, "{\"amount\":20.00}").status());
    Http.Reply sold = direct(a, "skip");
    assertEquals("sold", sold.text("status"), sold.body());
    assertEquals(1, buyers.buyer("poor").postRequests.size());
    assertEquals(2_320 - 1_425, settledBalance("poor"));
  }

  @Test
  void aRejectionReleasesTheReservationAndAnAcceptanceDebits() throws Exception {
    buyer("picky", prepaid(buyers.fixedPriceJson("picky", "7.00"), "0", "0"));
    a.campaign("pick", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"picky\"]}]", ""));
    assertEquals(200, fund("picky", financeKey, "{\"amount\":10.00}").status());
    buyers.buyer("picky").rejects();
    buyers.buyer("picky").postDelayMillis = 300;
    var pool = Executors.newSingleThreadExecutor();
    Future<Http.Reply> rejected = pool.submit(() -> direct(a, "pick"));
    // while the buyer holds the post, its price is reserved
    long[] during = null;
    for (int i = 0; i < 50 && (during == null || during[1] == 0); i++) {
      Thread.sleep(10);
      during = wallet("picky");
    }
    assertEquals(700, during[1], "reserved while the buyer decides");
    assertEquals("unsold", rejected.get().text("status"), rejected.get().body());
    pool.shutdown();
    assertEquals(1_000, settledBalance("picky"));
    buyers.buyer("picky").accept = true;
    buyers.buyer("picky").postDelayMillis = 0;
    assertEquals("sold", direct(a, "pick").text("status"));
    assertEquals(300, settledBalance("picky"));
    // 3.00 left: the next 7.00 lead is not its
    Http.Reply refused = direct(a, "pick");
    assertEquals("unsold", refused.text("status"), refused.body());
    assertEquals(300, settledBalance("picky"));
  }

  @Test
  void anApprovedReturnCreditsTheWallet() throws Exception {
    String key = buyer("ret", prepaid(buyers.fixedPriceJson("ret", "12.00"), "0", "0"));
    a.campaign("retc", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"ret\"]}]", "\"return_days\":3"));
    assertEquals(200, fund("ret", financeKey, "{\"amount\":50.00}").status());
    Http.Reply sold = direct(a, "retc");
    assertEquals("sold", sold.text("status"), sold.body());
    assertEquals(3_800, settledBalance("ret"));
    Http.Reply returned = a.call("POST", "/v1/feedback", key, "{\"lead_id\":\"" + sold.text("lead_id")
        + "\",\"status\":\"returned\",\"reason\":\"bad phone\"}");
    assertEquals(200, returned.status(), returned.body());
    assertEquals(5_000, settledBalance("ret"));
    try (Connection conn = a.jdbc(); ResultSet rs = conn.createStatement().executeQuery(
        "select string_agg(kind || ':' || amount_cents, ',' order by e.id) from wallet_entries e"
            + " join buyers b on b.id = e.buyer_id where b.code = 'ret'")) {
      rs.next();
      assertEquals("funds:5000,sale:-1200,refund:1200", rs.getString(1));
    }
  }

  @Test
  void testTrafficNeverTouchesAWallet() throws Exception {
    buyer("tw", prepaid(buyers.fixedPriceJson("tw", "9.00"), "0", "0"));
    a.campaign("twc", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"tw\"]}]", ""));
    assertEquals(200, fund("tw", financeKey, "{\"amount\":1.00}").status());
    Http.Reply sold = a.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"twc\",\"source\":\"s\",\"test\":true,\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals("sold", sold.text("status"), sold.body());
    assertEquals(100, settledBalance("tw"));
  }

  @Test
  void concurrentSalesOnTwoInstancesNeverPassTheCreditLimit() throws Exception {
    String hot = buyers.fixedPriceJson("hot", "1.00");
    buyer("hot", prepaid(hot.substring(0, hot.length() - 1) + ",\"notify\":{\"url\":\"" + buyers.postUrl("hotnote")
        + "\"}}", "5.00", "10.00"));
    buyers.buyer("hot").postDelayMillis = 3;
    a.campaign("hotc", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"hot\"]}]", ""));
    assertEquals(200, fund("hot", financeKey, "{\"amount\":50.00}").status());
    // b learns of the buyer and campaign through the catalog's NOTIFY
    for (int i = 0; i < 50 && !"sold".equals(direct(b, "hotc").text("status")); i++) {
      Thread.sleep(100);
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Http.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      TestExchange on = i % 2 == 0 ? a : b;
      if (i % 4 < 2) {
        replies.add(pool.submit(() -> direct(on, "hotc")));
      } else {
        replies.add(pool.submit(() -> {
          Http.Reply ping = on.ping(sellerKey, TestExchange.pingBody("hotc"));
          if (!"bid".equals(ping.text("status"))) {
            return ping;
          }
          return (on == a ? b : a).post(sellerKey, ping.text("ping_id"), TestExchange.FULL_LEAD);
        }));
      }
    }
    int sold = 0;
    for (Future<Http.Reply> reply : replies) {
      Http.Reply r = reply.get();
      assertEquals(200, r.status(), r.body());
      sold += "sold".equals(r.text("status")) ? 1 : 0;
    }
    pool.shutdown();
    long balance = settledBalance("hot");
    assertTrue(balance >= -500, "balance " + balance + " went past the credit limit");
    assertEquals(5_000 - 100L * (sold + 1), balance, "every sale debited once");
    assertEquals(-500, balance, "the buyer bought until its credit limit");
    // the low-balance notice is queued once, with the sale that crossed below 10.00
    try (Connection conn = a.jdbc(); ResultSet rs = conn.createStatement().executeQuery(
        "select count(*) from deliveries d join buyers b on b.id = d.buyer_id where b.code = 'hot' and kind = 'notify'"
            + " and body like '%low_balance%'")) {
      rs.next();
      assertEquals(1, rs.getLong(1), "one low-balance notice");
    }
    for (int i = 0; i < 50 && buyers.buyer("hotnote").postRequests.stream()
        .noneMatch(n -> n.path("event").asText().equals("low_balance")); i++) {
      Thread.sleep(100);
    }
    assertTrue(buyers.buyer("hotnote").postRequests.stream()
        .anyMatch(n -> n.path("event").asText().equals("low_balance") && n.path("buyer").asText().equals("hot")));
    String metrics = Http.send("GET", a.url() + "/metrics", null, null).body();
    assertTrue(metrics.contains("exchange_wallet_low{buyer=\"hot\"} 1"), metrics);
  }
}
