package org.leadex.exchange.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;
import org.w3c.dom.Document;

/**
 * Buyers that keep their own APIs, over real HTTP: three local buyer servers of this test's own speak
 * JSON (an API key header), form encoding (a key in the query string, answers as text read by
 * regex) and XML (a bearer token, answers read by XPath); a fourth answers HTML with its key echoed
 * back. Bids and posts go through the adapters, an unreadable answer is recorded as
 * {@code unparsable} with its first bytes, and no secret shows in any API answer or log line.
 */
class AdaptersIT {
  static final String JSON_KEY = "json-key-SECRET-7f3a";
  static final String FORM_KEY = "form-key-SECRET-91bc";
  static final String XML_TOKEN = "xml-token-SECRET-44de";
  static final String GARBAGE_KEY = "garbage-SECRET-0c1d";
  static final List<String> SECRETS = List.of(JSON_KEY, FORM_KEY, XML_TOKEN, GARBAGE_KEY);
  static final String LEAD = "{\"zip\":\"90210\",\"state\":\"CA\",\"age\":42,\"first_name\":\"Ana\","
      + "\"last_name\":\"O'Brien <Jr>\",\"email\":\"ana@example.com\",\"phone\":\"+13105550100\","
      + "\"address\":\"1 Main St & Apt 2\"}";

  static final List<Logger> LOUD = List.of(Logger.getLogger("org.leadex"), Logger.getLogger("io.vertx"),
      Logger.getLogger("io.netty"));
  static final java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
  static final StreamHandler capture = new StreamHandler(logged, new SimpleFormatter());

  record Received(String path, MultiMap headers, String query, String body) {}

  static final List<Received> received = new CopyOnWriteArrayList<>();
  static Vertx vertx;
  static HttpServer server;
  static TestExchange exchange;
  static String sellerKey;
  static String jsonBuyerKey;

  @BeforeAll
  static void start() throws Exception {
    capture.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(capture);
    LOUD.forEach(logger -> logger.setLevel(Level.ALL));
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
      received.add(new Received(request.path(), headers, request.query(), body.toString()));
      answer(request, body.toString());
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    exchange = TestExchange.start(TestDatabase.fresh("adapters"));
    sellerKey = exchange.seller("pub", "{\"type\":\"revenue_share\",\"percent\":80}");
    Http.Reply jb = exchange.admin("PUT", "/v1/admin/buyers/jb", jsonBuyer());
    assertEquals(200, jb.status(), jb.body());
    jsonBuyerKey = jb.text("api_key");
    exchange.buyer("fb", formBuyer());
    exchange.buyer("xb", xmlBuyer());
    exchange.buyer("gb", "{\"name\":\"gb\",\"post_url\":\"" + base() + "/garbage/post\",\"secrets\":{\"k\":\""
        + GARBAGE_KEY + "\"},\"bid_adapter\":{\"url\":\"" + base() + "/garbage/bid\",\"headers\":{\"X-Key\":"
        + "\"{{secret.k}}\"},\"template\":\"{\\\"zip\\\":\\\"{{lead.zip}}\\\"}\",\"response\":{\"price\":"
        + "{\"json_path\":\"$.price\"}}}}");
    exchange.campaign("ad", TestExchange.campaignJson(
        "[{\"mode\":\"auction\",\"buyers\":[\"jb\",\"fb\",\"xb\",\"gb\"]}]", ""));
    exchange.campaign("ad2", TestExchange.campaignJson("[{\"mode\":\"auction\",\"buyers\":[\"fb\",\"xb\"]}]", ""));
  }

  @AfterAll
  static void stop() {
    exchange.close();
    vertx.close();
    Logger.getLogger("").removeHandler(capture);
    LOUD.forEach(logger -> logger.setLevel(null));
  }

