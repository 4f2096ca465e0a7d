package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * A mixed day of traffic (first and second price, shared leads, fallbacks, fixed and revenue-share
 * sellers, a prepaid buyer, pings never posted, direct posts, test traffic, returns inside and
 * outside the window, conversions),
 * then the revenue report checked against a recomputation made here from what each lead was
 * offered and who took it, to the cent, in JSON and CSV, for several groupings; and the ledger's
 * statements and balances against the same recomputation.
 */
class RevenueReportIT {
  private static final List<String> BIDDERS = List.of("a", "b", "c");
  private static final String[] BIDS = {null, "0.50", "2.00", "3.00", "5.55", "7.25", "9.99", "12.00"};
  /** Buyer c is prepaid: far more than the day spends, so its wallet never turns an offer away. */
  private static final long PREPAID_FUNDS_CENTS = 1_000_000;

  static TestExchange exchange;
  static TestBuyers buyers;
  static final Map<String, String> sellerKeys = new HashMap<>();
  static final Map<String, String> buyerKeys = new HashMap<>();
  static final List<RevenueModel.Lead> leads = new ArrayList<>();
  static String financeKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("revenue_report"));
    buyers = TestBuyers.start();
    sellerKeys.put("rs", exchange.seller("rs", "{\"type\":\"revenue_share\",\"percent\":80}"));
    sellerKeys.put("fx", exchange.seller("fx", "{\"type\":\"fixed\",\"amount\":"
        + ExpectedPricing.FIXED_PAYOUT + "}"));
    for (String b : BIDDERS) {
      buyerKeys.put(b, exchange.admin("PUT", "/v1/admin/buyers/" + b, buyers.bidderJson(b, 900)).text("api_key"));
    }
    buyerKeys.put("f", exchange.admin("PUT", "/v1/admin/buyers/f",
        buyers.fixedPriceJson("f", ExpectedPricing.FIXED_PRICE.toPlainString())).text("api_key"));
    exchange.campaign("fp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"a\",\"b\"]},"
        + "{\"mode\":\"waterfall\",\"buyers\":[\"f\"]}]", "\"floor\":" + ExpectedPricing.FLOOR + ",\"return_days\":7"));
    exchange.campaign("sp", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"a\",\"b\",\"c\"]}]",
        "\"floor\":" + ExpectedPricing.FLOOR + ",\"auction\":\"second_price\",\"return_days\":7"));
    exchange.campaign("sh", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"a\",\"b\",\"c\"]}]",
        "\"floor\":" + ExpectedPricing.FLOOR + ",\"return_days\":7,\"sale\":{\"mode\":\"shared\",\"max_buyers\":"
            + ExpectedPricing.SHARED_BUYERS + "}"));
    String prepaid = buyers.bidderJson("c", 900).replaceFirst("\\{", "{\"billing\":{\"type\":\"prepaid\"},");
    assertEquals(200, exchange.admin("PUT", "/v1/admin/buyers/c", prepaid).status());
    Http.Reply funds = exchange.admin("POST", "/v1/admin/buyers/c/funds", "{\"amount\":"
        + BigDecimal.valueOf(PREPAID_FUNDS_CENTS, 2) + ",\"reference\":\"wire 1\"}");
    assertEquals(200, funds.status(), funds.body());
    Http.Reply key = exchange.admin("POST", "/v1/admin/keys", "{\"role\":\"finance\",\"name\":\"books\"}");
    assertEquals(201, key.status(), key.body());
    financeKey = key.text("api_key");
    generateDay(new Random(20261123L), 70);
    awaitPingsRecorded();
  }

  /** Pings reach the database in batches, a few milliseconds after their answers. */
  private static void awaitPingsRecorded() {
    long expected = leads.stream().filter(l -> !l.test).count();
    long deadline = System.currentTimeMillis() + 10_000;
    while (report(period()).json().get("totals").get("pings").asLong() < expected) {
      assertTrue(System.currentTimeMillis() < deadline, "pings not recorded within 10 s");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  /** Sends {@code count} pings with random bids and answers, and records what should have happened. */
  private static void generateDay(Random random, int count) {
    for (int i = 0; i < count; i++) {
      RevenueModel.Lead lead = new RevenueModel.Lead();
      lead.seller = random.nextBoolean() ? "rs" : "fx";
      lead.source = "src-" + random.nextInt(3);
      lead.subId = random.nextInt(3) == 0 ? null : "sub-" + random.nextInt(2);
      lead.campaign = List.of("fp", "sp", "sh").get(random.nextInt(3));
      lead.test = random.nextInt(10) == 0;
      Map<String, BigDecimal> bids = new HashMap<>();
      for (String b : List.of("a", "b", "c", "f")) {
        TestBuyers.Script script = buyers.buyer(b);
        if (!b.equals("f")) {
          String bid = BIDS[random.nextInt(BIDS.length)];
          script.bid = bid;
          if (bid != null) {
            bids.put(b, new BigDecimal(bid));
          }
        }
        script.accept = random.nextInt(4) != 0;
      }
      List<ExpectedPricing.Offer> offers = ExpectedPricing.offers(lead, bids);
      lead.quoted = offers.isEmpty() ? null : offers.get(0).buyer();
      int how = random.nextInt(10);
      String body = "{\"campaign\":\"" + lead.campaign + "\",\"source\":\"" + lead.source + "\""
          + (lead.subId == null ? "" : ",\"sub_id\":\"" + lead.subId + "\"") + (lead.test ? ",\"test\":true" : "");
      String key = sellerKeys.get(lead.seller);
      Http.Reply answer;
      if (how < 3) { // a direct post
        answer = exchange.call("POST", "/v1/leads", key, body + ",\"lead\":" + TestExchange.FULL_LEAD + "}");
        assertEquals(200, answer.status(), answer.body());
        lead.posted = true;
        lead.pingId = pingOf(answer.text("lead_id"));
      } else {
        Http.Reply ping = exchange.ping(key, body + ",\"lead\":" + TestExchange.LEAD + "}");
        assertEquals(200, ping.status(), ping.body());
        lead.pingId = ping.text("ping_id");
        if (!offers.isEmpty()) {
          assertEquals(0, ExpectedPricing.quote(lead, offers).compareTo(ping.json().get("price").decimalValue()),
              "the quote is the first offer's seller price (shared: the first offers'): " + ping.body() + " for " + offers);
        }
        if (how == 9) {
          lead.day = dayOf(lead.pingId);
          leads.add(lead);
          continue; // pinged, never posted
        }
        answer = exchange.post(key, lead.pingId, TestExchange.FULL_LEAD);
        assertEquals(200, answer.status(), answer.body());
        lead.posted = true;
      }
      lead.day = dayOf(lead.pingId);
      lead.leadId = answer.text("lead_id");
      // The first offers that accept: one, or for a shared lead up to ExpectedPricing.SHARED_BUYERS (its offers go out
      // in order, a declined one replaced by the next, so the buyers are the first that accept).
      int wanted = lead.campaign.equals("sh") ? ExpectedPricing.SHARED_BUYERS : 1;
      RevenueModel.Purchase carrier = null;
      for (ExpectedPricing.Offer offer : offers) {
        if (lead.purchases.size() < wanted && buyers.buyer(offer.buyer()).accept) {
          RevenueModel.Purchase p = new RevenueModel.Purchase(offer.buyer(), ExpectedPricing.cents(offer.price()),
              ExpectedPricing.cents(ExpectedPricing.payout(lead.seller, offer.price())));
          if (wanted > 1 && lead.seller.equals("fx")) {
            // a fixed payout is paid once per shared lead, on its highest-priced sale (ties: the earlier offer)
            p.payoutCents = 0;
            carrier = carrier == null || p.priceCents > carrier.priceCents ? p : carrier;
          }
          lead.purchases.add(p);
        }
      }
      if (carrier != null) {
        carrier.payoutCents = ExpectedPricing.cents(ExpectedPricing.FIXED_PAYOUT);
      }
      assertEquals(lead.sold() ? "sold" : "unsold", answer.text("status"), answer.body() + " for " + offers);
      if (lead.sold()) {
        long payouts = lead.purchases.stream().mapToLong(p -> p.payoutCents).sum();
        assertEquals(0, BigDecimal.valueOf(payouts, 2).compareTo(answer.json().get("price").decimalValue()), answer.body());
        assertEquals(lead.purchases.size(), answer.json().get("buyers").asInt(), answer.body());
      }
      leads.add(lead);
    }
    afterTheSales(random);
  }

  /** Returns (some inside the window, some after it), conversions and contacts. */
  private static void afterTheSales(Random random) {
    for (RevenueModel.Lead lead : leads) {
      for (RevenueModel.Purchase purchase : lead.purchases) { // each buyer of a shared lead on its own
        int what = random.nextInt(6);
        String key = buyerKeys.get(purchase.buyer);
        if (what == 0) {
          Http.Reply reply = feedback(key, lead.leadId, "returned", "bad_phone");
          assertEquals(200, reply.status(), reply.body());
          purchase.returned = true;
        } else if (what == 1) {
          // Sold 8 days ago as far as the return window is concerned: refused, changes nothing.
          try (Connection conn = exchange.jdbc()) {
            conn.createStatement().executeUpdate("update sales set sold_at = sold_at - interval '8 days'"
                + " where lead_id = '" + lead.leadId + "' and buyer_id = (select id from buyers where code = '"
                + purchase.buyer + "')");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          Http.Reply reply = feedback(key, lead.leadId, "returned", "bad_phone");
          assertEquals(422, reply.status(), reply.body());
          assertEquals("return_window_closed", reply.text("error"));
        } else if (what == 2) {
          assertEquals(200, feedback(key, lead.leadId, "converted", null).status());
          purchase.converted = true;
        } else if (what == 3) {
          assertEquals(200, feedback(key, lead.leadId, "contacted", null).status());
          assertEquals(200, feedback(key, lead.leadId, "contacted", null).status()); // twice counts once
          purchase.contacted = true;
        }
      }
    }
  }

  private static Http.Reply feedback(String key, String leadId, String status, String reason) {
    return exchange.call("POST", "/v1/feedback", key, "{\"lead_id\":\"" + leadId + "\",\"status\":\"" + status + "\""
        + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}");
  }

  /** A direct post's ping id, from the trace of its lead's ping: read through the database. */
  private static String pingOf(String leadId) {
    try (Connection conn = exchange.jdbc();
         ResultSet rs = conn.createStatement().executeQuery("select ping_id from leads where id = '" + leadId + "'")) {
      assertTrue(rs.next());
      return rs.getString(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The UTC day of a ping: the millisecond in its time-ordered id. */
  private static String dayOf(String pingId) {
    long millis = UUID.fromString(pingId).getMostSignificantBits() >>> 16;
    return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC).toString();
  }

  private static void assertFigures(RevenueModel.Expected e, JsonNode row, String where) {
    assertEquals(e.pings, row.get("pings").asLong(), where + " pings");
    assertEquals(e.bids, row.get("bids").asLong(), where + " bids");
    assertEquals(e.posts, row.get("posts").asLong(), where + " posts");
    assertEquals(e.sold, row.get("sold").asLong(), where + " sold");
    assertEquals(e.sales, row.get("sales").asLong(), where + " sales");
    assertEquals(e.returned, row.get("returned").asLong(), where + " returned");
    assertMoney(e.gross, row.get("gross_revenue"), where + " gross_revenue");
    assertMoney(e.refunds, row.get("refunds"), where + " refunds");
    assertMoney(e.gross - e.refunds, row.get("net_revenue"), where + " net_revenue");
    assertMoney(e.payout - e.clawback, row.get("seller_payout"), where + " seller_payout");
    assertMoney(e.gross - e.refunds - e.payout + e.clawback, row.get("margin"), where + " margin");
    if (e.sold == 0) {
      assertTrue(row.get("revenue_per_lead").isNull(), where + " revenue_per_lead");
    } else {
      BigDecimal perLead = BigDecimal.valueOf(e.gross - e.refunds, 2).divide(BigDecimal.valueOf(e.sold), 2, RoundingMode.HALF_UP);
      assertEquals(0, perLead.compareTo(row.get("revenue_per_lead").decimalValue()), where + " revenue_per_lead");
    }
    if (e.posts == 0) {
      assertTrue(row.get("fill_rate").isNull(), where + " fill_rate");
    } else {
      BigDecimal fill = BigDecimal.valueOf(e.sold).divide(BigDecimal.valueOf(e.posts), 4, RoundingMode.HALF_UP);
      assertEquals(0, fill.compareTo(row.get("fill_rate").decimalValue()), where + " fill_rate");
    }
    assertEquals(e.converted, row.get("converted").asLong(), where + " converted");
    assertEquals(e.contacted, row.get("contacted").asLong(), where + " contacted");
  }

  private static void assertMoney(long cents, JsonNode value, String what) {
    assertNotNull(value, what);
    assertEquals(BigDecimal.valueOf(cents, 2), value.decimalValue().setScale(2), what);
  }

  private static String period() {
    String first = leads.stream().map(l -> l.day).min(String::compareTo).orElseThrow();
    String last = leads.stream().map(l -> l.day).max(String::compareTo).orElseThrow();
    return "from=" + first + "&to=" + last;
  }

  private static Http.Reply report(String query) {
    return exchange.call("GET", "/v1/reports/revenue?" + query, financeKey, null);
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void theReportEqualsTheRecomputationForEveryGrouping() {
    assertTrue(leads.stream().anyMatch(l -> l.purchases.stream().anyMatch(p -> p.returned)), "the day has returns");
    assertTrue(leads.stream().anyMatch(l -> l.sold() && !l.purchases.get(0).buyer.equals(l.quoted)),
        "the day has fallbacks");
    assertTrue(leads.stream().anyMatch(l -> l.test && l.sold()), "the day has test sales");
    assertTrue(leads.stream().anyMatch(l -> !l.test && l.purchases.size() == ExpectedPricing.SHARED_BUYERS && l.seller.equals("rs")),
        "the day has leads shared by a revenue-share seller");
    assertTrue(leads.stream().anyMatch(l -> !l.test && l.purchases.size() == ExpectedPricing.SHARED_BUYERS && l.seller.equals("fx")),
        "the day has leads shared by a fixed-payout seller");
    assertTrue(leads.stream().anyMatch(l -> !l.test && l.purchases.stream().anyMatch(p -> p.buyer.equals("c"))),
        "the prepaid buyer bought");
    for (List<String> groupBy : List.of(List.<String>of(), List.of("seller"), List.of("buyer"), List.of("campaign", "source"),
        List.of("day", "seller", "campaign"), List.of("buyer", "day", "source"), List.of("source", "campaign", "buyer", "seller", "day"),
        List.of("sub_id"), List.of("seller", "sub_id", "buyer"))) {
      Http.Reply reply = report(period() + "&group_by=" + String.join(",", groupBy));
      assertEquals(200, reply.status(), reply.body());
      JsonNode json = reply.json();
      Map<List<String>, RevenueModel.Expected> expected = RevenueModel.expected(leads, groupBy);
      JsonNode rows = json.get("rows");
      assertEquals(groupBy.isEmpty() ? 1 : expected.size(), rows.size(), groupBy + ": " + reply.body());
      RevenueModel.Expected total = new RevenueModel.Expected();
      for (JsonNode row : rows) {
        List<String> k = new ArrayList<>();
        for (String d : groupBy) {
          k.add(row.get(d).isNull() ? null : row.get(d).asText());
        }
        RevenueModel.Expected e = groupBy.isEmpty() ? expected.values().stream().reduce(new RevenueModel.Expected(), RevenueModel::plus)
            : expected.get(k);
        assertNotNull(e, groupBy + ": unexpected row " + row);
        assertFigures(e, row, groupBy + " " + k);
        total = RevenueModel.plus(total, e);
      }
      assertFigures(total, json.get("totals"), groupBy + " totals (the sum of the rows)");
    }
  }

  @Test
  void theTotalsReconcileWithTheLedgerToTheCent() throws Exception {
    JsonNode totals = report(period()).json().get("totals");
    Map<String, Long> ledger = new HashMap<>();
    try (Connection conn = exchange.jdbc();
         ResultSet rs = conn.createStatement().executeQuery("select kind, sum(amount_cents) from money_events"
             + " where not test group by kind")) {
      while (rs.next()) {
        ledger.put(rs.getString(1), rs.getLong(2));
      }
    }
    assertMoney(ledger.get("sale"), totals.get("gross_revenue"), "sales in the ledger");
    assertMoney(ledger.get("refund"), totals.get("refunds"), "refunds in the ledger");
    assertMoney(ledger.get("payout") - ledger.get("clawback"), totals.get("seller_payout"), "payouts in the ledger");
  }

  @Test
  void csvCarriesTheSameFiguresWithAHeaderAndATotalsLine() {
    for (List<String> groupBy : List.of(List.of("seller", "buyer"), List.of("day", "campaign"))) {
      JsonNode json = report(period() + "&group_by=" + String.join(",", groupBy)).json();
      Http.Reply csv = report(period() + "&group_by=" + String.join(",", groupBy) + "&format=csv");
      assertEquals(200, csv.status(), csv.body());
      assertTrue(csv.headers().firstValue("content-type").orElse("").startsWith("text/csv"));
      String[] lines = csv.body().split("\r\n");
      String[] header = lines[0].split(",", -1);
      List<String> expectedHeader = new ArrayList<>(groupBy);
      expectedHeader.addAll(List.of("pings", "bids", "posts", "sold", "sales", "returned", "gross_revenue", "refunds",
          "net_revenue", "seller_payout", "margin", "revenue_per_lead", "fill_rate"));
      assertEquals(expectedHeader, List.of(header).subList(0, expectedHeader.size()));
      JsonNode rows = json.get("rows");
      assertEquals(rows.size() + 2, lines.length, csv.body());
      for (int i = 0; i <= rows.size(); i++) {
        JsonNode row = i < rows.size() ? rows.get(i) : json.get("totals");
        String[] cells = lines[i + 1].split(",", -1);
        for (int c = 0; c < header.length; c++) {
          JsonNode value = row.get(header[c]);
          String expected = value == null ? (c == 0 ? "total" : "")
              : value.isNull() ? "" : value.isNumber() ? value.decimalValue().toPlainString() : value.asText();
          if (value != null && value.isNumber() && !cells[c].isEmpty()) {
            assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(cells[c])), header[c] + " in " + lines[i + 1]);
            if (List.of("gross_revenue", "refunds", "net_revenue", "seller_payout", "margin", "revenue_per_lead")
                .contains(header[c])) {
              assertTrue(cells[c].matches("-?[0-9]+\\.[0-9]{2}"), "money has two places: " + cells[c]);
            }
          } else {
            assertEquals(expected, cells[c], header[c] + " in " + lines[i + 1]);
          }
        }
      }
    }
  }

  @Test
  void statementsAndBalancesFollowTheLedger() {
    String today = period();
    for (String seller : List.of("rs", "fx")) {
      long payouts = purchases(l -> seller.equals(l.seller), p -> true).mapToLong(p -> p.payoutCents).sum();
      long clawbacks = purchases(l -> seller.equals(l.seller), p -> p.returned).mapToLong(p -> p.payoutCents).sum();
      Http.Reply own = exchange.call("GET", "/v1/reports/statements/sellers/" + seller + "?" + today, sellerKeys.get(seller), null);
      assertEquals(200, own.status(), own.body());
      assertMoney(0, own.json().get("opening_balance"), "opening");
      assertMoney(payouts, own.json().get("payouts"), seller + " payouts");
      assertMoney(clawbacks, own.json().get("clawbacks"), seller + " clawbacks");
      assertMoney(payouts - clawbacks, own.json().get("closing_balance"), seller + " closing");
      String other = seller.equals("rs") ? "fx" : "rs";
      assertEquals(404, exchange.call("GET", "/v1/reports/statements/sellers/" + other + "?" + today,
          sellerKeys.get(seller), null).status(), "a seller sees only its own statement");
    }
    Map<String, Long> buyerBalances = new HashMap<>();
    for (String buyer : List.of("a", "b", "c", "f")) {
      long charges = purchases(l -> true, p -> buyer.equals(p.buyer)).mapToLong(p -> p.priceCents).sum();
      long refunds = purchases(l -> true, p -> buyer.equals(p.buyer) && p.returned).mapToLong(p -> p.priceCents).sum();
      Http.Reply csv = exchange.call("GET", "/v1/reports/statements/buyers/" + buyer + "?" + today + "&format=csv",
          buyerKeys.get(buyer), null);
      assertEquals(200, csv.status(), csv.body());
      String[] lines = csv.body().split("\r\n");
      assertEquals("day,refund_count,refunds,charge_count,charges,net,balance", lines[0]);
      String[] total = lines[lines.length - 1].split(",");
      assertEquals("total", total[0]);
      assertEquals(BigDecimal.valueOf(refunds, 2).toPlainString(), total[2], buyer + " refunds");
      assertEquals(BigDecimal.valueOf(charges, 2).toPlainString(), total[4], buyer + " charges");
      assertEquals(BigDecimal.valueOf(refunds - charges, 2).toPlainString(), total[6], buyer + " closing balance");
      buyerBalances.put(buyer, refunds - charges);
    }
    assertEquals(403, exchange.call("GET", "/v1/reports/revenue?" + today, sellerKeys.get("rs"), null).status());

    JsonNode balances = exchange.call("GET", "/v1/reports/balances", financeKey, null).json();
    assertMoney(0, balances.get("sum"), "balances sum to zero");
    long sellers = 0;
    for (JsonNode s : balances.get("sellers")) {
      sellers += s.get("balance").decimalValue().movePointRight(2).longValueExact();
    }
    long buyersTotal = 0;
    for (JsonNode b : balances.get("buyers")) {
      assertMoney(buyerBalances.get(b.get("buyer").asText()), b.get("balance"), "balance of " + b);
      buyersTotal += b.get("balance").decimalValue().movePointRight(2).longValueExact();
    }
    assertMoney(-(sellers + buyersTotal), balances.get("exchange"), "the exchange keeps the difference");

    // the prepaid buyer's wallet: its funds, less what it bought, plus what was refunded (test sales never touch it)
    Http.Reply me = exchange.call("GET", "/v1/buyers/me", buyerKeys.get("c"), null);
    assertEquals(200, me.status(), me.body());
    assertMoney(PREPAID_FUNDS_CENTS + buyerBalances.get("c"), me.json().get("balance"), "c's wallet");
  }

  /** The purchases of non-test leads that pass both filters. */
  private static java.util.stream.Stream<RevenueModel.Purchase> purchases(
      java.util.function.Predicate<RevenueModel.Lead> lead, java.util.function.Predicate<RevenueModel.Purchase> purchase) {
    return leads.stream().filter(l -> !l.test && lead.test(l)).flatMap(l -> l.purchases.stream()).filter(purchase);
  }

  @Test
  void badParametersAreRefusedNamingTheParameter() {
    String key = financeKey;
    Object[][] cases = {
        {"to=2026-11-30", "from"},
        {"from=2026-11-01", "to"},
        {"from=2026-11-31&to=2026-12-01", "from"},
        {"from=2026-11-05&to=2026-11-01", "to"},
        {"from=2026-11-01&to=2026-11-30&group_by=seller,color", "group_by"},
        {"from=2026-11-01&to=2026-11-30&group_by=seller,seller", "group_by"},
        {"from=2026-11-01&to=2026-11-30&format=xml", "format"},
        {"from=2026-11-01&to=2026-11-30&limit=3", "limit"},
        {"from=2026-11-01&from=2026-11-02&to=2026-11-30", "from"},
    };
    for (Object[] c : cases) {
      Http.Reply reply = exchange.call("GET", "/v1/reports/revenue?" + c[0], key, null);
      assertEquals(400, reply.status(), c[0] + ": " + reply.body());
      assertEquals("validation_failed", reply.text("error"), reply.body());
      assertEquals(c[1], reply.text("field"), reply.body());
    }
    assertEquals(401, exchange.call("GET", "/v1/reports/revenue?from=2026-11-01&to=2026-11-30", null, null).status());
    assertEquals(403, exchange.call("GET", "/v1/reports/revenue?from=2026-11-01&to=2026-11-30", buyerKeys.get("a"), null)
        .status());
  }
}
