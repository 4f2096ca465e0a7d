package org.leadex.loadtest.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leadex.loadtest.engine.OpenLoopEngine;
import org.leadex.loadtest.support.Attempts;
import org.leadex.loadtest.support.Generate;
import org.leadex.loadtest.support.TestServer;

/** Step mode finds the edge of a server with a known capacity. */
class StepRunnerTest {
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
  void findsTheHighestSustainableRateOfAServerWithACapacityOf200PerSecond(@TempDir Path out) {
    Attempts.upTo3(() -> scenario(out));
  }

  private void scenario(Path out) {
    // One worker, 5 ms per request: up to 200/s it keeps up; above, its queue grows without end.
    AtomicLong nextFree = new AtomicLong();
    try (TestServer server = TestServer.start(vertx, req -> {
      long now = System.nanoTime();
      long done = Math.max(now, nextFree.get()) + 5_000_000L;
      nextFree.set(done);
      vertx.setTimer(Math.max(1, (done - now) / 1_000_000),
          id -> req.response().end("{\"ping_id\":\"p\",\"status\":\"no_bid\"}"));
    })) {
      ByteArrayOutputStream table = new ByteArrayOutputStream();
      StepRunner.Result result;
      try (OpenLoopEngine engine = OpenLoopEngine.start(
          Generate.settings(server.url(), 400, 0, 150))) {
        result = new StepRunner(engine, new StepPlan(80, 320, 80, 1, Duration.ofMillis(1500)),
            new Thresholds(100, 0.01, "ping"),
            new PrintStream(table, true, StandardCharsets.UTF_8))
            .run(Duration.ZERO, false, 1, out, Map.of("test", true), run -> { });
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }

      assertEquals(160.0, result.highestSustainableRate().orElse(-1), table.toString());
      assertEquals("pass", result.rows().get(0).status());
      assertEquals("pass", result.rows().get(1).status());
      assertEquals("fail", result.rows().get(2).status());
      assertTrue(result.rows().get(2).reason().contains("p99"), result.rows().get(2).reason());
      assertEquals("skipped", result.rows().get(3).status(), "stopped after the failure");
      assertTrue(table.toString().contains("highest sustainable rate: 160/s"), table.toString());

      JsonNode steps = new ObjectMapper().readTree(out.resolve("steps.json").toFile());
      assertEquals(160.0, steps.path("highest_sustainable_rate").asDouble());
      assertEquals(4, steps.path("steps").size());
      assertTrue(Files.readString(out.resolve("steps.html")).contains("<svg"));
      assertTrue(Files.exists(out.resolve("step-02-160-per-s-r1").resolve("ping.hgrm")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
