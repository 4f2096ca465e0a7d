package org.leadex.exchange.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.auction.BidResult;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.leads.LeadValidator;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.routing.DistributionPlan;
import org.leadex.exchange.routing.Rotation;

/**
 * Warms the hot path before the exchange says it is ready: a cold JVM answers its first pings tens
 * of milliseconds late (class loading, interpretation), which on a 150 ms deadline is a miss. It
 * runs the pure decision code and JSON on a synthetic campaign, then sends requests through the
 * HTTP server and an HTTP client over loopback. Bounded: a few thousand rounds or 5 seconds.
 */
public final class Warmup {
  private static final Logger LOG = Logger.getLogger(Warmup.class.getName());

  private Warmup() {}

  /** Blocking; call before announcing readiness, never on an event loop. */
  public static void run(Vertx vertx, int port) {
    long start = System.nanoTime();
    long until = start + 5_000_000_000L;
    pureRounds(20_000, until);
    httpRounds(vertx, port, 2_000, until);
    LOG.info("warmed up in " + (System.nanoTime() - start) / 1_000_000 + " ms");
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
