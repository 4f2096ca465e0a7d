package org.leadex.exchange.buyers;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import org.leadex.exchange.admission.TokenBucket;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.RateLimit;

/**
 * Everything the exchange keeps per buyer to call it safely: its own HTTP clients (so one buyer's
 * hung connections never take another's; for bids, one per event loop), a bulkhead bounding its
 * calls in flight, a circuit breaker that skips it while at least half of its last 20 bid calls
 * failed, and budgets for the silent calls reset and the new connections opened each second (so
 * that no moment of slowness turns into a reconnect storm). Thread safe.
 */
public final class BuyerEndpoint {
  private final Buyer buyer;
  private final LoopClients bidClients;
  private final HttpClient postClient;
  private final CircuitBreaker circuit;
  private final Bulkhead bulkhead;
  private final TokenBucket resets;
  private final TokenBucket connects;
  private final StallWatch stalls = new StallWatch();
  /** The bid URL taken apart once (null without one): parsing it per call showed in profiles. */
  private final String bidHost;
  private final int bidPort;
  private final boolean bidSsl;
  private final String bidPath;

  BuyerEndpoint(Vertx vertx, Buyer buyer, BuyerClientSettings settings) {
    this.buyer = buyer;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout(1_000)
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(16 * 1024)
        .setName("buyer-" + buyer.code());
    this.bidClients = new LoopClients(vertx, options, new PoolOptions().setHttp1MaxSize(settings.poolSize()));
    this.postClient = vertx.createHttpClient(new HttpClientOptions(options).setName("buyer-post-" + buyer.code()),
        new PoolOptions().setHttp1MaxSize(Math.max(4, settings.poolSize() / 4)));
    this.circuit = circuitBreaker("buyer-" + buyer.code(), settings);
    java.net.URI bid = buyer.bidUrl().orElse(null);
    this.bidHost = bid == null ? null : bid.getHost();
    this.bidSsl = bid != null && "https".equals(bid.getScheme());
    this.bidPort = bid == null ? 0 : bid.getPort() > 0 ? bid.getPort() : bidSsl ? 443 : 80;
    this.bidPath = bid == null ? null : (bid.getRawPath() == null || bid.getRawPath().isEmpty() ? "/" : bid.getRawPath())
        + (bid.getRawQuery() == null ? "" : "?" + bid.getRawQuery());
    this.resets = new TokenBucket(new RateLimit(settings.resetsPerSecond(), settings.resetsPerSecond()), System.nanoTime());
    this.connects = new TokenBucket(new RateLimit(settings.connectsPerSecond(), settings.connectBurst()), System.nanoTime());
    this.bulkhead = Bulkhead.of("buyer-" + buyer.code(), BulkheadConfig.custom()
        .maxConcurrentCalls(settings.poolSize())
        .maxWaitDuration(Duration.ZERO)
        .build());
  }

  /**
   * The circuit breaker every untrusted remote the exchange calls gets (buyers, consent services):
   * open when at least half of the last {@code circuitWindow} calls failed, one trial call after
   * {@code circuitOpenMillis}.
   */
  public static CircuitBreaker circuitBreaker(String name, BuyerClientSettings settings) {
    return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.circuitWindow())
        .minimumNumberOfCalls(settings.circuitWindow())
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMillis(settings.circuitOpenMillis()))
        .permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .recordExceptions(Throwable.class)
        .build());
  }

  boolean sameAddresses(Buyer other) {
    if (buyer == other) {
      return true; // the same catalog snapshot: the common case, on every call
    }
    return buyer.bidUrl().equals(other.bidUrl()) && java.util.Objects.equals(buyer.postUrl(), other.postUrl());
  }

  /** A POST of JSON to its bid URL (the buyer protocol), built from the parts parsed once. */
  RequestOptions bidRequest() {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost(bidHost).setPort(bidPort).setSsl(bidSsl)
        .setURI(bidPath).putHeader("content-type", "application/json");
  }

  /** The bid lane (client and connection counts) of the calling event loop (see {@link LoopClients}). */
  LoopClients.Lane bidLane() {
    return bidClients.current();
  }

  HttpClient postClient() {
    return postClient;
  }

  public CircuitBreaker circuit() {
    return circuit;
  }

  Bulkhead bulkhead() {
    return bulkhead;
  }

  /** Whether this buyer has gone silent with calls out (see {@link StallWatch}). */
  StallWatch stalls() {
    return stalls;
  }

  /** Takes one new bid connection from this buyer's budget: whether the call may open one now. */
  boolean takeConnect() {
    return connects.take(System.nanoTime()) == 0;
  }

  /** Takes one reset from this buyer's budget: 0 if a silent call may be reset now, else the nanoseconds to wait. */
  long takeReset() {
    return resets.take(System.nanoTime());
  }

  void close() {
    bidClients.close();
    postClient.close();
  }
}
