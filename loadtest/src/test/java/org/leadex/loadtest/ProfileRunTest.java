package org.leadex.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leadex.loadtest.measure.IntervalSample;
import org.leadex.loadtest.measure.SecondSample;
import org.leadex.loadtest.report.OperationReport;
import org.leadex.loadtest.report.PhaseFigures;
import org.leadex.loadtest.report.PhaseReport;
import org.leadex.loadtest.report.ProfileReport;
import org.leadex.loadtest.support.Attempts;
import org.leadex.loadtest.support.TestServer;
import picocli.CommandLine;

/**
 * Surge and buyer-storm runs end to end, against real local servers that answer as cued: what
 * counts as goodput, what as shed, and what as neither, phase by phase and second by second.
 */
class ProfileRunTest {
  private static final String NO_BID = "{\"ping_id\":\"p\",\"status\":\"no_bid\"}";
  private static final String BID = "{\"ping_id\":\"p\",\"status\":\"bid\",\"price\":\"10.00\"}";
  private static final String OVERLOADED = "{\"error\":\"overloaded\",\"message\":\"busy\"}";
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
  void aSurgeCountsFast503sAsShedAndLateAnswersAsNotGoodput(@TempDir Path out) {
    Attempts.upTo3(() -> surgeScenario(out));
  }

  private void surgeScenario(Path out) {
    // Of every three pings the server answers one at once, refuses one with 503 overloaded and
    // holds one for 2.5 s: past the 2 s deadline + 10 ms by construction, as latency runs from
    // the intended send time. Everything below holds whatever the machine's load (the 30 s timeout
    // leaves no answer behind), except that the
    // prompt answers all count as goodput, which needs them inside 2 s: a starved generator can
    // miss that once, so the scenario may run again.
    AtomicInteger pings = new AtomicInteger();
    AtomicLong prompt = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong held = new AtomicLong();
    try (TestServer server = TestServer.start(vertx, req -> req.body().onSuccess(body -> {
      switch (pings.incrementAndGet() % 3) {
        case 0 -> {
          refused.incrementAndGet();
          req.response().setStatusCode(503).putHeader("retry-after", "1").end(OVERLOADED);
        }
        case 1 -> {
          held.incrementAndGet();
          vertx.setTimer(2500, t -> req.response().end(NO_BID));
        }
        default -> {
          prompt.incrementAndGet();
          req.response().end(BID);
        }
      }
    }))) {
      GeneratorCommand command = command();
      int exit = new CommandLine(command).execute("--url", server.url(), "--rate", "40",
          "--duration", "3", "--warmup", "0", "--surge-at", "1", "--surge-for", "1",
          "--surge-multiple", "2", "--deadline-ms", "2000", "--timeout-ms", "30000", "--post-ratio",
          "0", "--quiet",
          "--out", out.toString());
      assertEquals(0, exit);

      ProfileReport report = command.lastProfileReport;
      assertEquals(List.of("before", "surge", "after"),
          report.phases().stream().map(PhaseFigures::name).toList());
      assertEquals(List.of(40L, 80L, 40L),
          report.phases().stream().map(PhaseFigures::pings).toList(),
          "the open-loop schedule: rate x length per phase, the surge at twice the rate");
      assertEquals(160, pings.get());

      PhaseReport whole = report.whole();
      OperationReport all = whole.operations().get("ping");
      assertEquals(160, all.sent());
      assertEquals(refused.get(), all.shed(), "every 503 overloaded is shed: " + all);
      assertEquals(refused.get(), all.outcomes().get("http_503:overloaded"));
      assertEquals(held.get(), all.outcomes().get("no_bid"), "" + all);
      assertEquals(prompt.get(), all.outcomes().get("bid"), "" + all);
      assertEquals(prompt.get(), Math.round(report.phases().stream()
          .mapToDouble(p -> p.bidsPerSecond() * p.durationSeconds()).sum()), "bids by phase add up");
      long neither = report.phases().stream().mapToLong(PhaseFigures::neither).sum();
      assertTrue(neither >= held.get(), "a late answer is neither goodput nor shed");
      assertEquals(all.goodput(), report.phases().stream().mapToLong(PhaseFigures::goodput).sum());

      // The per-second series across the phases adds up to the same, second by second.
      long goodput = 0;
      long shed = 0;
      long ended = 0;
      for (SecondSample s : whole.perSecond()) {
        IntervalSample p = s.operations().get("ping");
        goodput += p.goodput();
        shed += p.shed();
        ended += p.completed();
        if (p.shed() > 0) {
          assertTrue(p.shedMaxMs() > 0 && p.shedMaxMs() >= p.shedP99Ms());
        }
        assertEquals(-1, s.buyerConnectionsOpened(), "no simulator was watched");
      }
      assertEquals(all.goodput(), goodput);
      assertEquals(refused.get(), shed);
      assertEquals(160, ended);
      assertTrue(whole.perSecond().get(whole.perSecond().size() - 1).atSeconds() >= 3,
          "one series across all three phases");

      JsonNode summary = readJson(out.resolve("summary.json"));
      assertEquals("surge", summary.path("profile").path("kind").asText());
      assertEquals(3, summary.path("phases").size());
      assertEquals(80, summary.path("phases").get(1).path("pings").asLong());
      assertTrue(summary.path("recovery").has("p99_recovery_seconds"));
      assertEquals(160, summary.path("result").path("operations").path("ping").path("sent")
          .asLong(), "result is the whole run, as for a plain run");
      assertTrue(summary.path("result").path("per_second").get(0).path("operations").path("ping")
          .has("goodput"));
      assertTrue(Files.exists(out.resolve("surge-ping.hgrm")));
      String html = readString(out.resolve("report.html"));
      assertTrue(html.contains("Pings per second: goodput and shed"));
      assertTrue(html.contains("503 overloaded: p99 and max per second"));
      assertTrue(html.contains("<h2>By phase (pings)</h2>"));
      assertFalse(html.contains("<script"));

      // Last, as it depends on the machine: with no stall, every prompt answer was in time.
      assertEquals(prompt.get(), all.goodput(), "prompt answers are goodput: " + all);
    }
  }

