package org.leadex.exchange.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leadex.exchange.ExchangeMain;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.support.Http;
import picocli.CommandLine;

/**
 * {@code exchange.jar certify --buyer FILE}: the conformance kit through a buyer's adapters, over real
 * HTTP against local buyer APIs of this test's own. A JSON-bidding, form-posting buyer that follows
 * the cases is certified; a buyer whose answers its rules cannot read fails, case by case, with
 * {@code unparsable} in the report; its secret never shows.
 */
class AdapterCertifyIT {
  static final String KEY = "certify-SECRET-5e6f";
  static Vertx vertx;
  static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body ->
        answer(request, body.toString()))).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  /** A good buyer: declines score 0, declines a lead without an e-mail, answers a repeated lead as the first time. */
  static void answer(HttpServerRequest request, String body) {
    var response = request.response();
    switch (request.path()) {
      case "/good/bid" -> {
        if (!KEY.equals(request.getHeader("X-Key"))) {
          response.setStatusCode(401).end();
          return;
        }
        JsonNode ping = Json.parse(body);
        response.putHeader("content-type", "application/json").end(ping.get("score").asInt() == 0
            ? "{\"status\":\"declined\"}"
            : "{\"status\":\"ok\",\"price\":\"7.50\",\"shared\":\"3.00\",\"id\":\"B-" + ping.get("ping").asText() + "\"}");
      }
      case "/good/post" -> {
        Map<String, String> form = Http.formFields(body);
        response.putHeader("content-type", "text/plain").end(form.getOrDefault("email", "").isBlank()
            ? "REJECTED reason=missing_email" : "ACCEPTED ref=R-" + form.get("lead"));
      }
      case "/broken/bid" -> response.putHeader("content-type", "text/html").end("<html>Oops, key " + KEY + "</html>");
      case "/broken/post" -> response.putHeader("content-type", "application/json").end("{\"ok\": tru");
      default -> response.setStatusCode(404).end();
    }
  }

  static String buyer(String path) {
    String base = "http://127.0.0.1:" + server.actualPort() + "/" + path;
    return "{\"name\":\"" + path + "\",\"secrets\":{\"key\":\"" + KEY + "\"},"
        + "\"bid_adapter\":{\"url\":\"" + base + "/bid\",\"headers\":{\"X-Key\":\"{{secret.key}}\"},"
        + "\"template\":\"{\\\"ping\\\":\\\"{{ping_id}}\\\",\\\"zip\\\":\\\"{{lead.zip}}\\\",\\\"score\\\":{{lead.score}}}\","
        + "\"response\":{\"accepted\":{\"json_path\":\"$.status\",\"equals\":\"ok\"},\"price\":{\"json_path\":\"$.price\"},"
        + "\"shared_price\":{\"json_path\":\"$.shared\"},\"reference\":{\"json_path\":\"$.id\"}}},"
        + "\"post_adapter\":{\"url\":\"" + base + "/post\",\"format\":\"form\","
        + "\"template\":\"lead={{lead_id}}&email={{lead.email}}&bid={{bid_id}}&key={{secret.key}}\","
        + "\"response\":{\"accepted\":{\"regex\":\"^(ACCEPTED|REJECTED)\",\"equals\":\"ACCEPTED\"},"
        + "\"reference\":{\"regex\":\"ref=(\\\\S+)\"},\"reason\":{\"regex\":\"reason=(\\\\w+)\"}}}}";
  }

  record Run(int exit, String out, JsonNode report) {}

  static Run certify(Path dir, String path) throws Exception {
    Path file = dir.resolve(path + ".json");
    Files.writeString(file, buyer(path));
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new ExchangeMain());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int exit = cli.execute("certify", "--buyer", file.toString(), "--repeat", "1", "--late-wait-ms", "200", "--json");
    String text = out.toString();
    return new Run(exit, text, text.trim().startsWith("{") ? Json.parse(text) : null);
  }

  static Map<String, JsonNode> byCase(JsonNode report) {
    Map<String, JsonNode> cases = new HashMap<>();
    report.get("cases").forEach(c -> cases.put(c.get("id").asText(), c));
    return cases;
  }

  @Test
  void aBuyerWhoseOwnApiFollowsTheCasesIsCertified(@TempDir Path dir) throws Exception {
    Run run = certify(dir, "good");
    assertEquals(0, run.exit(), run.out());
    Map<String, JsonNode> cases = byCase(run.report());
    for (String id : new String[] {"bid.normal", "bid.no_bid", "bid.shared", "bid.size_and_type", "post.accept",
        "post.repeat", "post.reject"}) {
      assertEquals("PASS", cases.get(id).get("verdict").asText(), id + ": " + cases.get(id));
    }
    assertTrue(cases.get("post.reject").get("finding").asText().contains("missing_email"), cases.get("post.reject").toString());
    assertFalse(run.out().contains(KEY), "the secret is masked in the report");
  }

  @Test
  void aBuyerWhoseAnswersItsRulesCannotReadFailsCaseByCase(@TempDir Path dir) throws Exception {
    Run run = certify(dir, "broken");
    assertEquals(1, run.exit(), run.out());
    Map<String, JsonNode> cases = byCase(run.report());
    assertEquals("FAIL", cases.get("bid.normal").get("verdict").asText(), cases.get("bid.normal").toString());
    assertTrue(cases.get("bid.normal").get("finding").asText().contains("unparsable"), cases.get("bid.normal").toString());
    assertEquals("FAIL", cases.get("bid.size_and_type").get("verdict").asText());
    assertEquals("FAIL", cases.get("post.accept").get("verdict").asText(), cases.get("post.accept").toString());
    assertTrue(cases.get("post.accept").get("finding").asText().contains("unparsable"), cases.get("post.accept").toString());
    assertFalse(run.out().contains(KEY), "the secret echoed by the buyer is masked in the report");
  }

  @Test
  void aBuyerFileThatIsNotAValidBuyerIsABadFlag(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"name\":\"x\",\"bid_adapter\":{\"url\":\"ftp://x\"}}");
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new ExchangeMain());
    cli.setErr(new PrintWriter(out));
    assertEquals(2, cli.execute("certify", "--buyer", file.toString()), out.toString());
    assertTrue(out.toString().contains("bid_adapter"), out.toString());
  }
}
