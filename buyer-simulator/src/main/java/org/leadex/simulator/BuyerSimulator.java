package org.leadex.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.leadex.simulator.behaviour.BuyerBehaviour;
import org.leadex.simulator.config.BuyerConfig;
import org.leadex.simulator.config.SimulatorConfig;
import org.leadex.simulator.control.Storm;
import org.leadex.simulator.server.BuyerServer;
import org.leadex.simulator.stats.BuyerCounters;
import org.leadex.simulator.stats.ConnectionCounter;
import org.leadex.simulator.stats.BuyerStats;
import org.leadex.simulator.stats.SimulatorStats;

/**
 * Thread safe. A running crowd of simulated buyers: the entry point for other modules' tests and
 * for the command line.
 *
 * <pre>{@code
 * BuyerSimulator sim = BuyerSimulator.start(vertx, SimulatorConfig.of(42,
 *     BuyerConfig.group("acme", 10, Presets.realistic()))).await();
 * String bidUrl = sim.bidUrl("acme-001");   // http://127.0.0.1:{port}/buyers/acme-001/bid
 * ...
 * long charged = sim.stats().totals().chargedCents();
 * sim.close().await();
 * }</pre>
 *
 * <p>One {@link BuyerServer} verticle per configured port, each on its own event loop; buyer
 * {@code i} is served on port index {@code i % ports}. Counts are read from thread-safe counters,
 * so {@link #stats()} may be called from any thread at any time.
 */
public final class BuyerSimulator {
  private final Vertx vertx;
  private final SimulatorConfig config;
  private final List<String> deployments;
  private final List<Integer> ports;
  private final Map<String, Integer> portOfBuyer;
  private final Map<String, BuyerCounters> counters;
  private final Storm storm;
  private final ConnectionCounter connections;
  private final long connectionTimer;

  private BuyerSimulator(
      Vertx vertx,
      SimulatorConfig config,
      List<String> deployments,
      List<Integer> ports,
      Map<String, Integer> portOfBuyer,
      Map<String, BuyerCounters> counters,
      Storm storm,
      ConnectionCounter connections,
      long connectionTimer) {
    this.vertx = vertx;
    this.config = config;
    this.deployments = List.copyOf(deployments);
    this.ports = List.copyOf(ports);
    this.portOfBuyer = Map.copyOf(portOfBuyer);
    this.counters = counters;
    this.storm = storm;
    this.connections = connections;
    this.connectionTimer = connectionTimer;
  }

  /** Starts the simulator with the system clock (UTC days for daily capacity). */
  public static Future<BuyerSimulator> start(Vertx vertx, SimulatorConfig config) {
    return start(vertx, config, Clock.systemUTC());
  }

