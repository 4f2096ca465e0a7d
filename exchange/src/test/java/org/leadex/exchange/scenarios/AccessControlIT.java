package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.RawHttp;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Who may call what: every endpoint with every role's key, with no key, and with a key of the
 * right role on another principal's record; and the per-principal address allow-lists.
 */
class AccessControlIT {
  static TestExchange exchange;
  static TestBuyers buyers;
  static final Map<String, String> keys = new LinkedHashMap<>();
  static String sellerPing;
  static String buyerLead;

  @BeforeAll
  static void start() {
    exchange = TestExchange.start(TestDatabase.fresh("access"));
    buyers = TestBuyers.start();
    keys.put("admin", TestExchange.ADMIN_KEY);
    keys.put("seller", exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}"));
    keys.put("other_seller", exchange.seller("pub2", "{\"type\":\"revenue_share\",\"percent\":80}"));
    keys.put("buyer", exchange.admin("PUT", "/v1/admin/buyers/acme", buyers.fixedPriceJson("acme", "9.00")).text("api_key"));
    keys.put("other_buyer", exchange.admin("PUT", "/v1/admin/buyers/globex", buyers.fixedPriceJson("globex", "1.00"))
        .text("api_key"));
    Http.Reply finance = exchange.admin("POST", "/v1/admin/keys", "{\"role\":\"finance\",\"name\":\"books\"}");
    assertEquals(201, finance.status(), finance.body());
    keys.put("finance", finance.text("api_key"));
    exchange.campaign("c", TestExchange.campaignJson("[{\"mode\":\"waterfall\",\"buyers\":[\"acme\",\"globex\"]}]", ""));
    sellerPing = exchange.ping(keys.get("seller"), TestExchange.pingBody("c")).text("ping_id");
    Http.Reply sold = exchange.call("POST", "/v1/leads", keys.get("seller"),
        "{\"campaign\":\"c\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals("sold", sold.text("status"), sold.body());
    buyerLead = sold.text("lead_id");
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  private record Endpoint(String method, String path, String body, Set<String> roles) {}

  private static List<Endpoint> endpoints() {
    String seller = "{\"name\":\"n\",\"payout\":{\"type\":\"fixed\",\"amount\":1.00}}";
    List<Endpoint> out = new ArrayList<>(List.of(
        new Endpoint("GET", "/health", null, Set.of()),
        new Endpoint("GET", "/metrics", null, Set.of()),
        new Endpoint("GET", "/v1/admin/latency", null, Set.of("admin")),
        new Endpoint("PUT", "/v1/admin/sellers/made-by-admin", seller, Set.of("admin")),
        new Endpoint("GET", "/v1/admin/sellers/pub", null, Set.of("admin")),
        new Endpoint("GET", "/v1/admin/sellers", null, Set.of("admin")),
        new Endpoint("PUT", "/v1/admin/buyers/acme", buyers.fixedPriceJson("acme", "9.00"), Set.of("admin")),
        new Endpoint("GET", "/v1/admin/buyers/acme", null, Set.of("admin")),
        new Endpoint("GET", "/v1/admin/buyers", null, Set.of("admin")),
        new Endpoint("PUT", "/v1/admin/campaigns/c", TestExchange.campaignJson(
            "[{\"mode\":\"waterfall\",\"buyers\":[\"acme\",\"globex\"]}]", ""), Set.of("admin")),
        new Endpoint("GET", "/v1/admin/campaigns/c", null, Set.of("admin")),
        new Endpoint("GET", "/v1/admin/campaigns", null, Set.of("admin")),
        new Endpoint("POST", "/v1/admin/sellers/pub/keys", "{\"name\":\"spare\"}", Set.of("admin")),
        new Endpoint("POST", "/v1/admin/buyers/acme/keys", "{\"name\":\"spare\"}", Set.of("admin")),
        new Endpoint("POST", "/v1/admin/keys", "{\"role\":\"finance\",\"name\":\"more\"}", Set.of("admin")),
        new Endpoint("GET", "/v1/admin/keys", null, Set.of("admin")),
        new Endpoint("DELETE", "/v1/admin/keys/key_0000000000000000", null, Set.of("admin")),
        new Endpoint("GET", "/v1/admin/pings/" + sellerPing, null, Set.of("admin")),
        new Endpoint("POST", "/v1/ping", TestExchange.pingBody("c"), Set.of("seller")),
        new Endpoint("POST", "/v1/post", "{\"ping_id\":\"" + sellerPing + "\",\"lead\":" + TestExchange.FULL_LEAD + "}",
            Set.of("seller")),
        new Endpoint("POST", "/v1/leads", "{\"campaign\":\"c\",\"lead\":" + TestExchange.FULL_LEAD + "}", Set.of("seller")),
        new Endpoint("POST", "/v1/feedback", "{\"lead_id\":\"" + buyerLead + "\",\"status\":\"contacted\"}",
            Set.of("buyer"))));
    String period = "?from=2026-01-01&to=2026-01-02";
    out.addAll(List.of(
        new Endpoint("GET", "/v1/reports/revenue" + period, null, Set.of("admin", "finance")),
        new Endpoint("GET", "/v1/reports/balances", null, Set.of("admin", "finance")),
        new Endpoint("GET", "/v1/reports/statements/sellers/pub" + period, null, Set.of("admin", "finance", "seller")),
        new Endpoint("GET", "/v1/reports/statements/buyers/acme" + period, null, Set.of("admin", "finance", "buyer")),
        new Endpoint("GET", "/v1/admin/returns", null, Set.of("admin")),
        new Endpoint("POST", "/v1/admin/returns/" + buyerLead, "{\"decision\":\"reject\"}", Set.of("admin")),
        new Endpoint("GET", "/v1/admin/audit", null, Set.of("admin")),
        new Endpoint("GET", "/v1/buyers/me", null, Set.of("buyer")),
        new Endpoint("PATCH", "/v1/buyers/me", "{\"max_concurrent\":0}", Set.of("buyer")),
        new Endpoint("GET", "/v1/buyers/me/leads" + period, null, Set.of("buyer")),
        // with a JSON content type the buyer gets 400 (a list is text/plain); only the roles matter here
        new Endpoint("PUT", "/v1/buyers/me/suppression", "", Set.of("buyer")),
        new Endpoint("GET", "/v1/pings/" + sellerPing, null, Set.of("seller"))));
    return out;
  }

  @Test
  void everyEndpointAnswersEveryRoleAsTheTableSays() {
    List<String> wrong = new ArrayList<>();
    for (Endpoint e : endpoints()) {
      check(wrong, e, "no key", null, e.roles().isEmpty() ? 200 : 401, e.roles().isEmpty() ? null : "unauthorized");
      check(wrong, e, "unknown key", "lx_never-issued", e.roles().isEmpty() ? 200 : 401, e.roles().isEmpty() ? null : "unauthorized");
      for (String role : List.of("admin", "seller", "buyer", "finance")) {
        if (e.roles().isEmpty()) {
          check(wrong, e, role, keys.get(role), 200, null);
        } else if (e.roles().contains(role)) {
          Http.Reply reply = exchange.call(e.method(), e.path(), keys.get(role), e.body());
          if (reply.status() == 401 || reply.status() == 403 || reply.status() >= 500) {
            wrong.add(e.method() + " " + e.path() + " as " + role + ": " + reply.status() + " " + reply.body());
          }
        } else {
          check(wrong, e, role, keys.get(role), 403, "forbidden");
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  private static void check(List<String> wrong, Endpoint e, String as, String key, int status, String code) {
    Http.Reply reply = exchange.call(e.method(), e.path(), key, e.body());
    String error = reply.status() >= 400 ? reply.text("error") : null;
    if (reply.status() != status || (code != null && !code.equals(error))) {
      wrong.add(e.method() + " " + e.path() + " as " + as + ": expected " + status + " " + code + ", got "
          + reply.status() + " " + reply.body());
    }
  }

  @Test
  void anotherPrincipalsStatementOrPingIsNotFound() {
    String period = "?from=2026-01-01&to=2026-01-02";
    assertEquals(404, exchange.call("GET", "/v1/reports/statements/sellers/pub" + period, keys.get("other_seller"), null)
        .status());
    assertEquals(404, exchange.call("GET", "/v1/reports/statements/buyers/acme" + period, keys.get("other_buyer"), null)
        .status());
    assertEquals(404, exchange.call("GET", "/v1/pings/" + sellerPing, keys.get("other_seller"), null).status());
  }

  @Test
  void anotherPrincipalsRecordIsNotFoundAndItsExistenceNotRevealed() {
    Http.Reply post = exchange.post(keys.get("other_seller"), sellerPing, TestExchange.FULL_LEAD);
    assertEquals(404, post.status(), post.body());
    assertEquals("not_found", post.text("error"));
    Http.Reply unknown = exchange.post(keys.get("other_seller"), "0190c6a0-0000-7000-8000-000000000000", TestExchange.FULL_LEAD);
    assertEquals(post.status(), unknown.status());
    assertEquals(post.json().get("message").asText().replace(sellerPing, "ID"),
        unknown.json().get("message").asText().replace("0190c6a0-0000-7000-8000-000000000000", "ID"),
        "a stranger's ping and a missing one read the same");

    Http.Reply feedback = exchange.call("POST", "/v1/feedback", keys.get("other_buyer"),
        "{\"lead_id\":\"" + buyerLead + "\",\"status\":\"contacted\"}");
    assertEquals(404, feedback.status(), feedback.body());
    assertEquals("not_found", feedback.text("error"));
    assertEquals(200, exchange.call("POST", "/v1/feedback", keys.get("buyer"),
        "{\"lead_id\":\"" + buyerLead + "\",\"status\":\"qualified\"}").status(), "the owner may");
  }

  @Test
  void aKeyIsRotatedWithoutDowntimeAndTheKeyListNeverShowsAKey() {
    Http.Reply created = exchange.admin("PUT", "/v1/admin/sellers/rotor", "{\"name\":\"rotor\",\"payout\":"
        + "{\"type\":\"revenue_share\",\"percent\":60}}");
    String oldKey = created.text("api_key");
    String oldId = created.text("key_id");
    Http.Reply second = exchange.admin("POST", "/v1/admin/sellers/rotor/keys", "{\"name\":\"rotor 2027\"}");
    assertEquals(201, second.status(), second.body());
    String newKey = second.text("api_key");
    assertEquals(200, exchange.ping(oldKey, TestExchange.pingBody("c")).status(), "both keys work during the switch");
    assertEquals(200, exchange.ping(newKey, TestExchange.pingBody("c")).status());

    Http.Reply listed = exchange.admin("GET", "/v1/admin/keys?principal=rotor", null);
    assertEquals(200, listed.status(), listed.body());
    assertEquals(2, listed.json().get("keys").size(), listed.body());
    assertEquals(oldId, listed.json().get("keys").get(0).get("id").asText());
    assertTrue(listed.json().get("keys").get(0).get("revoked_at").isNull());
    assertTrue(!listed.body().contains(oldKey) && !listed.body().contains(newKey), "keys are shown once only");

    assertEquals(200, exchange.admin("DELETE", "/v1/admin/keys/" + oldId, null).status());
    assertEquals(401, exchange.ping(oldKey, TestExchange.pingBody("c")).status(), "the old key stops at once");
    assertEquals(200, exchange.ping(newKey, TestExchange.pingBody("c")).status());
    assertTrue(!exchange.admin("GET", "/v1/admin/keys?principal=rotor", null).json().get("keys").get(0)
        .get("revoked_at").isNull());
    assertEquals(404, exchange.admin("DELETE", "/v1/admin/keys/" + oldId, null).status(), "revoked once");
  }

  @Test
  void aSellersKeyWorksOnlyFromItsAllowedAddresses() {
    String key = exchange.seller("fenced", "{\"type\":\"revenue_share\",\"percent\":50}");
    String doc = "{\"name\":\"fenced\",\"payout\":{\"type\":\"revenue_share\",\"percent\":50},\"allowed_ips\":%s}";
    exchange.admin("PUT", "/v1/admin/sellers/fenced", doc.formatted("[\"10.0.0.0/8\"]"));
    Http.Reply refused = exchange.ping(key, TestExchange.pingBody("c"));
    assertEquals(403, refused.status(), refused.body());
    assertEquals("forbidden", refused.text("error"));
    assertEquals(403, exchange.post(key, sellerPing, TestExchange.FULL_LEAD).status());

    exchange.admin("PUT", "/v1/admin/sellers/fenced", doc.formatted("[\"10.0.0.0/8\",\"127.0.0.2\"]"));
    RawHttp.Reply fromAllowed = RawHttp.post("127.0.0.2", port(), "/v1/ping", key, TestExchange.pingBody("c"));
    assertEquals(200, fromAllowed.status(), fromAllowed.head() + "\n" + fromAllowed.body());
    RawHttp.Reply fromOther = RawHttp.post("127.0.0.1", port(), "/v1/ping", key, TestExchange.pingBody("c"));
    assertEquals(403, fromOther.status(), fromOther.body());
    assertTrue(fromOther.body().contains("\"forbidden\""), fromOther.body());

    exchange.admin("PUT", "/v1/admin/sellers/fenced", doc.formatted("null"));
    assertEquals(200, exchange.ping(key, TestExchange.pingBody("c")).status(), "no list: any address");
    assertEquals(200, exchange.ping(keys.get("seller"), TestExchange.pingBody("c")).status(), "other sellers unaffected");
  }

  @Test
  void aBuyersKeyWorksOnlyFromItsAllowedAddresses() {
    String json = buyers.fixedPriceJson("fenced-buyer", "2.00");
    String key = exchange.admin("PUT", "/v1/admin/buyers/fenced-buyer", json).text("api_key");
    assertNotNull(key);
    exchange.buyer("fenced-buyer", json.replace("}", ",\"allowed_ips\":[\"192.0.2.0/24\",\"::1\"]}"));
    String body = "{\"lead_id\":\"" + buyerLead + "\",\"status\":\"contacted\"}";
    Http.Reply refused = exchange.call("POST", "/v1/feedback", key, body);
    assertEquals(403, refused.status(), refused.body());
    assertEquals("forbidden", refused.text("error"));

    exchange.buyer("fenced-buyer", json.replace("}", ",\"allowed_ips\":[\"127.0.0.1/32\"]}"));
    Http.Reply allowed = exchange.call("POST", "/v1/feedback", key, body);
    assertEquals(404, allowed.status(), "past the address check, the lead is simply not this buyer's: " + allowed.body());
    assertEquals(403, RawHttp.post("127.0.0.2", port(), "/v1/feedback", key, body).status());
  }

  @Test
  void aBadAllowListOrRateLimitIsRefusedNamingTheField() {
    String base = "{\"name\":\"x\",\"payout\":{\"type\":\"fixed\",\"amount\":1.00},";
    assertField("allowed_ips[1]", exchange.admin("PUT", "/v1/admin/sellers/x", base + "\"allowed_ips\":[\"10.0.0.1\",\"ten\"]}"));
    assertField("allowed_ips", exchange.admin("PUT", "/v1/admin/sellers/x", base + "\"allowed_ips\":[]}"));
    assertField("rate_limit.per_second", exchange.admin("PUT", "/v1/admin/sellers/x", base + "\"rate_limit\":{\"per_second\":0}}"));
    assertField("rate_limit.burst", exchange.admin("PUT", "/v1/admin/sellers/x", base + "\"rate_limit\":{\"per_second\":5,\"burst\":\"big\"}}"));
    assertField("rate_limit.per_minute", exchange.admin("PUT", "/v1/admin/sellers/x", base + "\"rate_limit\":{\"per_second\":5,\"per_minute\":9}}"));
    assertField("allowed_ips[0]", exchange.admin("PUT", "/v1/admin/buyers/x",
        buyers.fixedPriceJson("x", "1.00").replace("}", ",\"allowed_ips\":[\"10.0.0.0/40\"]}")));
    assertField("colour", exchange.admin("POST", "/v1/admin/sellers/pub/keys", "{\"name\":\"k\",\"colour\":\"red\"}"));
    assertEquals(404, exchange.admin("GET", "/v1/admin/sellers/x", null).status(), "nothing was stored");
  }

  private static void assertField(String field, Http.Reply reply) {
    assertEquals(400, reply.status(), reply.body());
    assertEquals("validation_failed", reply.text("error"));
    assertEquals(field, reply.text("field"), reply.body());
  }

  private static int port() {
    return Integer.parseInt(exchange.url().substring(exchange.url().lastIndexOf(':') + 1));
  }
}