  static String base() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The buyers' own APIs: each checks its credential the way real ones do, and answers in its own format. */
  static void answer(HttpServerRequest request, String body) {
    var response = request.response();
    switch (request.path()) {
      case "/json/bid" -> {
        if (!JSON_KEY.equals(request.getHeader("X-Api-Key"))) {
          response.setStatusCode(401).end();
          return;
        }
        response.putHeader("content-type", "application/json").end("{\"result\":\"ok\",\"payout\":\"12.50\",\"id\":\"J-1\"}");
      }
      case "/json/post" -> response.putHeader("content-type", "application/json")
          .end(JSON_KEY.equals(request.getHeader("X-Api-Key")) ? "{\"result\":\"success\",\"lead_id\":\"JL-9\"}"
              : "{\"result\":\"error\",\"error\":\"bad key\"}");
      case "/form/bid" -> response.putHeader("content-type", "text/plain")
          .end(FORM_KEY.equals(request.getParam("key")) ? "status=ok&price=11.25&ref=F2" : "status=denied");
      case "/form/post" -> response.putHeader("content-type", "text/plain").end("REJECTED reason=bad_zip");
      case "/xml/bid" -> response.putHeader("content-type", "application/xml")
          .end(("Bearer " + XML_TOKEN).equals(request.getHeader("Authorization"))
              ? "<response><bid>10.75</bid><id>X-3</id></response>" : "<response><bid>0</bid></response>");
      case "/xml/post" -> response.putHeader("content-type", "application/xml; charset=utf-8")
          .end("<response><status>accepted</status><lead_id>XL-7</lead_id></response>");
      case "/garbage/bid" -> response.putHeader("content-type", "text/html")
          .end("<html><body>Internal error for key " + request.getHeader("X-Key") + "</body></html>");
      default -> response.setStatusCode(500).end();
    }
  }

  static String jsonBuyer() {
    return "{\"name\":\"jb\",\"timeout_ms\":800,\"secrets\":{\"api_key\":\"" + JSON_KEY + "\"},"
        + "\"bid_adapter\":{\"url\":\"" + base() + "/json/bid\",\"format\":\"json\",\"headers\":{\"X-Api-Key\":"
        + "\"{{secret.api_key}}\"},\"template\":\"{\\\"zip\\\":\\\"{{lead.zip}}\\\",\\\"state\\\":\\\"{{lead.state}}\\\","
        + "\\\"age\\\":{{lead.age}},\\\"test\\\":{{test}},\\\"ref\\\":\\\"{{ping_id}}\\\"}\","
        + "\"response\":{\"accepted\":{\"json_path\":\"$.result\",\"equals\":\"ok\"},\"price\":{\"json_path\":"
        + "\"$.payout\"},\"reference\":{\"json_path\":\"$.id\"}}},"
        + "\"post_adapter\":{\"url\":\"" + base() + "/json/post\",\"headers\":{\"X-Api-Key\":\"{{secret.api_key}}\"},"
        + "\"template\":\"{\\\"first\\\":\\\"{{lead.first_name}}\\\",\\\"last\\\":\\\"{{lead.last_name}}\\\","
        + "\\\"email\\\":\\\"{{lead.email}}\\\",\\\"price\\\":\\\"{{price}}\\\",\\\"bid\\\":\\\"{{bid_id}}\\\"}\","
        + "\"response\":{\"accepted\":{\"json_path\":\"$.result\",\"equals\":\"success\"},\"reference\":"
        + "{\"json_path\":\"$.lead_id\"},\"reason\":{\"json_path\":\"$.error\"}}}}";
  }

  static String formBuyer() {
    return "{\"name\":\"fb\",\"timeout_ms\":800,\"secrets\":{\"key\":\"" + FORM_KEY + "\"},"
        + "\"bid_adapter\":{\"url\":\"" + base() + "/form/bid?key={{secret.key}}\",\"format\":\"form\","
        + "\"template\":\"zip={{lead.zip}}&state={{lead.state}}&age={{lead.age}}\","
        + "\"response\":{\"price\":{\"regex\":\"price=([0-9.]+)\"},\"reference\":{\"regex\":\"ref=(\\\\w+)\"}}},"
        + "\"post_adapter\":{\"url\":\"" + base() + "/form/post\",\"format\":\"form\","
        + "\"template\":\"name={{lead.first_name}} {{lead.last_name}}&addr={{lead.address}}&key={{secret.key}}\","
        + "\"response\":{\"accepted\":{\"regex\":\"^(ACCEPTED|REJECTED)\",\"equals\":\"ACCEPTED\"},"
        + "\"reason\":{\"regex\":\"reason=(\\\\w+)\"}}}}";
  }

