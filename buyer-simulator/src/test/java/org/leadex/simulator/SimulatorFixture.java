package org.leadex.simulator;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.SimulatorConfig;

/** Test thread only. Starts and stops simulators on one Vertx for a test class. */
final class SimulatorFixture implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();

  BuyerSimulator start(long seed, List<BuyerConfig> buyers) throws Exception {
    return start(SimulatorConfig.of(seed, buyers), Clock.systemUTC());
  }

  /** Starts a simulator and asks its /health once, so that tests with short timeouts do not pay for class loading. */
  BuyerSimulator start(SimulatorConfig config, Clock clock) throws Exception {
    BuyerSimulator sim = BuyerSimulator.start(vertx, config, clock).await(10, TimeUnit.SECONDS);
    TestHttp.get("http://127.0.0.1:" + sim.port() + "/health");
    return sim;
  }

  static void stop(BuyerSimulator sim) throws TimeoutException {
    sim.close().await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws TimeoutException {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
