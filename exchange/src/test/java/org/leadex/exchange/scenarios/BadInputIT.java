package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/** Bad requests get the contract's JSON errors, change nothing, and leave the server healthy. */
class BadInputIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;
  static String buyerKey;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("badinput"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    Http.Reply buyer = exchange.admin("PUT", "/v1/admin/buyers/b", buyers.bidderJson("b", 1_000));
    buyerKey = buyer.text("api_key");
    buyers.buyer("b").bids("5.00");
    exchange.campaign("c", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"b\"]}]", ""));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  private record Case(String method, String path, String key, String body, int status, String code, String field) {}

  @Test
  void everyBadRequestGetsItsErrorAndChangesNothing() throws Exception {
    String lead = TestExchange.LEAD;
    List<Case> cases = new ArrayList<>(List.of(
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":", 400, "invalid_json", null),
        new Case("POST", "/v1/ping", sellerKey, "", 400, "invalid_json", null),
        new Case("POST", "/v1/ping", sellerKey, "[1,2]", 400, "validation_failed", null),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":5,\"lead\":" + lead + "}", 400, "validation_failed", "campaign"),
        new Case("POST", "/v1/ping", sellerKey, "{\"lead\":" + lead + "}", 400, "validation_failed", "campaign"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\"}", 400, "validation_failed", "lead"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\",\"lead\":{\"state\":\"CA\"}}", 400, "validation_failed", "lead.zip"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\",\"lead\":{\"zip\":\"9021\",\"state\":\"CA\"}}", 400, "validation_failed", "lead.zip"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\",\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"age\":\"old\"}}", 400, "validation_failed", "lead.age"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\",\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"age\":12}}", 400, "validation_failed", "lead.age"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\",\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"age\":1e999999999}}", 400, "validation_failed", "lead.age"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\",\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"phone\":\"+13105550100\"}}", 400, "validation_failed", "lead.phone"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\",\"lead\":{\"zip\":\"90210\",\"state\":\"CA\",\"ssn\":\"1\"}}", 400, "validation_failed", "lead.ssn"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"nope\",\"lead\":" + lead + "}", 404, "unknown_campaign", "campaign"),
        new Case("POST", "/v1/ping", sellerKey, "{\"campaign\":\"c\",\"lead\":" + lead + ",\"bogus\":1}", 400, "validation_failed", "bogus"),
        new Case("POST", "/v1/ping", null, "{\"campaign\":\"c\",\"lead\":" + lead + "}", 401, "unauthorized", null),
        new Case("POST", "/v1/ping", "lx_not-a-real-key", "{\"campaign\":\"c\",\"lead\":" + lead + "}", 401, "unauthorized", null),
        new Case("POST", "/v1/ping", buyerKey, "{\"campaign\":\"c\",\"lead\":" + lead + "}", 403, "forbidden", null),
        new Case("POST", "/v1/ping", TestExchange.ADMIN_KEY, "{\"campaign\":\"c\",\"lead\":" + lead + "}", 403, "forbidden", null),
        new Case("POST", "/v1/post", sellerKey, "{\"ping_id\":7,\"lead\":" + lead + "}", 400, "validation_failed", "ping_id"),
        new Case("POST", "/v1/post", sellerKey, "{\"ping_id\":\"nope\",\"lead\":" + lead + "}", 404, "not_found", null),
        new Case("POST", "/v1/post", sellerKey, "{\"ping_id\":\"nope\"}", 400, "validation_failed", "lead"),
        new Case("POST", "/v1/leads", sellerKey, "{\"campaign\":\"c\",\"lead\":{\"zip\":\"90210\"}}", 400, "validation_failed", "lead.state"),
        new Case("PUT", "/v1/admin/sellers/x", sellerKey, "{\"name\":\"x\",\"payout\":{\"type\":\"fixed\",\"amount\":1}}", 403, "forbidden", null),
        new Case("PUT", "/v1/admin/sellers/Bad_Id", TestExchange.ADMIN_KEY, "{\"name\":\"x\",\"payout\":{\"type\":\"fixed\",\"amount\":1}}", 400, "validation_failed", "id"),
        new Case("PUT", "/v1/admin/sellers/x", TestExchange.ADMIN_KEY, "{\"name\":\"x\",\"payout\":{\"type\":\"fixed\",\"amount\":1.001}}", 400, "validation_failed", "payout.amount"),
        new Case("PUT", "/v1/admin/sellers/x", TestExchange.ADMIN_KEY, "{\"name\":\"x\",\"payout\":{\"type\":\"share\"}}", 400, "validation_failed", "payout.type"),
        new Case("PUT", "/v1/admin/sellers/x", TestExchange.ADMIN_KEY, "{\"name\":\"x\",\"payout\":{\"type\":\"fixed\",\"amount\":1},\"colour\":\"red\"}", 400, "validation_failed", "colour"),
        new Case("PUT", "/v1/admin/buyers/x", TestExchange.ADMIN_KEY, "{\"name\":\"x\",\"post_url\":\"ftp://x\",\"fixed_price\":1}", 400, "validation_failed", "post_url"),
        new Case("PUT", "/v1/admin/buyers/x", TestExchange.ADMIN_KEY, "{\"name\":\"x\",\"post_url\":\"http://127.0.0.1/p\"}", 400, "validation_failed", "bid_url"),
        new Case("PUT", "/v1/admin/campaigns/x", TestExchange.ADMIN_KEY, TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"ghost\"]}]", ""), 400, "validation_failed", "tiers[0].buyers[0]"),
        new Case("PUT", "/v1/admin/campaigns/x", TestExchange.ADMIN_KEY, TestExchange.campaignJson("[{\"mode\":\"lottery\",\"buyers\":[\"b\"]}]", ""), 400, "validation_failed", "tiers[0].mode"),
        new Case("PUT", "/v1/admin/campaigns/x", TestExchange.ADMIN_KEY, TestExchange.campaignJson("[]", ""), 400, "validation_failed", "tiers"),
        new Case("POST", "/v1/admin/keys", TestExchange.ADMIN_KEY, "{\"role\":\"seller\",\"principal\":\"nobody\"}", 400, "validation_failed", "principal"),
        new Case("DELETE", "/v1/admin/keys/key_nope", TestExchange.ADMIN_KEY, null, 404, "not_found", null),
        new Case("GET", "/v1/admin/pings/nope", TestExchange.ADMIN_KEY, null, 404, "not_found", null),
        new Case("GET", "/v1/nowhere", TestExchange.ADMIN_KEY, null, 404, "not_found", null)));
    long[] before = counts();
    for (Case c : cases) {
      Http.Reply reply = exchange.call(c.method(), c.path(), c.key(), c.body());
      String what = c.method() + " " + c.path() + " " + c.body() + " -> " + reply.status() + " " + reply.body();
      assertEquals(c.status(), reply.status(), what);
      assertEquals(c.code(), reply.text("error"), what);
      assertEquals(c.field(), reply.text("field"), what);
      assertTrue(reply.text("message") != null && !reply.text("message").isBlank(), what);
    }
    assertArrayEquals(before, counts());
    assertEquals(200, exchange.call("GET", "/health", null, null).status());
  }

  @Test
  void bodiesOverTheLimitAre413() {
    String bigLead = "{\"campaign\":\"c\",\"lead\":{\"zip\":\"" + "9".repeat(70_000) + "\"}}";
    Http.Reply ping = exchange.call("POST", "/v1/ping", sellerKey, bigLead);
    assertEquals(413, ping.status(), ping.body());
    assertEquals("payload_too_large", ping.text("error"));
    String bigAdmin = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
    Http.Reply admin = exchange.admin("PUT", "/v1/admin/sellers/big", bigAdmin);
    assertEquals(413, admin.status(), admin.body());
    assertEquals(200, exchange.call("GET", "/health", null, null).status());
  }

  private static void assertArrayEquals(long[] expected, long[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, "a bad request changed state");
  }

  private static long[] counts() throws Exception {
    try (Connection conn = exchange.jdbc()) {
      String[] tables = {"pings", "bids", "leads", "sales", "money_events", "sellers", "buyers", "campaigns", "api_keys"};
      long[] out = new long[tables.length];
      exchange.admin("GET", "/health", null); // nothing to flush on a failed request; counts are read as is
      for (int i = 0; i < tables.length; i++) {
        try (ResultSet rs = conn.createStatement().executeQuery("select count(*) from " + tables[i])) {
          rs.next();
          out[i] = rs.getLong(1);
        }
      }
      return out;
    }
  }
}
