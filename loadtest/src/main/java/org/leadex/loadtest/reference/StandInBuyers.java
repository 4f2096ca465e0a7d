package org.leadex.loadtest.reference;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Simple simulated buyers for benchmarks when the project's buyer simulator is not at hand:
 * {@code POST /buyers/{id}/bid} answers after a log-normal delay with a bid, no bid (204), or
 * never (a hang); {@code POST /buyers/{id}/post} accepts. The defaults are the buyers of
 * PERFORMANCE-NOTES: median 20 ms, p99 80 ms, 2% never answered.
 *
 * <p>Threading: each instance is event-loop confined with its own random stream.
 */
@Command(name = "stand-in-buyers", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpWidth = 100, version = "leadex loadtest 0.1.0",
    description = {"Simple simulated buyers (a stand-in for the buyer simulator).",
        "POST /buyers/{id}/bid and /buyers/{id}/post for ids <prefix>1..<prefix>N (any id works)."})
public final class StandInBuyers implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Listen address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "9001", paramLabel = "PORT",
      description = "Listen port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--buyers", defaultValue = "10", description = "Buyers to list at start "
      + "(default: ${DEFAULT-VALUE}).")
  int buyers;

  @Option(names = "--id-prefix", defaultValue = "buyer-", description = "Buyer id prefix "
      + "(default: ${DEFAULT-VALUE}).")
  String idPrefix;

  @Option(names = "--median-ms", defaultValue = "20", description = "Median answer delay "
      + "(default: ${DEFAULT-VALUE}).")
  double medianMs;

  @Option(names = "--p99-ms", defaultValue = "80", description = "99th percentile answer delay "
      + "(default: ${DEFAULT-VALUE}).")
  double p99Ms;

  @Option(names = "--hang-ratio", defaultValue = "0.02", description = "Share of bid requests "
      + "never answered (default: ${DEFAULT-VALUE}).")
  double hangRatio;

  @Option(names = "--no-bid-ratio", defaultValue = "0.3", description = "Share of answers that "
      + "are no bid (default: ${DEFAULT-VALUE}).")
  double noBidRatio;

  @Option(names = "--min-price", defaultValue = "1.00", description = "Lowest bid "
      + "(default: ${DEFAULT-VALUE}).")
  BigDecimal minPrice;

  @Option(names = "--max-price", defaultValue = "20.00", description = "Highest bid "
      + "(default: ${DEFAULT-VALUE}).")
  BigDecimal maxPrice;

  @Option(names = "--seed", defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--event-loops", paramLabel = "N", description = "Event loops (default: CPUs).")
  Integer eventLoops;

  /** How the buyers behave. */
  public record Behaviour(double medianMs, double p99Ms, double hangRatio, double noBidRatio,
      long minCents, long maxCents, long seed) {
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new StandInBuyers()).execute(args));
  }

  /** Deploys {@code instances} buyer servers on one port; the future gives the bound port. */
  public static Future<Integer> start(Vertx vertx, String host, int port, int instances,
      Behaviour behaviour) {
    List<BuyerVerticle> verticles = new ArrayList<>();
    List<Future<String>> deployed = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      BuyerVerticle v = new BuyerVerticle(host, port, behaviour, i);
      verticles.add(v);
      deployed.add(vertx.deployVerticle(v));
    }
    return Future.all(deployed).map(x -> verticles.get(0).server.actualPort());
  }

  @Override
  public Integer call() throws Exception {
    int loops = eventLoops != null ? eventLoops : Runtime.getRuntime().availableProcessors();
    Behaviour behaviour = new Behaviour(medianMs, p99Ms, hangRatio, noBidRatio,
        minPrice.movePointRight(2).longValue(), maxPrice.movePointRight(2).longValue(), seed);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
        .setPreferNativeTransport(true));
    int bound = start(vertx, host, port, loops, behaviour).await(30, TimeUnit.SECONDS);
    System.out.printf(Locale.ROOT, "stand-in buyers ready on http://%s:%d/buyers/{id}/bid "
        + "(ids %s1..%s%d; median %.0f ms, p99 %.0f ms, hang %.1f%%)%n", host, bound, idPrefix,
        idPrefix, buyers, medianMs, p99Ms, hangRatio * 100);
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Exiting anyway.
      }
      stopped.countDown();
    }, "buyers-shutdown"));
    stopped.await();
    return 0;
  }

  /** One event loop's buyers. Event-loop confined. */
  private static final class BuyerVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final Behaviour behaviour;
    private final SplittableRandom random;
    private final double sigma;
    private HttpServer server;
    private long nextId;

    BuyerVerticle(String host, int port, Behaviour behaviour, int instance) {
      this.host = host;
      this.port = port;
      this.behaviour = behaviour;
      this.random = new SplittableRandom(behaviour.seed() + instance);
      // Log-normal: ln(delay) ~ N(ln(median), sigma), with p99 at median * e^(2.326 sigma).
      this.sigma = Math.log(Math.max(behaviour.p99Ms(), behaviour.medianMs() * 1.0001)
          / behaviour.medianMs()) / 2.326;
    }

    @Override
    public Future<?> start() {
      server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)
          .setIdleTimeout(60)).requestHandler(this::route);
      return server.listen(port, host);
    }

    private void route(HttpServerRequest req) {
      req.exceptionHandler(t -> { });
      req.response().exceptionHandler(t -> { });
      String path = req.path();
      if (req.method() != HttpMethod.POST || !path.startsWith("/buyers/")) {
        req.response().setStatusCode(404).end();
        return;
      }
      req.end().onComplete(body -> {
        if (path.endsWith("/bid")) {
          bid(req);
        } else if (path.endsWith("/post")) {
          req.response().putHeader("content-type", "application/json")
              .end("{\"accepted\":true,\"reference\":\"si-" + nextId++ + "\"}");
        } else {
          req.response().setStatusCode(404).end();
        }
      });
    }

    private void bid(HttpServerRequest req) {
      if (random.nextDouble() < behaviour.hangRatio()) {
        return; // never answered; the caller gives up
      }
      long delay = Math.max(1, Math.round(behaviour.medianMs()
          * Math.exp(sigma * random.nextGaussian())));
      boolean noBid = random.nextDouble() < behaviour.noBidRatio();
      long cents = behaviour.minCents() + (behaviour.maxCents() > behaviour.minCents()
          ? random.nextLong(behaviour.maxCents() - behaviour.minCents() + 1) : 0);
      vertx.setTimer(delay, id -> {
        if (req.response().closed()) {
          return;
        }
        if (noBid) {
          req.response().setStatusCode(204).end();
        } else {
          req.response().putHeader("content-type", "application/json")
              .end("{\"bid\":" + BigDecimal.valueOf(cents, 2).toPlainString()
                  + ",\"bid_id\":\"b" + nextId++ + "\"}");
        }
      });
    }
  }
}
