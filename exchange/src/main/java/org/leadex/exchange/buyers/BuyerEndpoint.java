package org.leadex.exchange.buyers;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import org.leadex.exchange.catalog.Buyer;

/**
 * Everything the exchange keeps per buyer to call it safely: its own HTTP clients (so one buyer's
 * hung connections never take another's), a bulkhead bounding its calls in flight, and a circuit
 * breaker that skips it while at least half of its last 20 bid calls failed. Thread safe.
 */
public final class BuyerEndpoint {
  private final Buyer buyer;
  private final HttpClient bidClient;
  private final HttpClient postClient;
  private final CircuitBreaker circuit;
  private final Bulkhead bulkhead;

  BuyerEndpoint(Vertx vertx, Buyer buyer, BuyerClientSettings settings) {
    this.buyer = buyer;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout(1_000)
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(16 * 1024)
        .setName("buyer-" + buyer.code());
    this.bidClient = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(settings.poolSize()));
    this.postClient = vertx.createHttpClient(new HttpClientOptions(options).setName("buyer-post-" + buyer.code()),
        new PoolOptions().setHttp1MaxSize(Math.max(4, settings.poolSize() / 4)));
    this.circuit = circuitBreaker("buyer-" + buyer.code(), settings);
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
    return buyer.bidUrl().equals(other.bidUrl()) && java.util.Objects.equals(buyer.postUrl(), other.postUrl());
  }

  HttpClient bidClient() {
    return bidClient;
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

  void close() {
    bidClient.close();
    postClient.close();
  }
}
