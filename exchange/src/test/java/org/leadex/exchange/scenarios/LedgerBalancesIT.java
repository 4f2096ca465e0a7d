package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * A property of the ledger: whatever the sequence of sales, returns, repeated returns and late
 * returns, after every step each seller's, each buyer's and the exchange's balance equals what this
 * test computes on its own, every party's statement closes at its balance, and the balances sum to
 * zero. Buyer x is prepaid: its wallet, funded at random, is debited by its sales and credited by
 * its refunds, and after every step equals this test's own sum and the sum of its ledger entries.
 * Several seeded random sequences; a failure names its seed and step.
 */
class LedgerBalancesIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String financeKey;
  static final Map<String, String> sellerKeys = new TreeMap<>();
  static final Map<String, String> buyerKeys = new TreeMap<>();

  /** The model: every party's balance in cents, from the exchange's side (what it owes the party). */
  static final Map<String, Long> sellers = new TreeMap<>();
  static final Map<String, Long> buyerBalances = new TreeMap<>();
  static long exchangeBalance;
  /** Buyer x's wallet in cents. */
  static long walletX;

  private record Sold(String leadId, String seller, String buyer, long priceCents, long payoutCents, boolean[] returned) {}

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("ledger_balances"));
    buyers = TestBuyers.start();
    sellerKeys.put("share", exchange.seller("share", "{\"type\":\"revenue_share\",\"percent\":70}"));
    sellerKeys.put("flat", exchange.seller("flat", "{\"type\":\"fixed\",\"amount\":2.50}"));
    for (String b : List.of("x", "y")) {
      String doc = buyers.bidderJson(b, 900);
      if (b.equals("x")) {
        doc = doc.substring(0, doc.length() - 1) + ",\"billing\":{\"type\":\"prepaid\",\"credit_limit\":1.00}}";
      }
      buyerKeys.put(b, exchange.admin("PUT", "/v1/admin/buyers/" + b, doc).text("api_key"));
    }
    exchange.campaign("c", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"x\",\"y\"]}]",
        "\"floor\":2.50,\"return_days\":3"));
    financeKey = exchange.admin("POST", "/v1/admin/keys", "{\"role\":\"finance\",\"name\":\"books\"}").text("api_key");
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  @Test
  void balancesStayConsistentThroughRandomSalesAndReturns() throws Exception {
    for (long seed : new long[] {1L, 7L, 20261123L}) {
      Random random = new Random(seed);
      List<Sold> sold = new ArrayList<>();
      for (int step = 0; step < 25; step++) {
        String where = "seed " + seed + ", step " + step;
        int op = random.nextInt(10);
        if (op == 9 || walletX < 2_500) { // x can always cover its highest bid (22.49)
          fund(random, where);
        }
        if (op < 6 || sold.isEmpty()) {
          sell(random, sold, where);
        } else {
          giveBack(random, sold.get(random.nextInt(sold.size())), random.nextInt(4) == 0, where);
        }
        check(where);
      }
    }
  }

  private static void sell(Random random, List<Sold> sold, String where) {
    String seller = random.nextBoolean() ? "share" : "flat";
    long xCents = 250 + random.nextInt(2_000);
    long yCents = 250 + random.nextInt(2_000);
    buyers.buyer("x").bids(BigDecimal.valueOf(xCents, 2).toPlainString());
    buyers.buyer("y").bids(BigDecimal.valueOf(yCents, 2).toPlainString());
    buyers.buyer("x").accept = true;
    buyers.buyer("y").accept = true;
    String winner = xCents >= yCents ? "x" : "y";
    long price = Math.max(xCents, yCents);
    long payout = seller.equals("flat") ? 250
        : BigDecimal.valueOf(price * 70).divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact();
    Http.Reply reply = exchange.call("POST", "/v1/leads", sellerKeys.get(seller),
        "{\"campaign\":\"c\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals("sold", reply.text("status"), where + ": " + reply.body());
    sold.add(new Sold(reply.text("lead_id"), seller, winner, price, payout, new boolean[1]));
    buyerBalances.merge(winner, -price, Long::sum);
    walletX -= winner.equals("x") ? price : 0;
    sellers.merge(seller, payout, Long::sum);
    exchangeBalance += price - payout;
  }

  /** A return: refunded once inside the window; a repeat is a conflict, a late one is refused. */
  private static void giveBack(Random random, Sold sale, boolean late, String where) throws Exception {
    if (late && !sale.returned()[0]) {
      try (Connection conn = exchange.jdbc()) {
        conn.createStatement().executeUpdate("update sales set sold_at = sold_at - interval '4 days'"
            + " where lead_id = '" + sale.leadId() + "'");
      }
    }
    Http.Reply reply = exchange.call("POST", "/v1/feedback", buyerKeys.get(sale.buyer()),
        "{\"lead_id\":\"" + sale.leadId() + "\",\"status\":\"returned\",\"reason\":\"r" + random.nextInt(3) + "\"}");
    if (sale.returned()[0]) {
      assertEquals(409, reply.status(), where + ": a second return: " + reply.body());
    } else if (late) {
      assertEquals(422, reply.status(), where + ": a late return: " + reply.body());
      try (Connection conn = exchange.jdbc()) { // back inside the window for later steps
        conn.createStatement().executeUpdate("update sales set sold_at = sold_at + interval '4 days'"
            + " where lead_id = '" + sale.leadId() + "'");
      }
    } else {
      assertEquals(200, reply.status(), where + ": " + reply.body());
      sale.returned()[0] = true;
      buyerBalances.merge(sale.buyer(), sale.priceCents(), Long::sum);
      walletX += sale.buyer().equals("x") ? sale.priceCents() : 0;
      sellers.merge(sale.seller(), -sale.payoutCents(), Long::sum);
      exchangeBalance += -sale.priceCents() + sale.payoutCents();
    }
  }

  private static void fund(Random random, String where) {
    long cents = 1_000 + random.nextInt(9_000);
    Http.Reply reply = exchange.call("POST", "/v1/admin/buyers/x/funds", financeKey,
        "{\"amount\":" + dollars(cents) + ",\"reference\":\"" + where + "\"}");
    assertEquals(200, reply.status(), where + ": " + reply.body());
    walletX += cents;
    assertEquals(dollars(walletX), reply.json().get("balance").decimalValue().setScale(2), where + ": funded");
  }

  private static void checkWallet(String where) throws Exception {
    JsonNode me = exchange.call("GET", "/v1/buyers/me", buyerKeys.get("x"), null).json();
    assertEquals(dollars(walletX), me.get("balance").decimalValue().setScale(2), where + ": x's wallet");
    try (Connection conn = exchange.jdbc(); java.sql.ResultSet rs = conn.createStatement().executeQuery(
        "select (select coalesce(sum(amount_cents), 0) from wallet_entries e where e.buyer_id = b.id),"
            + " (select reserved_cents from wallets w where w.buyer_id = b.id) from buyers b where b.code = 'x'")) {
      rs.next();
      assertEquals(walletX, rs.getLong(1), where + ": x's wallet entries sum to its balance");
      assertEquals(0, rs.getLong(2), where + ": nothing left reserved");
    }
  }

  private static void check(String where) throws Exception {
    checkWallet(where);
    JsonNode balances = exchange.call("GET", "/v1/reports/balances", financeKey, null).json();
    assertEquals(BigDecimal.ZERO.setScale(2), balances.get("sum").decimalValue().setScale(2), where + ": sum");
    assertEquals(dollars(exchangeBalance), balances.get("exchange").decimalValue().setScale(2), where + ": exchange");
    Map<String, BigDecimal> sellersSeen = new TreeMap<>();
    balances.get("sellers").forEach(s -> sellersSeen.put(s.get("seller").asText(), s.get("balance").decimalValue().setScale(2)));
    Map<String, BigDecimal> buyersSeen = new TreeMap<>();
    balances.get("buyers").forEach(b -> buyersSeen.put(b.get("buyer").asText(), b.get("balance").decimalValue().setScale(2)));
    assertEquals(dollarsOf(sellers), sellersSeen, where + ": sellers");
    assertEquals(dollarsOf(buyerBalances), buyersSeen, where + ": buyers");
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String period = "?from=" + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "&to=" + today;
    for (Map.Entry<String, Long> s : sellers.entrySet()) {
      JsonNode statement = exchange.call("GET", "/v1/reports/statements/sellers/" + s.getKey() + period, financeKey, null).json();
      assertEquals(dollars(s.getValue()), statement.get("closing_balance").decimalValue().setScale(2), where + ": " + s.getKey());
    }
    for (Map.Entry<String, Long> b : buyerBalances.entrySet()) {
      JsonNode statement = exchange.call("GET", "/v1/reports/statements/buyers/" + b.getKey() + period, financeKey, null).json();
      assertEquals(dollars(b.getValue()), statement.get("closing_balance").decimalValue().setScale(2), where + ": " + b.getKey());
    }
  }

  private static Map<String, BigDecimal> dollarsOf(Map<String, Long> cents) {
    Map<String, BigDecimal> out = new TreeMap<>();
    cents.forEach((k, v) -> out.put(k, dollars(v)));
    return out;
  }

  private static BigDecimal dollars(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