  @Test
  void aBuyerStormIsAskedForWhenItsPhaseBeginsAndConnectionsAreFollowed(@TempDir Path out)
      throws Exception {
    // One server plays the target and the buyer simulator: it says ready only from its fourth
    // /health, counts connections as a simulator would, and records the storm request.
    AtomicInteger healthAsked = new AtomicInteger();
    AtomicBoolean pingedBeforeReady = new AtomicBoolean();
    AtomicInteger pings = new AtomicInteger();
    AtomicLong connections = new AtomicLong();
    List<String> stormBodies = new CopyOnWriteArrayList<>();
    try (TestServer server = TestServer.start(vertx, req -> req.body().onSuccess(body -> {
      switch (req.path()) {
        case "/health" -> req.response().setStatusCode(healthAsked.incrementAndGet() > 3 ? 200
            : 503).end();
        case "/control/storm" -> {
          stormBodies.add(body.toString());
          req.response().end("{\"active\":true,\"buyers\":[\"sim-001\"]}");
        }
        case "/stats/connections" -> req.response().end("{\"opened\":"
            + connections.addAndGet(7) + "}");
        default -> {
          pingedBeforeReady.compareAndSet(false, healthAsked.get() <= 3);
          pings.incrementAndGet();
          req.response().end(NO_BID);
        }
      }
    }))) {
      GeneratorCommand command = command();
      int exit = new CommandLine(command).execute("--url", server.url(), "--rate", "50",
          "--duration", "3", "--warmup", "0", "--storm-at", "1", "--storm-for", "1",
          "--storm-share", "0.5", "--storm-url", server.url() + "/control/storm",
          "--buyer-connections-url", server.url() + "/stats/connections", "--wait-ready",
          "--self-warmup", "1", "--post-ratio", "0", "--quiet", "--out", out.toString());
      assertEquals(0, exit);

      assertFalse(pingedBeforeReady.get(), "no ping before /health said ready");
      assertEquals(List.of("{\"share\":0.5,\"seconds\":1.0}"), stormBodies, "asked once");
      ProfileReport report = command.lastProfileReport;
      assertTrue(report.controlAtSeconds() >= 1.0,
          "asked as the storm phase began, not before: " + report.controlAtSeconds());
      assertEquals("storm", report.kind());
      assertEquals(List.of(50L, 50L, 50L),
          report.phases().stream().map(PhaseFigures::pings).toList(), "the rate stays");
      assertNotNull(report.control());
      assertTrue(report.control().contains("sim-001"), report.control());
      long counted = report.whole().perSecond().stream()
          .mapToLong(SecondSample::buyerConnectionsOpened).filter(n -> n >= 0).sum();
      assertTrue(counted > 0 && counted % 7 == 0, "opened connections per second: " + counted);
      assertTrue(report.phases().get(1).buyerConnectionsPerSecond() >= 0);

      JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
      assertTrue(summary.path("settings").path("waited_for_ready_ms").isNumber());
      assertEquals(1.0, summary.path("settings").path("self_warmup_s").asDouble(), "it warmed itself first");
      assertFalse(summary.path("settings").path("ready_at_first_ask").asBoolean(),
          "the first three asks were refused");
      assertTrue(summary.path("control").asText().contains("active"));
      assertTrue(Files.readString(out.resolve("report.html"))
          .contains("TCP connections opened to the buyers per second"));
    }
  }

  @Test
  void conflictingOrIncompleteProfilesAreRefused() {
    for (String[] args : List.of(
        new String[] {"--surge-at", "5"},
        new String[] {"--surge-at", "5", "--surge-for", "5", "--storm-at", "5", "--storm-for", "5",
            "--storm-url", "http://127.0.0.1:1/control/storm"},
        new String[] {"--storm-at", "5", "--storm-for", "5"},
        new String[] {"--surge-at", "20", "--surge-for", "20", "--duration", "30"},
        new String[] {"--surge-at", "5", "--surge-for", "5", "--step-from", "1", "--step-to", "2",
            "--step-by", "1"})) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      GeneratorCommand command = new GeneratorCommand();
      command.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
      assertEquals(2, new CommandLine(command).execute(args), String.join(" ", args));
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static GeneratorCommand command() {
    GeneratorCommand command = new GeneratorCommand();
    command.stdout = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return command;
  }
}