  /** Starts the simulator; {@code clock} decides when a day (and so daily capacity) turns over. */
  public static Future<BuyerSimulator> start(Vertx vertx, SimulatorConfig config, Clock clock) {
    int n = config.ports();
    List<Map<String, BuyerBehaviour>> byPort = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      byPort.add(new HashMap<>());
    }
    Map<String, BuyerCounters> counters = new LinkedHashMap<>();
    Map<String, Integer> portIndex = new HashMap<>();
    List<BuyerConfig> buyers = config.buyers();
    for (int i = 0; i < buyers.size(); i++) {
      BuyerConfig b = buyers.get(i);
      BuyerCounters c = new BuyerCounters();
      counters.put(b.id(), c);
      portIndex.put(b.id(), i % n);
      byPort.get(i % n).put(b.id(), new BuyerBehaviour(b, config.seed(), clock, c));
    }
    Map<String, BuyerCounters> frozen = Collections.unmodifiableMap(counters);
    Storm storm = new Storm(List.copyOf(counters.keySet()), System::nanoTime);
    ConnectionCounter connections = new ConnectionCounter();
    AtomicIntegerArray boundPorts = new AtomicIntegerArray(n);
    List<BuyerServer> servers = new ArrayList<>();
    List<Future<String>> deployed = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      int requested = config.port() == 0 ? 0 : config.port() + p;
      BuyerServer server = new BuyerServer(
          config.host(),
          requested,
          byPort.get(p),
          id -> portIndex.containsKey(id) ? "port " + boundPorts.get(portIndex.get(id)) : null,
          () -> snapshot(frozen),
          buyers.size(),
          storm,
          connections);
      servers.add(server);
      deployed.add(vertx.deployVerticle(server));
    }
    return Future.join(deployed).transform(all -> {
      List<String> ids = new ArrayList<>();
      for (Future<String> f : deployed) {
        if (f.succeeded()) {
          ids.add(f.result());
        }
      }
      if (all.failed()) {
        // undo the servers that did start, then report why the others did not
        return Future.join(ids.stream().map(vertx::undeploy).toList())
            .transform(x -> Future.failedFuture(new IllegalStateException(
                "buyer simulator could not listen on " + config.host() + ":" + config.port() + ": " + all.cause().getMessage(),
                all.cause())));
      }
      List<Integer> bound = new ArrayList<>();
      for (int p = 0; p < n; p++) {
        boundPorts.set(p, servers.get(p).port());
        bound.add(servers.get(p).port());
      }
      Map<String, Integer> portOfBuyer = new HashMap<>();
      portIndex.forEach((id, p) -> portOfBuyer.put(id, bound.get(p)));
      long timer = vertx.setPeriodic(1000, id -> connections.tick(System.currentTimeMillis()));
      return Future.succeededFuture(
          new BuyerSimulator(vertx, config, ids, bound, portOfBuyer, frozen, storm, connections, timer));
    });
  }

  private static SimulatorStats snapshot(Map<String, BuyerCounters> counters) {
    Map<String, BuyerStats> stats = new LinkedHashMap<>();
    counters.forEach((id, c) -> stats.put(id, c.snapshot()));
    return SimulatorStats.of(stats);
  }

  public SimulatorConfig config() {
    return config;
  }

  /** The first port (the only one unless {@code ports} > 1). */
  public int port() {
    return ports.get(0);
  }

  /** All bound ports, in port-index order. */
  public List<Integer> ports() {
    return ports;
  }

  /** The port that serves this buyer. */
  public int port(String buyerId) {
    Integer p = portOfBuyer.get(buyerId);
    if (p == null) {
      throw new IllegalArgumentException("no simulated buyer '" + buyerId + "'");
    }
    return p;
  }

  /** Buyer ids in configuration order. */
  public List<String> buyerIds() {
    return List.copyOf(counters.keySet());
  }

  public String baseUrl(String buyerId) {
    return "http://" + config.host() + ":" + port(buyerId) + "/buyers/" + buyerId;
  }

  public String bidUrl(String buyerId) {
    return baseUrl(buyerId) + "/bid";
  }

  public String postUrl(String buyerId) {
    return baseUrl(buyerId) + "/post";
  }

  /** {@code GET} here gives the same JSON as {@link #stats()}. */
  public String statsUrl() {
    return "http://" + config.host() + ":" + port() + "/stats";
  }

  /** A snapshot of every buyer's counts and their totals. */
  public SimulatorStats stats() {
    return snapshot(counters);
  }

  public BuyerStats stats(String buyerId) {
    BuyerCounters c = counters.get(buyerId);
    if (c == null) {
      throw new IllegalArgumentException("no simulated buyer '" + buyerId + "'");
    }
    return c.snapshot();
  }

  /**
   * The storm control: {@code storm().start(0.5, Duration.ofSeconds(30))} makes the first half of
   * the buyers hang on every bid request for 30 s; the same as {@code POST /control/storm}.
   */
  public Storm storm() {
    return storm;
  }

  /** The TCP connections opened to the simulator, in total and per second. */
  public ConnectionCounter connections() {
    return connections;
  }

  /** What {@code GET /stats} answers: {@link #stats()} with {@code "connections"} beside it. */
  public String statsJson() {
    return BuyerServer.statsJson(stats(), connections);
  }

  /** Stops listening and closes every connection, hanging ones included. The Vertx instance stays open. */
  public Future<Void> close() {
    vertx.cancelTimer(connectionTimer);
    return Future.join(deployments.stream().map(vertx::undeploy).toList()).mapEmpty();
  }
}
