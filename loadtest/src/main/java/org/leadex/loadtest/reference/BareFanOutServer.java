package org.leadex.loadtest.reference;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The reference "bare fan-out" server: {@code POST /v1/ping} sent concurrently to every buyer,
 * answered with the best bid within the deadline; {@code /v1/post} and {@code /v1/leads} answer
 * unsold (no offer); {@code GET /health}; {@code GET /stats} (JSON counters). Run it beside the
 * exchange in the same benchmark to see how much of the exchange's latency and CPU is the
 * platform's own cost.
 */
@Command(name = "reference", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpWidth = 100, version = "leadex loadtest 0.1.0",
    description = {"Bare fan-out reference server: no validation, routing, ledger or money.",
        "POST /v1/ping -> every buyer at once -> best bid by the deadline.",
        "GET /health; GET /stats for counters."})
public final class BareFanOutServer implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Listen address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8090", paramLabel = "PORT",
      description = "Listen port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--buyers", required = true, split = ",", paramLabel = "URL",
      description = "Buyers' bid URLs, comma separated.")
  List<URI> buyers;

  @Option(names = "--deadline-ms", defaultValue = "150", paramLabel = "MS",
      description = "The ping's budget from its arrival to its answer (default: ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(names = "--reserve-ms", defaultValue = "0", paramLabel = "MS",
      description = "Answer this long before the deadline (default: ${DEFAULT-VALUE}, i.e. wait "
          + "the whole deadline).")
  long reserveMs;

  @Option(names = "--vertical", defaultValue = "auto-insurance", paramLabel = "NAME",
      description = "The vertical named in bid requests (default: ${DEFAULT-VALUE}).")
  String vertical;

  @Option(names = "--buyer-connections", defaultValue = "256", paramLabel = "N",
      description = "Connections per buyer host:port and event loop (default: ${DEFAULT-VALUE}).")
  int buyerConnections;

  @Option(names = "--abandon-ms", defaultValue = "1000", paramLabel = "MS",
      description = "Close a buyer request silent this long; late answers before that are "
          + "ignored but finish on their keep-alive connection (default: ${DEFAULT-VALUE}).")
  long abandonMs;

  @Option(names = "--max-answer-bytes", defaultValue = "65536", paramLabel = "N",
      description = "Larger buyer answers are no bid (default: ${DEFAULT-VALUE}).")
  int maxAnswerBytes;

  @Option(names = "--max-in-flight", defaultValue = "0", paramLabel = "N",
      description = "Answer 503 overloaded above this many pings in flight; 0 never "
          + "(default: ${DEFAULT-VALUE}).")
  long maxInFlight;

  @Option(names = "--event-loops", paramLabel = "N",
      description = "Event loops (default: the number of CPUs).")
  Integer eventLoops;

  @Option(names = "--log-every", defaultValue = "10", paramLabel = "S",
      description = "Print counters every S seconds; 0 never (default: ${DEFAULT-VALUE}).")
  long logEvery;

  /** A started server: where it listens, and its counters. */
  public record Started(int port, Map<String, Object> stats) {
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BareFanOutServer()).execute(args));
  }

  /**
   * Deploys the server on {@code vertx} (one instance per {@code settings.instances()}). With
   * port 0 use one instance; the future gives the port actually bound.
   */
  public static Future<Integer> start(Vertx vertx, ReferenceSettings settings) {
    return deploy(vertx, settings, new ReferenceStats());
  }

  private static Future<Integer> deploy(Vertx vertx, ReferenceSettings settings,
      ReferenceStats stats) {
    AtomicLong inFlight = new AtomicLong();
    List<FanOutVerticle> verticles = new ArrayList<>();
    List<Future<String>> deployed = new ArrayList<>();
    for (int i = 0; i < settings.instances(); i++) {
      FanOutVerticle verticle = new FanOutVerticle(settings, stats, inFlight, i);
      verticles.add(verticle);
      deployed.add(vertx.deployVerticle(verticle));
    }
    return Future.all(deployed).map(v -> verticles.get(0).actualPort());
  }

  @Override
  public Integer call() throws Exception {
    int loops = eventLoops != null ? eventLoops : Runtime.getRuntime().availableProcessors();
    ReferenceSettings settings;
    try {
      settings = new ReferenceSettings(host, port, buyers, deadlineMs, reserveMs, vertical,
          buyerConnections, abandonMs, maxAnswerBytes, maxInFlight, loops);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
        .setPreferNativeTransport(true));
    ReferenceStats stats = new ReferenceStats();
    int bound;
    try {
      bound = deploy(vertx, settings, stats).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("reference server could not start: " + e.getMessage());
      vertx.close();
      return 1;
    }
    System.out.printf(Locale.ROOT, "reference fan-out server ready on http://%s:%d "
        + "(%d buyers, deadline %d ms, %d event loops)%n", host, bound, buyers.size(), deadlineMs,
        loops);
    System.out.flush();
    if (logEvery > 0) {
      long[] before = {0};
      vertx.setPeriodic(logEvery * 1000, id -> {
        Map<String, Object> s = stats.snapshot(0);
        long pings = (Long) s.get("pings");
        System.out.printf(Locale.ROOT, "reference: %d pings (%.0f/s), %d bids; buyer calls %s%n",
            pings, (pings - before[0]) / (double) logEvery, (Long) s.get("bids"),
            s.get("buyer_calls"));
        before[0] = pings;
      });
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Exiting anyway.
      }
      stopped.countDown();
    }, "reference-shutdown"));
    stopped.await();
    return 0;
  }
}
