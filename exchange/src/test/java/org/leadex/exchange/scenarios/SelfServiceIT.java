package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Self-service: a buyer reads and changes its own settings (caps, pause) through the API; the
 * change reaches the next ping on another instance too; it cannot touch another buyer or lift an
 * admin's pause; the audit log shows who changed what. A seller sees its own ping without buyers.
 */
class SelfServiceIT {
  static TestExchange exchange;
  static TestExchange second;
  static TestBuyers buyers;
  static String sellerKey;
  static String otherSellerKey;
  static String acmeKey;

  @BeforeAll
  static void start() {
    String database = TestDatabase.fresh("self_service");
    exchange = TestExchange.start(database);
    second = TestExchange.start(database);
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    otherSellerKey = exchange.seller("rival", "{\"type\":\"revenue_share\",\"percent\":80}");
    acmeKey = exchange.admin("PUT", "/v1/admin/buyers/acme", buyers.bidderJson("acme", 900)).text("api_key");
    exchange.buyer("globex", buyers.bidderJson("globex", 900));
    buyers.buyer("acme").bids("9.00");
    buyers.buyer("globex").bids("4.00");
    exchange.campaign("c", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"acme\",\"globex\"]}]", ""));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    second.close();
    buyers.close();
  }

  private static Http.Reply patch(String key, String body) {
    return exchange.call("PATCH", "/v1/buyers/me", key, body);
  }

  private static String winnerOnSecond() {
    Http.Reply ping = second.ping(sellerKey, TestExchange.pingBody("c"));
    return second.trace(ping.text("ping_id")).get("winner").asText();
  }

  @Test
  void aBuyerPausesItselfAndTheNextPingOnEveryInstanceSkipsIt() throws Exception {
    Http.Reply me = exchange.call("GET", "/v1/buyers/me", acmeKey, null);
    assertEquals(200, me.status(), me.body());
    assertEquals("acme", me.text("id"));
    assertTrue(me.json().get("settings").has("bid_url"));
    assertTrue(me.json().get("caps_used_today").has("daily"));
    assertEquals("acme", winnerOnSecond());

    Http.Reply paused = patch(acmeKey, "{\"status\":\"paused\",\"caps\":{\"daily\":5}}");
    assertEquals(200, paused.status(), paused.body());
    assertEquals("paused", paused.json().get("settings").get("status").asText());
    long until = System.currentTimeMillis() + 5_000;
    String winner = winnerOnSecond();
    while (!winner.equals("globex") && System.currentTimeMillis() < until) { // NOTIFY, or the 1 s poll
      Thread.sleep(50);
      winner = winnerOnSecond();
    }
    assertEquals("globex", winner, "the other instance sees the pause");

    Http.Reply resumed = patch(acmeKey, "{\"status\":\"active\"}");
    assertEquals(200, resumed.status(), "a buyer may lift its own pause: " + resumed.body());

    JsonNode audit = exchange.admin("GET", "/v1/admin/audit?target=buyers/acme", null).json().get("entries");
    assertEquals("buyer.patch", audit.get(0).get("action").asText());
    assertEquals("acme", audit.get(0).get("actor").asText());
    assertEquals("active", audit.get(0).get("changes").get("status").get("to").asText());
    assertEquals("paused", audit.get(1).get("changes").get("status").get("to").asText());
    assertEquals(5, audit.get(1).get("changes").get("caps").get("to").get("daily").asInt());
    assertEquals("buyer.put", audit.get(2).get("action").asText(), "the admin's creation is audited too");
  }

  @Test
  void aBuyerCannotLiftAnAdminsPauseNorChangeWhatOnlyAnAdminMay() {
    Http.Reply wrongField = patch(acmeKey, "{\"bid_url\":\"http://127.0.0.1:1/elsewhere\"}");
    assertEquals(400, wrongField.status(), wrongField.body());
    assertEquals("bid_url", wrongField.text("field"));
    Http.Reply invalid = patch(acmeKey, "{\"caps\":{\"daily\":-1}}");
    assertEquals(400, invalid.status(), invalid.body());
    assertEquals(403, exchange.call("PATCH", "/v1/buyers/me", sellerKey, "{\"status\":\"paused\"}").status(),
        "a seller key is not a buyer's");

    Http.Reply adminPause = exchange.admin("PUT", "/v1/admin/buyers/globex",
        buyers.bidderJson("globex", 900).replace("}", ",\"status\":\"paused\"}"));
    assertEquals(200, adminPause.status(), adminPause.body());
    String globexKey = exchange.admin("POST", "/v1/admin/buyers/globex/keys", "{}").text("api_key");
    Http.Reply lift = patch(globexKey, "{\"status\":\"active\"}");
    assertEquals(403, lift.status(), lift.body());
    assertEquals("forbidden", lift.text("error"));
    assertEquals(200, patch(globexKey, "{\"caps\":{\"hourly\":3}}").status(), "other changes are its own");
    assertEquals("paused", exchange.admin("GET", "/v1/admin/buyers/globex", null).json().get("status").asText(),
        "still paused");
    exchange.admin("PUT", "/v1/admin/buyers/globex", buyers.bidderJson("globex", 900));
  }

  @Test
  void aBuyerListsItsOwnPurchasesOnly() {
    Http.Reply sold = exchange.call("POST", "/v1/leads", sellerKey,
        "{\"campaign\":\"c\",\"source\":\"s\",\"lead\":" + TestExchange.FULL_LEAD + "}");
    assertEquals("sold", sold.text("status"), sold.body());
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode mine = exchange.call("GET", "/v1/buyers/me/leads?from=" + today + "&to=" + today, acmeKey, null).json();
    boolean found = false;
    for (JsonNode lead : mine.get("leads")) {
      found |= lead.get("lead_id").asText().equals(sold.text("lead_id"));
      assertTrue(lead.has("feedback") && lead.has("return"));
    }
    assertTrue(found, "acme bought it: " + mine);
    assertEquals(400, exchange.call("GET", "/v1/buyers/me/leads?from=" + today, acmeKey, null).status());
  }

  @Test
  void aSellerSeesItsOwnPingWithoutBuyerNamesOrPrices() {
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("c"));
    Http.Reply view = exchange.call("GET", "/v1/pings/" + ping.text("ping_id"), sellerKey, null);
    assertEquals(200, view.status(), view.body());
    JsonNode v = view.json();
    assertEquals(2, v.get("buyers_asked").asInt(), view.body());
    assertEquals(2, v.get("offers").asInt());
    assertEquals("bid", v.get("status").asText());
    assertEquals(0, ping.json().get("price").decimalValue().compareTo(v.get("price").decimalValue()));
    assertFalse(view.body().contains("acme") || view.body().contains("globex"), "no buyer identities: " + view.body());
    assertFalse(view.body().contains("9.00") || view.body().contains("4.00"), "no buyer prices: " + view.body());
    assertEquals(404, exchange.call("GET", "/v1/pings/" + ping.text("ping_id"), otherSellerKey, null).status(),
        "another seller's ping does not exist for it");
  }
}
