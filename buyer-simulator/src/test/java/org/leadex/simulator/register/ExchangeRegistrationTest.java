package org.leadex.simulator.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.leadex.simulator.BuyerSimulator;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.Json;
import org.leadex.simulator.config.Presets;
import org.leadex.simulator.config.SimulatorConfig;

/** Registration against a tiny fake exchange that records what it is sent. */
class ExchangeRegistrationTest {
  record Recorded(String method, String path, String authorization, JsonNode body) {}

  Vertx vertx;
  HttpServer exchange;
  BuyerSimulator sim;
  final List<Recorded> requests = new CopyOnWriteArrayList<>();
  /** Whether the fake seller PUT answers with a key (a first creation) or without (it existed). */
  volatile boolean sellerIsNew = true;
  volatile int campaignStatus = 200;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    exchange = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      JsonNode body;
      try {
        body = b.length() == 0 ? null : Json.MAPPER.readTree(b.getBytes());
      } catch (java.io.IOException e) {
        body = null;
      }
      requests.add(new Recorded(req.method().name(), req.path(), req.getHeader("Authorization"), body));
      String answer = "{}";
      int status = 200;
      if (req.path().startsWith("/v1/admin/campaigns/")) {
        status = campaignStatus;
        answer = status == 200 ? "{}" : "{\"error\":\"validation_failed\",\"message\":\"floor is wrong\"}";
      } else if (req.path().equals("/v1/admin/sellers/demo-seller") && sellerIsNew) {
        answer = "{\"id\":\"demo-seller\",\"api_key\":\"sk-first\",\"key_id\":\"k1\"}";
      } else if (req.path().equals("/v1/admin/sellers/demo-seller/keys")) {
        answer = "{\"id\":\"k2\",\"api_key\":\"sk-another\"}";
      } else if (req.path().startsWith("/v1/admin/buyers/")) {
        answer = "{\"id\":\"" + req.path().substring("/v1/admin/buyers/".length()) + "\",\"api_key\":\"bk\"}";
      }
      req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(answer);
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    sim = BuyerSimulator.start(vertx, SimulatorConfig.of(1, BuyerConfig.group("reg", 3, Presets.realistic().withTimeoutMs(110))))
        .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private ExchangeRegistration.Result register(String sellerId, String saleMode) throws Exception {
    var plan = new ExchangeRegistration.Plan("http://127.0.0.1:" + exchange.actualPort() + "/", "admin-secret", "sim-auto", sellerId, saleMode);
    return ExchangeRegistration.register(vertx, sim, plan).await(10, TimeUnit.SECONDS);
  }

  @Test
  void every_buyer_then_a_campaign_using_them_then_a_seller_whose_key_is_returned() throws Exception {
    ExchangeRegistration.Result result = register("demo-seller", null);
    assertEquals("sk-first", result.sellerApiKey());
    assertEquals(List.of("reg-001", "reg-002", "reg-003"), result.buyerIds());
    assertEquals(5, requests.size());
    requests.forEach(r -> assertEquals("Bearer admin-secret", r.authorization(), r.path()));
    for (int i = 0; i < 3; i++) {
      Recorded r = requests.get(i);
      String id = "reg-00" + (i + 1);
      assertEquals("PUT", r.method());
      assertEquals("/v1/admin/buyers/" + id, r.path());
      assertEquals("Simulated buyer " + id, r.body().get("name").asText());
      assertEquals(sim.bidUrl(id), r.body().get("bid_url").asText());
      assertEquals(sim.postUrl(id), r.body().get("post_url").asText());
      assertTrue(r.body().get("bid_url").asText().matches("http://127\\.0\\.0\\.1:[0-9]+/buyers/" + id + "/bid"));
      assertEquals(110, r.body().get("timeout_ms").asInt());
      assertEquals("active", r.body().get("status").asText());
    }
    Recorded campaign = requests.get(3);
    assertEquals("PUT", campaign.method());
    assertEquals("/v1/admin/campaigns/sim-auto", campaign.path());
    JsonNode c = campaign.body();
    assertEquals("auto-insurance", c.get("vertical").asText());
    assertEquals("^[0-9]{5}$", c.at("/fields/zip/pattern").asText());
    assertEquals(150, c.get("ping_timeout_ms").asInt());
    assertEquals(120, c.get("ping_ttl_s").asInt());
    assertEquals(0, c.get("floor").decimalValue().compareTo(new java.math.BigDecimal("1.00")));
    assertEquals("first_price", c.get("auction").asText());
    assertTrue(c.path("sale").isMissingNode(), "exclusive is the default: no sale object");
    assertEquals("auction", c.at("/tiers/0/mode").asText());
    assertEquals(List.of("reg-001", "reg-002", "reg-003"),
        Json.MAPPER.convertValue(c.at("/tiers/0/buyers"), List.class));
    Recorded seller = requests.get(4);
    assertEquals("/v1/admin/sellers/demo-seller", seller.path());
    assertEquals("revenue_share", seller.body().at("/payout/type").asText());
    assertEquals(80, seller.body().at("/payout/percent").asInt());
  }

  @Test
  void an_existing_seller_gets_a_new_key() throws Exception {
    sellerIsNew = false;
    assertEquals("sk-another", register("demo-seller", "best").sellerApiKey());
    Recorded keys = requests.get(requests.size() - 1);
    assertEquals("POST", keys.method());
    assertEquals("/v1/admin/sellers/demo-seller/keys", keys.path());
    assertEquals("best", requests.get(3).body().at("/sale/mode").asText());
  }

  @Test
  void without_a_seller_no_seller_is_created() throws Exception {
    ExchangeRegistration.Result result = register(null, "exclusive");
    assertEquals(null, result.sellerApiKey());
    assertEquals(4, requests.size());
  }

  @Test
  void a_refusal_stops_registration_with_the_exchanges_words() {
    campaignStatus = 400;
    Exception e = assertThrows(Exception.class, () -> register("demo-seller", null));
    assertTrue(e.getMessage().contains("answered 400") && e.getMessage().contains("floor is wrong"), e.getMessage());
    assertEquals(4, requests.size(), "nothing after the refused campaign");
  }

  @Test
  void a_plan_needs_a_url_a_key_and_valid_ids() {
    assertThrows(IllegalArgumentException.class, () -> new ExchangeRegistration.Plan("ftp://x", "k", "c", null, null));
    assertThrows(IllegalArgumentException.class, () -> new ExchangeRegistration.Plan("http://x", " ", "c", null, null));
    assertThrows(IllegalArgumentException.class, () -> new ExchangeRegistration.Plan("http://x", "k", "Bad Id", null, null));
    assertThrows(IllegalArgumentException.class, () -> new ExchangeRegistration.Plan("http://x", "k", "c", null, "sometimes"));
  }
}
