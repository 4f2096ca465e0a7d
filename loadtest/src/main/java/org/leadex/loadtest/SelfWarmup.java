package org.leadex.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.leadex.loadtest.engine.EngineSettings;
import org.leadex.loadtest.engine.OpenLoopEngine;
import org.leadex.loadtest.engine.Phase;

/**
 * Cold start: warms the generator itself before its target starts, so that what the run measures
 * is the target's cold start and not the generator's. A cold generator JVM sends late and reads
 * slowly for its first seconds (its own JIT competes with the target for the same two cores), and
 * every such delay counts in the latencies, which are measured from the intended send time. It
 * sends the run's traffic at the run's rate and connection count to a stub target on loopback that
 * answers every request at once ({@code no_bid} / {@code unsold}), then throws the engine away; the
 * JIT's work stays.
 */
final class SelfWarmup {
  private SelfWarmup() {}

  /** Blocking: sends to the stub for {@code length}; returns the pings the stub answered. */
  static long run(EngineSettings real, double rate, Duration length) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer stub = vertx.createHttpServer().requestHandler(request -> request.body().onComplete(body ->
          request.response().putHeader("content-type", "application/json")
              .end(request.path().endsWith("/ping")
                  ? "{\"ping_id\":\"00000000-0000-7000-8000-000000000000\",\"status\":\"no_bid\"}"
                  : "{\"status\":\"unsold\",\"reason\":\"warm-up\"}")));
      stub.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      EngineSettings toStub = new EngineSettings(URI.create("http://127.0.0.1:" + stub.actualPort()),
          real.sellerKey(), real.connections(), real.eventLoops(), real.timeout(), real.postDelay(),
          Long.MAX_VALUE, real.pingDeadlineMillis(), real.mix(), real.leads(), real.bodies(), null);
      try (OpenLoopEngine engine = OpenLoopEngine.start(toStub)) {
        var run = engine.run(List.of(Phase.measured("self-warm-up", rate, length, false, 0)));
        var phases = run.finished().get(length.toMillis() + real.timeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        var pings = phases.get(0).operation(org.leadex.loadtest.traffic.Operation.PING);
        return pings.completed() - pings.errors();
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