  static String xmlBuyer() {
    return "{\"name\":\"xb\",\"timeout_ms\":800,\"secrets\":{\"token\":\"" + XML_TOKEN + "\"},"
        + "\"bid_adapter\":{\"url\":\"" + base() + "/xml/bid\",\"format\":\"xml\","
        + "\"headers\":{\"Authorization\":\"Bearer {{secret.token}}\"},"
        + "\"template\":\"<ping><zip>{{lead.zip}}</zip><state>{{lead.state}}</state><tmax>{{tmax_ms}}</tmax></ping>\","
        + "\"response\":{\"price\":{\"xpath\":\"/response/bid\"},\"reference\":{\"xpath\":\"/response/id\"}}},"
        + "\"post_adapter\":{\"url\":\"" + base() + "/xml/post\",\"format\":\"xml\","
        + "\"headers\":{\"Authorization\":\"Bearer {{secret.token}}\"},"
        + "\"template\":\"<lead><name>{{lead.first_name}} {{lead.last_name}}</name><email>{{lead.email}}</email>"
        + "<address>{{lead.address}}</address><price>{{price}}</price></lead>\","
        + "\"response\":{\"accepted\":{\"xpath\":\"/response/status\",\"equals\":\"accepted\"},"
        + "\"reference\":{\"xpath\":\"/response/lead_id\"}}}}";
  }

  static Map<String, JsonNode> byBuyer(JsonNode trace) {
    Map<String, JsonNode> out = new HashMap<>();
    trace.get("buyers").forEach(b -> out.put(b.get("buyer").asText(), b));
    return out;
  }

  static Received last(String path) {
    for (int i = received.size() - 1; i >= 0; i--) {
      if (received.get(i).path().equals(path)) {
        return received.get(i);
      }
    }
    throw new AssertionError("nothing received at " + path);
  }

  static Document xml(String body) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  static String reference(String leadId) throws Exception {
    try (Connection conn = exchange.jdbc(); ResultSet rs = conn.createStatement().executeQuery(
        "select b.code, s.reference from sales s join buyers b on b.id = s.buyer_id where s.lead_id = '" + leadId + "'")) {
      assertTrue(rs.next(), "a sale of " + leadId);
      return rs.getString(1) + ":" + rs.getString(2);
    }
  }

  @Test
  void bidsAreReadThroughEachBuyersOwnApiAndGarbageIsRecordedUnparsable() throws Exception {
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("ad"));
    assertEquals(200, ping.status(), ping.body());
    assertEquals("bid", ping.text("status"), ping.body());
    JsonNode trace = exchange.trace(ping.text("ping_id"));
    Map<String, JsonNode> buyers = byBuyer(trace);
    assertEquals("jb", trace.get("winner").asText(), trace.toString());
    assertEquals("bid", buyers.get("jb").get("outcome").asText());
    assertEquals(12.50, buyers.get("jb").get("bid").asDouble());
    assertEquals(11.25, buyers.get("fb").get("bid").asDouble(), trace.toString());
    assertEquals(10.75, buyers.get("xb").get("bid").asDouble(), trace.toString());
    JsonNode garbage = buyers.get("gb");
    assertEquals("error", garbage.get("outcome").asText());
    String reason = garbage.get("reason").asText();
    assertTrue(reason.startsWith("unparsable"), reason);
    assertTrue(reason.contains("<html><body>Internal error for key ********</body></html>"), reason);

