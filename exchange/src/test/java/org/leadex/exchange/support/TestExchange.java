package org.leadex.exchange.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.leadex.exchange.Exchange;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.config.ExchangeSettings;

/**
 * A real exchange, in this JVM, on a loopback port, against a real PostgreSQL database; with the
 * calls a scenario makes as admin and seller.
 */
public final class TestExchange implements AutoCloseable {
  public static final String ADMIN_KEY = "test-admin-key-0123456789";

  private final Exchange exchange;
  private final String url;

  private TestExchange(Exchange exchange) {
    this.exchange = exchange;
    this.url = "http://127.0.0.1:" + exchange.port();
  }

  public static TestExchange start(String databaseUrl) {
    return start(databaseUrl, BuyerClientSettings.DEFAULTS);
  }

  public static TestExchange start(String databaseUrl, BuyerClientSettings buyers) {
    return start(databaseUrl, buyers, settings -> settings);
  }

  /** Starts an exchange with the scenario settings changed by {@code change}. */
  public static TestExchange start(String databaseUrl, java.util.function.UnaryOperator<ExchangeSettings> change) {
    return start(databaseUrl, BuyerClientSettings.DEFAULTS, change);
  }

  /** An exchange with the scenario settings, changed by {@code tweak} (limits under test). */
  public static TestExchange start(String databaseUrl, BuyerClientSettings buyers,
                                   java.util.function.UnaryOperator<ExchangeSettings> tweak) {
    return new TestExchange(Exchange.start(tweak.apply(settings(databaseUrl, buyers))));
  }

  /** The settings scenarios run with. */
  public static ExchangeSettings settings(String databaseUrl, BuyerClientSettings buyers) {
    ExchangeSettings d = ExchangeSettings.defaults(0, Optional.of(databaseUrl), Optional.of(ADMIN_KEY));
    return new ExchangeSettings(0, d.databaseUrl(), d.adminKey(), d.dataDir(),
        d.pingRetentionDays(), 5, d.maxPingsInFlight(), 2, 5, buyers, false,
        1_000, // a shared CI machine stalls now and then: shed no ping in scenarios (LoopLagTest covers it)
        d.sellerRateLimit(), d.leaseMarginMillis(),
        100, // webhook retries in tenths of a second, not seconds
        0); // no adaptive in-flight limit either, for the same reason (AdaptiveLimitTest covers it)
  }

  public String url() {
    return url;
  }

  /** The running exchange itself, for a test that triggers one of its jobs now (PII retention). */
  public org.leadex.exchange.Exchange instance() {
    return exchange;
  }

  public String databaseUrl() {
    return exchange.databaseUrl();
  }

  /** A plain JDBC connection to this exchange's database, for a test to check what was recorded. */
  public java.sql.Connection jdbc() throws java.sql.SQLException {
    String url = exchange.databaseUrl().replace("postgresql://", "jdbc:postgresql://").replace("exchange@", "");
    return java.sql.DriverManager.getConnection(url, "exchange", "");
  }

  public Http.Reply admin(String method, String path, String body) {
    return Http.send(method, url + path, ADMIN_KEY, body);
  }

  public Http.Reply call(String method, String path, String key, String body) {
    return Http.send(method, url + path, key, body);
  }

  /** Creates a seller and returns its API key. */
  public String seller(String id, String payoutJson) {
    Http.Reply reply = admin("PUT", "/v1/admin/sellers/" + id, "{\"name\":\"" + id + "\",\"payout\":" + payoutJson + "}");
    assertEquals(200, reply.status(), reply.body());
    return reply.text("api_key");
  }

  public void buyer(String id, String json) {
    Http.Reply reply = admin("PUT", "/v1/admin/buyers/" + id, json);
    assertEquals(200, reply.status(), reply.body());
  }

  public void campaign(String id, String json) {
    Http.Reply reply = admin("PUT", "/v1/admin/campaigns/" + id, json);
    assertEquals(200, reply.status(), reply.body());
  }

  public Http.Reply ping(String sellerKey, String body) {
    return call("POST", "/v1/ping", sellerKey, body);
  }

  public Http.Reply post(String sellerKey, String pingId, String leadJson) {
    return call("POST", "/v1/post", sellerKey, "{\"ping_id\":\"" + pingId + "\",\"lead\":" + leadJson + "}");
  }

  public JsonNode trace(String pingId) {
    Http.Reply reply = admin("GET", "/v1/admin/pings/" + pingId, null);
    assertEquals(200, reply.status(), reply.body());
    return reply.json();
  }

  /**
   * A standard campaign body with the given tiers and a generous 1 s ping deadline (tests of the
   * deadline itself set their own); {@code extra} (a JSON fragment, may be empty) overrides fields. */
  public static String campaignJson(String tiers, String extra) {
    com.fasterxml.jackson.databind.node.ObjectNode base = (com.fasterxml.jackson.databind.node.ObjectNode)
        org.leadex.exchange.json.Json.parse("{\"vertical\":\"auto-insurance\",\"fields\":{\"zip\":{\"type\":\"string\","
        + "\"pattern\":\"^[0-9]{5}$\",\"required\":true},\"state\":{\"type\":\"string\",\"required\":true},"
        + "\"age\":{\"type\":\"integer\",\"min\":18,\"max\":120}},\"pii_fields\":[\"first_name\",\"last_name\","
        + "\"email\",\"phone\",\"address\"],\"ping_timeout_ms\":1000,\"ping_ttl_s\":120,\"tiers\":" + tiers + "}");
    if (!extra.isEmpty()) {
      base.setAll((com.fasterxml.jackson.databind.node.ObjectNode) org.leadex.exchange.json.Json.parse("{" + extra + "}"));
    }
    return org.leadex.exchange.json.Json.text(base);
  }

  public static final String LEAD = "{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42}";
  public static final String FULL_LEAD = "{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42,\"first_name\":\"Ana\","
      + "\"last_name\":\"Lopez\",\"email\":\"ana@example.com\",\"phone\":\"+13105550100\",\"address\":\"1 Main St\"}";

  public static String pingBody(String campaign) {
    return "{\"campaign\":\"" + campaign + "\",\"source\":\"google-cpc\",\"lead\":" + LEAD + "}";
  }

  /** Stops the exchange gracefully (a restart test starts another on the same database). */
  @Override
  public void close() {
    exchange.close();
  }
}
