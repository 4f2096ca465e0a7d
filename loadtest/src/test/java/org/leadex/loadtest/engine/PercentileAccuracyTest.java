package org.leadex.loadtest.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.report.LatencySummary;
import org.leadex.loadtest.report.PhaseReport;
import org.leadex.loadtest.support.Attempts;
import org.leadex.loadtest.support.Generate;
import org.leadex.loadtest.support.TestServer;

/** The reported percentiles match delays the test server injects. */
class PercentileAccuracyTest {
  private static final String NO_BID = "{\"ping_id\":\"p\",\"status\":\"no_bid\"}";
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
  void aFixed50MillisecondDelayIsReportedAs50Milliseconds() {
    Attempts.upTo3(this::fixedDelayScenario);
  }

  private void fixedDelayScenario() {
    try (TestServer server = TestServer.start(vertx,
        req -> vertx.setTimer(50, id -> req.response().end(NO_BID)))) {
      PhaseReport report = Generate.pings(server.url(), 100, 2.0, 1.0, 50);

      LatencySummary latency = report.operations().get("ping").latencyMs();
      assertEquals(200, latency.count(), "the warmup is not recorded");
      assertTrue(report.latencyHistograms().get("ping").getMinValue() >= 49_900,
          "nothing is faster than the delay: " + latency);
      assertTrue(latency.p50() >= 50 && latency.p50() <= 70, "p50 near 50 ms: " + latency);
      assertTrue(latency.p90() <= 100, "p90 near 50 ms: " + latency);
    }
  }

  @Test
  void aBimodalServerShowsBothModes() {
    Attempts.upTo3(this::bimodalScenario);
  }

  private void bimodalScenario() {
    // Every tenth request takes 100 ms, the others 10 ms.
    AtomicLong count = new AtomicLong();
    try (TestServer server = TestServer.start(vertx, req -> {
      long delay = count.incrementAndGet() % 10 == 0 ? 100 : 10;
      vertx.setTimer(delay, id -> req.response().end(NO_BID));
    })) {
      PhaseReport report = Generate.pings(server.url(), 100, 3.0, 1.0, 50);

      LatencySummary latency = report.operations().get("ping").latencyMs();
      assertEquals(300, latency.count());
      assertTrue(latency.p50() >= 10 && latency.p50() <= 30, "p50 in the fast mode: " + latency);
      double p80 = report.latencyHistograms().get("ping").getValueAtPercentile(80) / 1000.0;
      assertTrue(p80 < 40, "p80 still in the fast mode: " + p80);
      assertTrue(latency.p99() >= 100 && latency.p99() <= 140, "p99 in the slow mode: " + latency);
      assertTrue(latency.max() >= 100, "max in the slow mode: " + latency);
    }
  }
}