    // What each buyer received, in its own format
    JsonNode jsonBid = Json.parse(last("/json/bid").body());
    assertEquals("90210", jsonBid.get("zip").asText());
    assertEquals(42, jsonBid.get("age").asInt());
    assertFalse(jsonBid.get("test").asBoolean());
    assertEquals(ping.text("ping_id"), jsonBid.get("ref").asText());
    assertTrue(last("/json/bid").headers().get("content-type").startsWith("application/json"));
    Received formBid = last("/form/bid");
    assertEquals(Map.of("zip", "90210", "state", "CA", "age", "42"), Http.formFields(formBid.body()));
    assertEquals("key=" + FORM_KEY, formBid.query());
    assertEquals("application/x-www-form-urlencoded", formBid.headers().get("content-type"));
    Document xmlBid = xml(last("/xml/bid").body());
    assertEquals("CA", xmlBid.getElementsByTagName("state").item(0).getTextContent());
    assertTrue(Integer.parseInt(xmlBid.getElementsByTagName("tmax").item(0).getTextContent()) <= 800);
    for (Received r : received) {
      if (r.path().endsWith("/bid")) {
        assertFalse(r.body().contains("ana@example.com") || r.body().contains("Ana"), "PII in a bid request: " + r);
      }
    }
  }

  @Test
  void postsGoThroughThePostAdapterAndTheReferenceIsKept() throws Exception {
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("ad"));
    Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), LEAD);
    assertEquals(200, post.status(), post.body());
    assertEquals("sold", post.text("status"), post.body());
    assertEquals("jb:JL-9", reference(post.text("lead_id")));
    JsonNode body = Json.parse(last("/json/post").body());
    assertEquals("O'Brien <Jr>", body.get("last").asText(), "escaped as a JSON string, read back whole");
    assertEquals("ana@example.com", body.get("email").asText());
    assertEquals("12.50", body.get("price").asText());
    assertEquals("J-1", body.get("bid").asText(), "the bid's reference comes back on the post");
  }

  @Test
  void aRejectionReadByRulesFallsToTheNextOffer() throws Exception {
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("ad2"));
    assertEquals("bid", ping.text("status"), ping.body());
    Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), LEAD);
    assertEquals("sold", post.text("status"), post.body());
    assertEquals("xb:XL-7", reference(post.text("lead_id")));
    JsonNode attempts = exchange.trace(ping.text("ping_id")).get("post").get("attempts");
    assertEquals("fb", attempts.get(0).get("buyer").asText(), attempts.toString());
    assertFalse(attempts.get(0).get("accepted").asBoolean());
    assertEquals("bad_zip", attempts.get(0).get("reason").asText());
    assertTrue(attempts.get(1).get("accepted").asBoolean(), attempts.toString());
    Map<String, String> formPost = Http.formFields(last("/form/post").body());
    assertEquals("Ana O'Brien <Jr>", formPost.get("name"));
    assertEquals("1 Main St & Apt 2", formPost.get("addr"), "an & in a value cannot start a field of its own");
    assertEquals(FORM_KEY, formPost.get("key"));
    Document xmlPost = xml(last("/xml/post").body());
    assertEquals("Ana O'Brien <Jr>", xmlPost.getElementsByTagName("name").item(0).getTextContent());
    assertEquals("1 Main St & Apt 2", xmlPost.getElementsByTagName("address").item(0).getTextContent());
  }

  @Test
  void adapterTestRendersSendsAndShowsWhatTheRulesRead() {
    int before = received.size();
    Http.Reply dry = exchange.admin("POST", "/v1/admin/buyers/jb/adapter-test",
        "{\"kind\":\"bid\",\"dry_run\":true,\"lead\":{\"zip\":\"10001\",\"state\":\"NY\",\"age\":30}}");
    assertEquals(200, dry.status(), dry.body());
    assertEquals(before, received.size(), "a dry run sends nothing");
    JsonNode request = dry.json().get("request");
    assertEquals("********", request.get("headers").get("X-Api-Key").asText());
    JsonNode rendered = Json.parse(request.get("body").asText());
    assertEquals("10001", rendered.get("zip").asText());
    assertTrue(rendered.get("test").asBoolean(), "adapter-test sends test leads");

    Http.Reply live = exchange.admin("POST", "/v1/admin/buyers/xb/adapter-test",
        "{\"kind\":\"bid\",\"lead\":{\"zip\":\"10001\",\"state\":\"NY\"}}");
    assertEquals(200, live.status(), live.body());
    assertEquals("10.75", live.json().get("read").get("price").get("value").asText(), live.body());
    assertEquals("bid", live.json().get("answer").get("outcome").asText());
    assertEquals(10.75, live.json().get("answer").get("bid").asDouble());
    assertEquals(200, live.json().get("response").get("status").asInt());

    Http.Reply post = exchange.admin("POST", "/v1/admin/buyers/fb/adapter-test",
        "{\"kind\":\"post\",\"lead\":" + LEAD + "}");
    assertEquals(200, post.status(), post.body());
    assertFalse(post.json().get("answer").get("accepted").asBoolean());
    assertEquals("bad_zip", post.json().get("answer").get("reason").asText());
    assertEquals("REJECTED", post.json().get("read").get("accepted").get("value").asText());
    assertFalse(post.body().contains(FORM_KEY), post.body());

    Http.Reply noAdapter = exchange.admin("POST", "/v1/admin/buyers/gb/adapter-test", "{\"kind\":\"post\",\"lead\":{}}");
    assertEquals(400, noAdapter.status(), noAdapter.body());
  }

  @Test
  void aBidAdapterNamingPiiOrABrokenRuleIsRefused() {
    Http.Reply pii = exchange.admin("PUT", "/v1/admin/buyers/peeker", "{\"name\":\"p\",\"post_url\":\"" + base()
        + "/x\",\"bid_adapter\":{\"url\":\"" + base() + "/x\",\"template\":\"{\\\"e\\\":\\\"{{lead.email}}\\\"}\","
        + "\"response\":{\"price\":{\"json_path\":\"$.p\"}}}}");
    assertEquals(400, pii.status(), pii.body());
    assertTrue(pii.body().contains("validation_failed") && pii.body().contains("lead.email"), pii.body());
    Http.Reply broken = exchange.admin("PUT", "/v1/admin/buyers/broken", "{\"name\":\"b\",\"post_url\":\"" + base()
        + "/x\",\"bid_adapter\":{\"url\":\"" + base() + "/x\",\"template\":\"{}\","
        + "\"response\":{\"price\":{\"xpath\":\"/a[\"}}}}");
    assertEquals(400, broken.status(), broken.body());
    assertTrue(broken.body().contains("bid_adapter.response.price.xpath"), broken.body());
    assertEquals(404, exchange.admin("GET", "/v1/admin/buyers/peeker", null).status(), "nothing stored");
  }

  @Test
  void secretsAreWriteOnlyAndNeverShown() throws Exception {
    // A document read back and PUT again (secrets masked) keeps the real ones: jb still bids.
    ObjectNode doc = (ObjectNode) exchange.admin("GET", "/v1/admin/buyers/jb", null).json();
    assertEquals("********", doc.get("secrets").get("api_key").asText());
    doc.remove("id");
    Http.Reply again = exchange.admin("PUT", "/v1/admin/buyers/jb", Json.text(doc));
    assertEquals(200, again.status(), again.body());
    ObjectNode withoutSecrets = doc.deepCopy();
    withoutSecrets.remove("secrets");
    assertEquals(200, exchange.admin("PUT", "/v1/admin/buyers/jb", Json.text(withoutSecrets)).status());
    Http.Reply ping = exchange.ping(sellerKey, TestExchange.pingBody("ad"));
    JsonNode trace = exchange.trace(ping.text("ping_id"));
    assertEquals(12.50, byBuyer(trace).get("jb").get("bid").asDouble(), trace.toString());
    Http.Reply post = exchange.post(sellerKey, ping.text("ping_id"), LEAD);
    assertEquals("sold", post.text("status"), post.body());

    List<Http.Reply> shown = List.of(
        exchange.admin("GET", "/v1/admin/buyers/jb", null),
        exchange.admin("GET", "/v1/admin/buyers/fb", null),
        exchange.admin("GET", "/v1/admin/buyers/xb", null),
        exchange.admin("GET", "/v1/admin/buyers/gb", null),
        exchange.admin("GET", "/v1/admin/buyers", null),
        exchange.admin("PUT", "/v1/admin/buyers/fb", formBuyer()),
        exchange.admin("GET", "/v1/admin/audit?limit=1000", null),
        exchange.admin("GET", "/v1/admin/pings/" + ping.text("ping_id"), null),
        exchange.admin("POST", "/v1/admin/buyers/jb/adapter-test", "{\"kind\":\"post\",\"lead\":" + LEAD + "}"),
        exchange.admin("POST", "/v1/admin/buyers/gb/adapter-test", "{\"kind\":\"bid\",\"lead\":{\"zip\":\"1\"}}"),
        exchange.call("GET", "/v1/buyers/me", jsonBuyerKey, null));
    for (Http.Reply reply : shown) {
      assertEquals(200, reply.status(), reply.body());
      for (String secret : SECRETS) {
        assertFalse(reply.body().contains(secret), "a secret in an answer: " + reply.body());
      }
    }
    assertTrue(shown.get(6).body().contains("buyers/jb"), "the audit log holds the buyer's changes");
    String garbage = shown.get(9).json().get("answer").get("reason").asText();
    assertTrue(garbage.startsWith("unparsable") && garbage.contains("key ********"), garbage);
    capture.flush();
    String logs = logged.toString(StandardCharsets.UTF_8);
    assertTrue(logs.contains("sold to jb"), "the capture sees the exchange's log");
    for (String secret : SECRETS) {
      assertFalse(logs.contains(secret), "a secret in the log");
    }
  }
}
