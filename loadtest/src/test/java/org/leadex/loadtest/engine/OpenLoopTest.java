package org.leadex.loadtest.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.report.OperationReport;
import org.leadex.loadtest.report.PhaseReport;
import org.leadex.loadtest.support.Attempts;
import org.leadex.loadtest.support.Generate;
import org.leadex.loadtest.support.TestServer;

/** The generator is open-loop: what the server does never changes when requests are sent. */
class OpenLoopTest {
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
  void keepsItsRateWhileTheServerStallsAndRecordsTheStall() {
    Attempts.upTo3(this::stallScenario);
  }

  private void stallScenario() {
    // The server holds every answer to requests arriving between 1.0 s and 2.0 s after the first
    // one until 2.0 s. A closed-loop client would stop sending during the stall and record one
    // slow request; an open-loop one keeps sending, and every request caught in the stall waits.
    AtomicLong firstArrival = new AtomicLong();
    AtomicInteger arrivedDuringStall = new AtomicInteger();
    try (TestServer server = TestServer.start(vertx, req -> {
      long now = System.nanoTime();
      firstArrival.compareAndSet(0, now);
      long sinceFirstMs = (now - firstArrival.get()) / 1_000_000;
      if (sinceFirstMs >= 1000 && sinceFirstMs < 2000) {
        arrivedDuringStall.incrementAndGet();
        vertx.setTimer(2000 - sinceFirstMs, id -> req.response().end(NO_BID));
      } else {
        req.response().end(NO_BID);
      }
    })) {
      PhaseReport report = Generate.pings(server.url(), 200, 3.0, 0, 400);

      OperationReport pings = report.operations().get("ping");
      assertEquals(600, pings.sent(), "rate x duration, whatever the server did");
      assertEquals(600, pings.completed());
      assertEquals(0, pings.errors());
      assertTrue(arrivedDuringStall.get() >= 180,
          "requests kept arriving during the stall: " + arrivedDuringStall.get());
      assertTrue(pings.latencyMs().max() >= 950, "max holds the stall: " + pings.latencyMs());
      assertTrue(pings.latencyMs().p99() >= 900, "p99 reflects the stall: " + pings.latencyMs());
      assertTrue(pings.latencyMs().p90() >= 600,
          "a third of the requests met the stall, so p90 is deep in it: " + pings.latencyMs());
      assertTrue(pings.latencyMs().p50() < 300, "half the run was unaffected: " + pings.latencyMs());
    }
  }

  @Test
  void timeQueuedForAConnectionCountsInTheLatency() {
    Attempts.upTo3(this::queueScenario);
  }

  private void queueScenario() {
    // Two connections and 50 ms answers carry 40 requests/s; at 100/s the rest queue in the pool.
    // The server's own time stays ~50 ms, but a seller waits ever longer, and the report says so.
    try (TestServer server = TestServer.start(vertx,
        req -> vertx.setTimer(50, id -> req.response().end(NO_BID)))) {
      PhaseReport report = Generate.pings(server.url(), 100, 2.0, 0, 2);

      OperationReport pings = report.operations().get("ping");
      assertEquals(200, pings.sent());
      assertEquals(200, pings.completed());
      assertTrue(pings.serviceMs().p50() >= 50 && pings.serviceMs().p50() < 150,
          "the server took ~50 ms: " + pings.serviceMs());
      assertTrue(pings.latencyMs().p99() > 2000,
          "the queue grew to about 3 s and the latency includes it: " + pings.latencyMs());
      assertTrue(pings.latencyMs().max() > 2500, "last in the queue: " + pings.latencyMs());
    }
  }
}
