package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.RawHttp;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * Thousands of random and mutated requests at every endpoint: bodies, query strings, headers,
 * methods and path ids. Every one must get a 4xx with the contract's JSON error (no 5xx), refused
 * requests must change nothing in any table, and the server must be healthy after.
 *
 * <p>Reproducible: the seed is printed and named in every failure; rerun with
 * {@code -Dfuzz.seed=N} (and {@code -Dfuzz.rounds=N} for a longer run).
 */
class FuzzIT {
  static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  static final int ROUNDS = Integer.getInteger("fuzz.rounds", 2_500);
  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  // The test writes documents deeper than the exchange reads (its parser stops at 1,000 levels).
  static final com.fasterxml.jackson.databind.ObjectMapper WRITER = com.fasterxml.jackson.databind.json.JsonMapper.builder(
      com.fasterxml.jackson.core.JsonFactory.builder().streamWriteConstraints(
          com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(100_000).build()).build()).build();

  static TestExchange exchange;
  static TestBuyers buyers;
  static String sellerKey;
  static String buyerKey;
  static String pingId;
  static String leadId;
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    System.out.println("FuzzIT seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
    exchange = TestExchange.start(TestDatabase.fresh("fuzz"));
    buyers = TestBuyers.start();
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    exchange.admin("PUT", "/v1/admin/sellers/pub", "{\"name\":\"pub\",\"payout\":{\"type\":\"revenue_share\","
        + "\"percent\":80},\"rate_limit\":{\"per_second\":1000000,\"burst\":1000000}}");
    buyerKey = exchange.admin("PUT", "/v1/admin/buyers/b", buyers.fixedPriceJson("b", "5.00")).text("api_key");
    buyers.buyer("bidder").bids("7.00");
    exchange.buyer("bidder", buyers.bidderJson("bidder", 1_000));
    exchange.campaign("c", campaignTemplate().toString());
    Http.Reply ping = exchange.ping(sellerKey, pingTemplate().toString());
    assertEquals(200, ping.status(), ping.body());
    pingId = ping.text("ping_id");
    Http.Reply post = exchange.post(sellerKey, pingId, fullLead().toString());
    assertEquals("sold", post.text("status"), post.body());
    leadId = post.text("lead_id");
  }

