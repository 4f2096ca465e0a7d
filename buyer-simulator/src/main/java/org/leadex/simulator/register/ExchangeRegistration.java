package org.leadex.simulator.register;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.leadex.simulator.BuyerSimulator;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.Json;

/**
 * Stateless between calls; a running registration completes on a Vert.x context. Makes an exchange
 * know the simulator's buyers through the admin API, so a demo or a load test needs no hand-written
 * setup: {@code PUT /v1/admin/buyers/{id}} for every buyer, then {@code PUT /v1/admin/campaigns/{id}}
 * with one auction tier of all of them, then, if asked, {@code PUT /v1/admin/sellers/{id}} and the
 * seller's API key (a new one from {@code POST /v1/admin/sellers/{id}/keys} when the seller already
 * existed). Requests go one at a time, in that order; the first failure stops it.
 */
public final class ExchangeRegistration {
  private ExchangeRegistration() {}

  /**
   * What to register where.
   *
   * @param exchangeUrl the exchange's base URL, e.g. {@code http://127.0.0.1:8080}
   * @param adminKey an API key of role admin
   * @param campaignId the campaign to create or replace
   * @param sellerId a seller to create as well, or null for none
   * @param saleMode the campaign's {@code sale.mode} ({@code exclusive}, {@code shared} or {@code best})
   */
  public record Plan(String exchangeUrl, String adminKey, String campaignId, String sellerId, String saleMode) {
    public Plan {
      if (exchangeUrl == null || !(exchangeUrl.startsWith("http://") || exchangeUrl.startsWith("https://"))) {
        throw new IllegalArgumentException("the exchange URL must start with http:// or https://, got " + exchangeUrl);
      }
      exchangeUrl = exchangeUrl.endsWith("/") ? exchangeUrl.substring(0, exchangeUrl.length() - 1) : exchangeUrl;
      if (adminKey == null || adminKey.isBlank()) {
        throw new IllegalArgumentException("registering needs an admin key (--admin-key or EXCHANGE_ADMIN_KEY)");
      }
      requireId("campaign", campaignId);
      if (sellerId != null) {
        requireId("seller", sellerId);
      }
      saleMode = saleMode == null ? "exclusive" : saleMode;
      if (!List.of("exclusive", "shared", "best").contains(saleMode)) {
        throw new IllegalArgumentException("sale mode must be exclusive, shared or best, got " + saleMode);
      }
    }

    private static void requireId(String what, String id) {
      if (id == null || !BuyerConfig.ID.matcher(id).matches()) {
        throw new IllegalArgumentException(what + " id '" + id + "' must match " + BuyerConfig.ID.pattern());
      }
    }
  }

  /** What was registered; {@code sellerApiKey} is null when no seller was asked for. */
  public record Result(List<String> buyerIds, String campaignId, String sellerId, String sellerApiKey) {}

  public static Future<Result> register(Vertx vertx, BuyerSimulator simulator, Plan plan) {
    WebClient client = WebClient.create(vertx);
    String admin = plan.exchangeUrl() + "/v1/admin/";
    Future<Void> chain = Future.succeededFuture();
    for (BuyerConfig b : simulator.config().buyers()) {
      ObjectNode body = buyerBody(b, simulator.bidUrl(b.id()), simulator.postUrl(b.id()));
      chain = chain.compose(v -> send(client, HttpMethod.PUT, admin + "buyers/" + b.id(), plan.adminKey(), body).mapEmpty());
    }
    List<String> ids = simulator.buyerIds();
    Future<Result> result = chain
        .compose(v -> send(client, HttpMethod.PUT, admin + "campaigns/" + plan.campaignId(), plan.adminKey(), campaignBody(ids, plan.saleMode())))
        .compose(v -> plan.sellerId() == null ? Future.succeededFuture((String) null) : seller(client, admin, plan))
        .map(key -> new Result(ids, plan.campaignId(), plan.sellerId(), key))
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "registering with the exchange at " + plan.exchangeUrl() + " failed: " + e.getMessage(), e)));
    return result.onComplete(r -> client.close());
  }

  private static Future<String> seller(WebClient client, String admin, Plan plan) {
    String url = admin + "sellers/" + plan.sellerId();
    return send(client, HttpMethod.PUT, url, plan.adminKey(), sellerBody(plan.sellerId())).compose(answer -> {
      String key = answer.path("api_key").asText(null);
      if (key != null) {
        return Future.succeededFuture(key);
      }
      // The seller existed already, so no key was issued: ask for another one.
      return send(client, HttpMethod.POST, url + "/keys", plan.adminKey(), Json.MAPPER.createObjectNode()).compose(k -> {
        String issued = k.path("api_key").asText(null);
        return issued != null
            ? Future.succeededFuture(issued)
            : Future.failedFuture(new IllegalStateException("POST " + url + "/keys answered without an api_key"));
      });
    });
  }

  /** The buyer as the admin API takes it: a bidding buyer with the simulator's URLs. */
  public static ObjectNode buyerBody(BuyerConfig buyer, String bidUrl, String postUrl) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("name", buyer.name());
    body.put("bid_url", bidUrl);
    body.put("post_url", postUrl);
    body.put("timeout_ms", buyer.profile().timeoutMs());
    body.put("status", "active");
    return body;
  }

  /** An auto-insurance campaign with one auction tier of all the given buyers; floor $1.00, 150 ms pings. */
  public static ObjectNode campaignBody(List<String> buyerIds, String saleMode) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("vertical", "auto-insurance");
    ObjectNode fields = body.putObject("fields");
    fields.putObject("zip").put("type", "string").put("pattern", "^[0-9]{5}$").put("required", true);
    fields.putObject("state").put("type", "string").put("required", true);
    fields.putObject("age").put("type", "integer").put("min", 18).put("max", 120);
    ArrayNode pii = body.putArray("pii_fields");
    List.of("first_name", "last_name", "email", "phone", "address").forEach(pii::add);
    body.put("ping_timeout_ms", 150);
    body.put("ping_ttl_s", 120);
    body.put("floor", new BigDecimal("1.00"));
    body.put("auction", "first_price");
    if (!Objects.equals(saleMode, "exclusive")) {
      body.putObject("sale").put("mode", saleMode).put("max_buyers", 3);
    }
    ObjectNode tier = body.putArray("tiers").addObject();
    tier.put("mode", "auction");
    ArrayNode buyers = tier.putArray("buyers");
    buyerIds.forEach(buyers::add);
    return body;
  }

  /** A seller paid 80% of what buyers pay. */
  public static ObjectNode sellerBody(String sellerId) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("name", "Simulated seller " + sellerId);
    body.putObject("payout").put("type", "revenue_share").put("percent", 80);
    return body;
  }

  private static Future<JsonNode> send(WebClient client, HttpMethod method, String url, String adminKey, ObjectNode body) {
    return client.requestAbs(method, url)
        .putHeader("Authorization", "Bearer " + adminKey)
        .putHeader("Content-Type", "application/json")
        .timeout(10_000)
        .sendBuffer(Buffer.buffer(Json.write(body)))
        .compose(r -> check(method, url, r));
  }

  private static Future<JsonNode> check(HttpMethod method, String url, HttpResponse<Buffer> r) {
    String text = r.bodyAsString() == null ? "" : r.bodyAsString();
    if (r.statusCode() / 100 != 2) {
      String shown = text.length() > 300 ? text.substring(0, 300) + "…" : text;
      return Future.failedFuture(new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + shown));
    }
    try {
      return Future.succeededFuture(text.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text));
    } catch (IOException e) {
      return Future.succeededFuture(Json.MAPPER.createObjectNode());
    }
  }
}
