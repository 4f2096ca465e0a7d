package org.leadex.exchange.warmup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.auction.BidResult;
import org.leadex.exchange.auction.PingAuction;
import org.leadex.exchange.buyers.BidClient;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.leads.LeadValidator;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.routing.DistributionPlan;
import org.leadex.exchange.routing.Rotation;

/**
 * Warms the hot path before the exchange says it is ready. A cold JVM answers its first pings tens
 * to hundreds of milliseconds late (class loading, interpretation, then the JIT compilers taking
 * the CPU: on 2 cores a cold start at a modest rate ran late for its first 30 s), which on a 150 ms
 * deadline is a miss. Three stages: the pure decision code and JSON on a synthetic campaign; the
 * seller-facing HTTP edge (unauthorised pings through the real server, router and key check); then
 * whole auctions ({@link AuctionRounds}: real bid client, real deadlines, stub buyers on loopback)
 * in bursts of one second until the JIT has gone quiet — less than {@link #QUIET_COMPILE_MILLIS}
 * of compilation in a burst — or {@link #MAX_SECONDS} have passed. Typically 4–8 s.
 */
public final class Warmup {
  private static final Logger LOG = Logger.getLogger(Warmup.class.getName());
  static final long MAX_SECONDS = 20;
  static final long QUIET_COMPILE_MILLIS = 40;
  private static final int MIN_AUCTIONS = 5_000;
  /** Pings in flight during the auction rounds: enough to open a few connections per stub buyer. */
  private static final int PARALLEL = 32;

  private Warmup() {}

  /** What the warm-up did, for the log and for tests. */
  public record Report(long millis, int auctions, long compileMillis, boolean quiet) {}

  /**
   * Blocking; call before announcing readiness, never on an event loop.
   *
   * @param auctionWith builds a ping auction on a bid client, as the exchange builds its own
   */
  public static Report run(Vertx vertx, int port, BuyerClientSettings buyers, Function<BidClient, PingAuction> auctionWith) {
    long start = System.nanoTime();
    long until = start + MAX_SECONDS * 1_000_000_000L;
    long compileStart = compileMillis();
    pureRounds(20_000, until);
    httpRounds(vertx, port, 2_000, until);
    int auctions = 0;
    boolean quiet = false;
    try (AuctionRounds rounds = AuctionRounds.start(vertx, buyers, auctionWith)) {
      while (!quiet && System.nanoTime() < until) {
        long compiledBefore = compileMillis();
        auctions += rounds.run(Integer.MAX_VALUE, PARALLEL, Math.min(until, System.nanoTime() + 1_000_000_000L));
        quiet = auctions >= MIN_AUCTIONS && compileMillis() - compiledBefore < QUIET_COMPILE_MILLIS;
      }
    } catch (Exception e) {
      LOG.warning("warm-up auctions stopped early: " + e);
    }
    Report report = new Report((System.nanoTime() - start) / 1_000_000, auctions, compileMillis() - compileStart, quiet);
    LOG.info("warmed up in " + report.millis() + " ms: " + auctions + " auctions, " + report.compileMillis()
        + " ms of JIT compilation" + (quiet ? ", the JIT quiet at the end" : ", still compiling at the time bound"));
    return report;
  }

  /** Total JIT compilation time so far (0 where the JVM does not tell). */
  private static long compileMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  private static void pureRounds(int rounds, long until) {
    Buyer a = new Buyer(-1, "warm-a", "a", Optional.of(URI.create("http://127.0.0.1/bid")), URI.create("http://127.0.0.1/post"),
        Optional.empty(), 100, List.of(), 0, true);
    Buyer b = new Buyer(-2, "warm-b", "b", Optional.empty(), URI.create("http://127.0.0.1/post"),
        Optional.of(Money.ofCents(500)), 100, List.of(), 0, true);
    Campaign campaign = Campaign.read(-1, "warm", org.leadex.exchange.json.DocReader.of(Json.parse(
        "{\"vertical\":\"v\",\"fields\":{\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\",\"required\":true},"
            + "\"age\":{\"type\":\"integer\",\"min\":18,\"max\":120}},\"pii_fields\":[\"email\"],"
            + "\"auction\":\"second_price\",\"tiers\":[{\"mode\":\"auction\",\"buyers\":[\"warm-a\",\"warm-b\"]}]}"), ""));
    Payout payout = new Payout.RevenueShare(BigDecimal.valueOf(80));
    long sink = 0;
    for (int i = 0; i < rounds && System.nanoTime() < until; i++) {
      var lead = LeadValidator.forPing(campaign, Json.parse("{\"zip\":\"90210\",\"age\":" + (20 + i % 50) + "}"));
      List<BidResult> results = new ArrayList<>(List.of(
          new BidResult(a, 0, BidOutcome.BID, Money.ofCents(1000 + i % 500), null, 1000, null),
          BidResult.fixedPrice(b, 0, Money.ofCents(500))));
      var decision = DistributionPlan.decide(campaign, payout, results,
          new Rotation(Map.of(), java.util.concurrent.ThreadLocalRandom.current()));
      sink += Json.bytes(lead).length + decision.offers().size();
    }
    if (sink == 42) {
      LOG.fine("unlikely");
    }
  }

  private static void httpRounds(Vertx vertx, int port, int rounds, long until) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(8));
    try {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/v1/ping").putHeader("content-type", "application/json");
      Buffer body = Buffer.buffer("{\"campaign\":\"warm\",\"lead\":{}}");
      for (int batch = 0; batch < rounds / 50 && System.nanoTime() < until; batch++) {
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          // unauthorised on purpose: it runs the server, router, key check, error and client code, and changes
          // nothing (the body is never read: keys are checked first)
          calls.add(client.request(options).compose(r -> r.send(body)).compose(r -> r.body()));
        }
        Future.join(calls).toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.fine("warm-up stopped early: " + e);
    } finally {
      client.close();
    }
  }
}
