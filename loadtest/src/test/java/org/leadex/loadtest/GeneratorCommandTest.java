package org.leadex.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leadex.loadtest.support.TestServer;
import picocli.CommandLine;

/** The command line end to end: seller calls as the contract shapes them, and the report files. */
class GeneratorCommandTest {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void writesParsableJsonHgrmAndASelfContainedHtmlReport(@TempDir Path out) throws Exception {
    List<JsonObject> pings = new CopyOnWriteArrayList<>();
    List<JsonObject> posts = new CopyOnWriteArrayList<>();
    List<String> auth = new CopyOnWriteArrayList<>();
    AtomicInteger ids = new AtomicInteger();
    try (TestServer server = TestServer.start(vertx, req -> req.body().onSuccess(body -> {
      auth.add(req.getHeader("authorization"));
      JsonObject json = body.toJsonObject();
      if (req.path().equals("/v1/ping")) {
        pings.add(json);
        // Every other ping gets a bid; 1 in 10 answers is an overload error.
        int id = ids.incrementAndGet();
        if (id % 10 == 0) {
          req.response().setStatusCode(503).end("{\"error\":\"overloaded\",\"message\":\"busy\"}");
        } else if (id % 2 == 0) {
          req.response().end("{\"ping_id\":\"p" + id + "\",\"status\":\"bid\",\"price\":11.2}");
        } else {
          req.response().end("{\"ping_id\":\"p" + id + "\",\"status\":\"no_bid\"}");
        }
      } else if (req.path().equals("/v1/post")) {
        posts.add(json);
        req.response().end("{\"lead_id\":\"l\",\"status\":\"sold\",\"price\":11.2}");
      } else {
        req.response().end("{\"lead_id\":\"l\",\"status\":\"unsold\",\"reason\":\"no_offer\"}");
      }
    }))) {
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      GeneratorCommand command = new GeneratorCommand();
      command.stdout = new PrintStream(stdout, true, StandardCharsets.UTF_8);
      int exit = new CommandLine(command).execute("--url", server.url(), "--rate", "100",
          "--duration", "1", "--warmup", "0", "--post-ratio", "1", "--direct-ratio", "0.2",
          "--seller-key", "sk-test", "--campaign", "auto-insurance", "--source", "s1",
          "--states", "CA", "--age-min", "30", "--age-max", "30", "--zip-prefixes", "902",
          "--quiet", "--out", out.toString());
      assertEquals(0, exit);

      // The requests follow the contract.
      assertTrue(auth.stream().allMatch("Bearer sk-test"::equals));
      JsonObject ping = pings.get(0);
      assertEquals("auto-insurance", ping.getString("campaign"));
      assertEquals("s1", ping.getString("source"));
      JsonObject lead = ping.getJsonObject("lead");
      assertEquals("CA", lead.getString("state"));
      assertEquals(30, lead.getInteger("age"));
      assertTrue(lead.getString("zip").matches("902[0-9]{2}"));
      assertFalse(lead.containsKey("email"), "no PII in a ping");
      assertFalse(posts.isEmpty());
      JsonObject post = posts.get(0);
      assertTrue(post.getString("ping_id").startsWith("p"));
      assertTrue(post.getJsonObject("lead").getString("email").endsWith("@example.com"));
      assertTrue(post.getJsonObject("lead").getString("phone").matches("\\+1[2-9][0-9]{9}"));

      // The console report.
      String console = stdout.toString(StandardCharsets.UTF_8);
      assertTrue(console.contains("latency from the intended send time"), console);
      assertTrue(console.contains("deadline 150 ms"), console);

      // summary.json parses and holds the counts.
      JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
      JsonNode result = summary.path("result");
      assertEquals(100, result.path("arrivals").asLong());
      JsonNode pingReport = result.path("operations").path("ping");
      long pingsSent = pingReport.path("sent").asLong();
      long directSent = result.path("operations").path("direct").path("sent").asLong();
      assertEquals(100, pingsSent + directSent);
      assertTrue(directSent > 5 && directSent < 40, "about 20% direct: " + directSent);
      assertEquals(pings.size(), pingsSent);
      assertTrue(pingReport.path("outcomes").path("http_503:overloaded").asLong() > 0);
      assertEquals(pingReport.path("outcomes").path("bid").asLong(), posts.size(),
          "post ratio 1: every bid is posted");
      assertTrue(pingReport.path("latency_ms").path("p99_9").isNumber());
      assertEquals(pingsSent, result.path("deadline").path("pings").asLong());
      assertTrue(result.path("deadline").path("later_than_deadline").isNumber());
      assertTrue(result.path("deadline").path("later_than_deadline_plus_10_ms").isNumber());
      assertTrue(summary.path("settings").path("rate").isNumber());
      assertFalse(summary.toString().contains("sk-test"), "the key stays out of reports");

      // hgrm: HdrHistogram's percentile distribution.
      for (String file : List.of("ping.hgrm", "ping-service.hgrm", "post.hgrm", "direct.hgrm")) {
        List<String> lines = Files.readAllLines(out.resolve(file));
        assertTrue(lines.get(0).contains("Value") && lines.get(0).contains("Percentile"), file);
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+[0-9.]+\\s+1\\.0+\\s+[0-9]+\\s*")),
            file + " reaches the 100th percentile");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("#[Max")), file);
      }

      // report.html: plots inline, nothing fetched from elsewhere.
      String html = Files.readString(out.resolve("report.html"));
      assertTrue(html.startsWith("<!doctype html>"));
      assertEquals(5, html.split("<svg", -1).length - 1,
          "percentile, throughput, goodput and shed, p99, and 503 latency plots");
      assertTrue(html.contains(">99%<"), "percentile axis labels");
      assertFalse(html.contains("<script"), "no scripts");
      for (String external : List.of("src=", "href=\"http", "<link", "@import", "url(")) {
        assertFalse(html.contains(external), "nothing fetched from elsewhere: " + external);
      }
    }
  }

  @Test
  void spreadsRequestsOverEveryInstanceAndWritesEveryPostsAnswer(@TempDir Path out) throws Exception {
    AtomicInteger ids = new AtomicInteger();
    AtomicInteger atA = new AtomicInteger();
    AtomicInteger atB = new AtomicInteger();
    io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> exchange = req -> req.body().onSuccess(body -> {
      int id = ids.incrementAndGet();
      if (req.path().equals("/v1/ping")) {
        req.response().end("{\"ping_id\":\"p" + id + "\",\"status\":\"bid\",\"price\":1.5}");
      } else if (req.path().equals("/v1/post")) {
        String pingId = body.toJsonObject().getString("ping_id");
        if (id % 3 == 0) {
          req.response().setStatusCode(503).end("{\"error\":\"unavailable\",\"message\":\"x\"}");
        } else {
          req.response().end("{\"lead_id\":\"l-" + pingId + "\",\"status\":\"sold\",\"price\":11.20}");
        }
      } else {
        req.response().end("{\"lead_id\":\"d" + id + "\",\"status\":\"unsold\",\"reason\":\"no_offer\"}");
      }
    });
    try (TestServer a = TestServer.start(vertx, req -> {
      atA.incrementAndGet();
      exchange.handle(req);
    }); TestServer b = TestServer.start(vertx, req -> {
      atB.incrementAndGet();
      exchange.handle(req);
    })) {
      Path file = out.resolve("outcomes.csv");
      GeneratorCommand command = new GeneratorCommand();
      command.stdout = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      int exit = new CommandLine(command).execute("--url", a.url(), "--also-url", b.url(), "--rate", "100",
          "--duration", "1", "--warmup", "0", "--post-ratio", "1", "--direct-ratio", "0.2", "--quiet",
          "--outcomes", file.toString());
      assertEquals(0, exit);
      assertTrue(atA.get() > 40 && atB.get() > 40, "round robin: " + atA + " and " + atB);
      List<String> lines = Files.readAllLines(file);
      assertEquals("op,ping_id,lead_id,http_status,outcome,price,reason", lines.get(0));
      List<String> posts = lines.stream().filter(l -> l.startsWith("post,")).toList();
      List<String> directs = lines.stream().filter(l -> l.startsWith("direct,")).toList();
      assertEquals(command.lastReport.operations().get("post").sent(), posts.size());
      assertTrue(posts.stream().anyMatch(l -> l.matches("post,(p[0-9]+),l-\\1,200,sold,11\\.20,")), posts.toString());
      assertTrue(posts.stream().anyMatch(l -> l.matches("post,p[0-9]+,,503,http_503:unavailable,,")), posts.toString());
      assertTrue(directs.stream().allMatch(l -> l.matches("direct,,d[0-9]+,200,unsold,,no_offer")), directs.toString());
    }
  }

  @Test
  void refusesARemoteTargetAndAPlanOverTheSafetyBound() {
    GeneratorCommand remote = new GeneratorCommand();
    remote.stderr = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(2, new CommandLine(remote).execute("--url", "http://192.0.2.1:8080", "--quiet"));

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    GeneratorCommand big = new GeneratorCommand();
    big.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, new CommandLine(big).execute("--rate", "1000", "--duration", "60",
        "--max-requests", "10000", "--quiet"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--max-requests"));
  }

  @Test
  void everyFlagIsDocumentedInHelp() {
    CommandLine cli = LoadTestMain.commandLine();
    String help = cli.getUsageMessage();
    cli.getCommandSpec().options().forEach(option -> {
      assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
          option.longestName() + " has a description");
      assertTrue(help.contains(option.longestName()), option.longestName() + " is in --help");
    });
    for (String flag : List.of("--url", "--rate", "--duration", "--warmup", "--connections",
        "--campaign", "--seller-key", "--source", "--post-ratio", "--direct-ratio",
        "--deadline-ms", "--states", "--age-min", "--age-max", "--zip-prefixes", "--seed", "--out",
        "--max-requests", "--step-from", "--step-to", "--step-by", "--step-duration",
        "--max-p99-ms", "--max-error-rate", "--step-repeats")) {
      assertTrue(help.contains(flag), flag);
    }
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().options().forEach(o ->
        assertTrue(o.description().length > 0, sub.getCommandName() + " " + o.longestName())));
  }
}