  @AfterAll
  static void stop() {
    exchange.close();
    buyers.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Valid documents the mutations start from.
  // ---------------------------------------------------------------------------------------------

  static ObjectNode parse(String json) {
    return (ObjectNode) Json.parse(json);
  }

  static ObjectNode lead() {
    return parse("{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42,\"homeowner\":true,\"income\":55000.50}");
  }

  static ObjectNode fullLead() {
    ObjectNode lead = lead();
    lead.setAll(parse("{\"first_name\":\"Ana\",\"last_name\":\"Lopez\",\"email\":\"ana@example.com\","
        + "\"phone\":\"+13105550100\",\"address\":\"1 Main St\"}"));
    return lead;
  }

  static ObjectNode pingTemplate() {
    ObjectNode ping = parse("{\"campaign\":\"c\",\"source\":\"google-cpc\",\"test\":false}");
    ping.set("lead", lead());
    return ping;
  }

  static ObjectNode campaignTemplate() {
    return parse("{\"vertical\":\"auto-insurance\",\"fields\":{\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\","
        + "\"required\":true},\"state\":{\"type\":\"string\",\"required\":true,\"max_length\":2},\"age\":{\"type\":\"integer\","
        + "\"min\":18,\"max\":120},\"homeowner\":{\"type\":\"boolean\"},\"income\":{\"type\":\"number\",\"min\":0}},"
        + "\"pii_fields\":[\"first_name\",\"last_name\",\"email\",\"phone\",\"address\"],\"ping_timeout_ms\":1000,"
        + "\"ping_ttl_s\":120,\"post_timeout_ms\":3000,\"floor\":1.00,\"auction\":\"second_price\",\"dedupe_days\":0,"
        + "\"return_days\":7,\"scoring\":[{\"field\":\"homeowner\",\"op\":\"eq\",\"value\":true,\"points\":30},"
        + "{\"field\":\"age\",\"op\":\"between\",\"min\":30,\"max\":55,\"points\":20}],"
        + "\"tiers\":[{\"mode\":\"auction\",\"buyers\":[\"bidder\"]},{\"mode\":\"weighted\",\"buyers\":[{\"id\":\"b\","
        + "\"weight\":70}]}]}");
  }

  static ObjectNode buyerTemplate() {
    return parse("{\"name\":\"Acme\",\"bid_url\":\"" + buyers.bidUrl("bidder") + "\",\"post_url\":\""
        + buyers.postUrl("bidder") + "\",\"fixed_price\":9.00,\"timeout_ms\":120,\"filters\":[{\"field\":\"state\","
        + "\"op\":\"in\",\"values\":[\"CA\",\"NV\"]},{\"field\":\"age\",\"op\":\"between\",\"min\":25,\"max\":64},"
        + "{\"field\":\"zip\",\"op\":\"prefix\",\"values\":[\"90\"]},{\"field\":\"income\",\"op\":\"gte\",\"min\":1000},"
        + "{\"field\":\"homeowner\",\"op\":\"exists\"}],\"schedule\":{\"timezone\":\"America/New_York\","
        + "\"days\":[\"mon\",\"tue\"],\"from\":\"08:00\",\"to\":\"20:00\"},\"caps\":{\"hourly\":50,\"daily\":300,"
        + "\"daily_budget\":2500.00,\"pacing\":\"even\"},\"max_concurrent\":0,\"min_score\":0,\"status\":\"active\","
        + "\"allowed_ips\":[\"127.0.0.1\",\"10.0.0.0/8\"]}");
  }

  static ObjectNode sellerTemplate() {
    return parse("{\"name\":\"Pub\",\"payout\":{\"type\":\"fixed\",\"amount\":4.00},\"rate_limit\":{\"per_second\":100,"
        + "\"burst\":200},\"allowed_ips\":[\"127.0.0.1\"]}");
  }

  /** One kind of request: where it goes, whose key, and the valid body it starts from. */
  record Target(String method, String path, String key, ObjectNode template) {}

  static List<Target> targets() {
    String admin = TestExchange.ADMIN_KEY;
    ObjectNode post = parse("{\"ping_id\":\"" + pingId + "\"}");
    post.set("lead", fullLead());
    ObjectNode direct = pingTemplate();
    direct.set("lead", fullLead());
    List<Target> out = new ArrayList<>(List.of(
        new Target("POST", "/v1/ping", sellerKey, pingTemplate()),
        new Target("POST", "/v1/post", sellerKey, post),
        new Target("POST", "/v1/leads", sellerKey, direct),
        new Target("POST", "/v1/feedback", buyerKey, parse("{\"lead_id\":\"" + leadId + "\",\"status\":\"returned\","
            + "\"reason\":\"bad_phone\"}")),
        new Target("PUT", "/v1/admin/sellers/pub", admin, sellerTemplate()),
        new Target("PUT", "/v1/admin/sellers/fuzz-new", admin, sellerTemplate()),
        new Target("PUT", "/v1/admin/buyers/bidder", admin, buyerTemplate()),
        new Target("PUT", "/v1/admin/buyers/fuzz-new", admin, buyerTemplate()),
        new Target("PUT", "/v1/admin/campaigns/c", admin, campaignTemplate()),
        new Target("PUT", "/v1/admin/campaigns/fuzz-new", admin, campaignTemplate()),
        new Target("POST", "/v1/admin/keys", admin, parse("{\"role\":\"seller\",\"name\":\"k\",\"principal\":\"pub\"}")),
        new Target("POST", "/v1/admin/sellers/pub/keys", admin, parse("{\"name\":\"k\"}")),
        new Target("POST", "/v1/admin/buyers/b/keys", admin, parse("{\"name\":\"k\"}"))));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Sending and checking.
  // ---------------------------------------------------------------------------------------------

  record Sent(int status, String body) {}

  static Sent send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(new URI(exchange.url() + pathAndQuery)).timeout(Duration.ofSeconds(30))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Sent(response.statusCode(), response.body());
    } catch (java.io.IOException e) {
      return new Sent(-1, e.toString()); // a reset: reported by the check as not a 4xx
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> json(String key) {
    Map<String, String> headers = new TreeMap<>();
    headers.put("Content-Type", "application/json");
    if (key != null) {
      headers.put("Authorization", "Bearer " + key);
    }
    return headers;
  }

  /** A refusal as the contract says: a 4xx with {"error", "message"}; or a 2xx where {@code mayBeOk}. */
  static void check(int round, String what, Sent sent, boolean mayBeOk, boolean hasBody) {
    boolean fine = sent.status() >= 400 && sent.status() < 500 || mayBeOk && sent.status() >= 200 && sent.status() < 300;
    if (fine && hasBody && sent.status() >= 400) {
      try {
        JsonNode error = Json.parse(sent.body());
        fine = error.path("error").isTextual() && error.path("message").isTextual()
            && !error.path("message").asText().isBlank();
      } catch (RuntimeException e) {
        fine = false;
      }
    }
    if (!fine) {
      String shown = what.length() > 3_000 ? what.substring(0, 3_000) + "... (" + what.length() + " chars)" : what;
      fail("seed " + SEED + ", round " + round + ": " + shown + "\n-> " + sent.status() + " " + sent.body());
    }
  }

  static Map<String, Long> state() throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Connection conn = exchange.jdbc()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = conn.createStatement().executeQuery(
          "select tablename from pg_tables where schemaname = 'public' and tablename <> 'flyway_schema_history'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet rs = conn.createStatement().executeQuery("select count(*) from \"" + table + "\"")) {
          rs.next();
          out.put(table, rs.getLong(1));
        }
      }
      try (ResultSet rs = conn.createStatement().executeQuery(
          "select (select version from catalog_version), (select count(*) from api_keys where revoked_at is not null)")) {
        rs.next();
        out.put("~catalog_version", rs.getLong(1));
        out.put("~revoked_keys", rs.getLong(2));
      }
    }
    return out;
  }

  /** Waits for batched ping records to land, then reads the state. */
  static Map<String, Long> settledState(long expectedPings) throws Exception {
    Map<String, Long> state = state();
    for (int i = 0; i < 100 && state.get("pings") < expectedPings; i++) {
      Thread.sleep(50);
      state = state();
    }
    Thread.sleep(100); // a record that should not exist would have landed by now too
    return state();
  }

  // ---------------------------------------------------------------------------------------------
  // The scenarios.
  // ---------------------------------------------------------------------------------------------

  @Test
  void mutatedBodiesThatMustBeRefusedAreRefusedWithJsonErrorsAndChangeNothing() throws Exception {
    Random random = new Random(SEED);
    List<Target> targets = targets();
    Map<String, Long> before = settledState(0);
    for (int round = 0; round < ROUNDS; round++) {
      Target target = targets.get(random.nextInt(targets.size()));
      ObjectNode body = target.template().deepCopy();
      for (int m = random.nextInt(4); m > 0; m--) {
        FuzzBodies.mutate(random, body);
      }
      String text = FuzzBodies.spoil(random, body);
      Sent sent = send(target.method(), target.path(), json(target.key()), text.getBytes(StandardCharsets.UTF_8));
      check(round, target.method() + " " + target.path() + " " + text, sent, false, true);
    }
    assertEquals(before, settledState(before.get("pings")), "seed " + SEED + ": a refused request changed state");
    healthy();
  }

  @Test
  void randomMethodsPathsQueriesAndHeadersGetJsonErrorsAndChangeNothing() throws Exception {
    Random random = new Random(SEED ^ 0x5DEECE66DL);
    Map<String, Long> before = settledState(0);
    List<String> paths = List.of("/v1/ping", "/v1/post", "/v1/leads", "/v1/feedback", "/v1/admin/sellers/pub",
        "/v1/admin/buyers/b", "/v1/admin/campaigns/c", "/v1/admin/keys", "/v1/admin/keys/%s", "/v1/admin/pings/%s",
        "/v1/admin/sellers/%s", "/v1/admin/buyers/%s/keys", "/v1/admin/latency", "/v1/reports/revenue", "/v1/%s",
        "/%s", "/v1/admin/campaigns", "/v1/admin/keys?principal=%s");
    List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "get");
    List<String> ids = List.of("", "x", "..", "%2e%2e", pingId, leadId, "0190c6a0-0000-7000-8000-000000000000",
        "key_0000000000000000", "00000000-0000-0000-0000-000000000000", "Bad_Id", "a".repeat(300), "%00", "%F0%9F%98%80",
        "%ff%fe", "pub%2fkeys", "null", "-1", "1e999");
    List<String> auths = List.of("", "Bearer", "Bearer ", "Bearer  " + sellerKey, "bearer " + TestExchange.ADMIN_KEY,
        "Basic YWRtaW46YWRtaW4=", "Bearer " + "k".repeat(5_000), "Bearer lx_\u00e9", "Bearer " + buyerKey,
        "Bearer " + sellerKey + "x", "Bearer " + TestExchange.ADMIN_KEY + " extra");
    List<String> types = List.of("application/json", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zz", "application/json; charset=latin1", "", "*/*");
    for (int round = 0; round < ROUNDS / 2; round++) {
      String method = methods.get(random.nextInt(methods.size()));
      String path = paths.get(random.nextInt(paths.size())).replace("%s", ids.get(random.nextInt(ids.size())));
      if (path.startsWith("/v1/admin/pings/" + pingId) && method.equals("GET")) {
        path = "/v1/admin/pings/" + pingId + "0"; // the real trace answers 200, which is right and tells nothing
      }
      String query = random.nextBoolean() ? "" : "?" + List.of("a=1", "a=%ZZ".replace("%ZZ", "%25ZZ"), "from=x&to=y",
          "group_by=seller,,,nope", "format=xml", "&&==", "a=" + "b".repeat(2_000)).get(random.nextInt(7));
      Map<String, String> headers = new TreeMap<>();
      String auth = auths.get(random.nextInt(auths.size()));
      if (!auth.isEmpty()) {
        headers.put("Authorization", auth);
      }
      String type = types.get(random.nextInt(types.size()));
      if (!type.isEmpty()) {
        headers.put("Content-Type", type);
      }
      if (random.nextInt(5) == 0) {
        headers.put("Content-Encoding", "gzip");
      }
      byte[] body = null;
      if (!method.equals("GET") && !method.equals("HEAD") && random.nextBoolean()) {
        body = new byte[random.nextInt(300)];
        random.nextBytes(body);
        if (random.nextBoolean()) {
          body = ("--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + text(FuzzBodies.randomValue(random, 0))
              + "\r\n--zz--\r\n").getBytes(StandardCharsets.UTF_8);
        }
      }
      Sent sent = send(method, path + query, headers, body);
      // GET of a list or of a record that exists may rightly answer 200: it changes nothing either way.
      boolean mayBeOk = method.equals("GET") || method.equals("get") || method.equals("HEAD");
      check(round, method + " " + path + query + " " + headers + " body " + (body == null ? "none" : body.length + " bytes"),
          sent, mayBeOk, !method.equals("HEAD"));
    }
    // What java.net.http will not send: broken percent-encoding, raw control bytes, bare LF.
    List<String> raw = List.of("GET /v1/admin/pings/%ZZ HTTP/1.1", "GET /v1/admin/sellers/%C0%AF HTTP/1.1",
        "GET /v1/reports/revenue?from=%ZZ HTTP/1.1", "POST /v1/ping?%%% HTTP/1.1", "GET /%00 HTTP/1.1",
        "DELETE /v1/admin/keys/%E2%82 HTTP/1.1", "GET //v1//admin///sellers HTTP/1.1", "GET /v1/admin/keys?principal=%ZZ HTTP/1.1", "GET /v1/admin/../admin/sellers HTTP/1.1");
    for (int i = 0; i < raw.size(); i++) {
      RawHttp.Reply reply = RawHttp.send(null, port(), raw.get(i) + "\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
          + TestExchange.ADMIN_KEY + "\r\nContent-Length: 0\r\n\r\n");
      check(-1 - i, raw.get(i), new Sent(reply.status(), reply.body()), true, true);
    }
    assertEquals(before, settledState(before.get("pings")), "seed " + SEED + ": a refused request changed state");
    healthy();
  }

  @Test
  void oddButPossiblyValidLeadsAreEitherRecordedOrRefusedNeverHalfStored() throws Exception {
    Random random = new Random(SEED + 1);
    Map<String, Long> before = settledState(0);
    int pings = 0;
    int leads = 0;
    for (int round = 0; round < ROUNDS / 10; round++) {
      boolean direct = random.nextInt(3) == 0;
      ObjectNode body = pingTemplate();
      body.set("lead", direct ? fullLead() : lead());
      ObjectNode lead = (ObjectNode) body.get("lead");
      List<String> names = new ArrayList<>();
      lead.fieldNames().forEachRemaining(names::add);
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        lead.set(names.get(random.nextInt(names.size())), FuzzBodies.randomValue(random, 3));
      }
      if (random.nextBoolean()) {
        body.set("source", FuzzBodies.randomValue(random, 3));
      }
      String text = text(body);
      if (random.nextInt(4) == 0) { // an escape the tree cannot hold, inside a string value
        int at = text.indexOf(":\"", random.nextInt(text.length()));
        if (at > 0) {
          text = text.substring(0, at + 2) + List.of("\\u0000", "\\ud83d", "\\ude00x").get(random.nextInt(3)) + text.substring(at + 2);
        }
      }
      Sent sent = send("POST", direct ? "/v1/leads" : "/v1/ping", json(sellerKey), text.getBytes(StandardCharsets.UTF_8));
      check(round, (direct ? "/v1/leads " : "/v1/ping ") + text, sent, true, true);
      if (sent.status() == 200) {
        pings++;
        leads += direct ? 1 : 0;
      }
    }
    Map<String, Long> after = settledState(before.get("pings") + pings);
    assertEquals(before.get("pings") + pings, after.get("pings"), "seed " + SEED + ": every ping answered 200 is recorded");
    assertEquals(before.get("leads") + leads, after.get("leads"), "seed " + SEED + ": every direct post answered 200 has its lead");
    healthy();
  }

  static void healthy() {
    assertEquals(200, exchange.call("GET", "/health", null, null).status());
    Http.Reply ping = exchange.ping(sellerKey, pingTemplate().toString());
    assertEquals(200, ping.status(), "seed " + SEED + ": " + ping.body());
  }

  static int port() {
    return Integer.parseInt(exchange.url().substring(exchange.url().lastIndexOf(':') + 1));
  }

  static String text(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
