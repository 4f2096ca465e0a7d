package org.leadex.exchange.buyers;

import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import org.leadex.exchange.catalog.Buyer;

/**
 * The endpoints of all buyers, created on first use and replaced when a buyer's configuration
 * 's addresses change (its circuit state then starts afresh;
 * other changes, such as a pause or new filters, keep it). Thread safe.
 */
public final class BuyerEndpoints {
  private final Vertx vertx;
  private final BuyerClientSettings settings;
  private final ConcurrentHashMap<String, BuyerEndpoint> byCode = new ConcurrentHashMap<>();

  public BuyerEndpoints(Vertx vertx, BuyerClientSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  public BuyerClientSettings settings() {
    return settings;
  }

  public BuyerEndpoint of(Buyer buyer) {
    BuyerEndpoint endpoint = byCode.get(buyer.code());
    if (endpoint != null && endpoint.sameAddresses(buyer)) {
      return endpoint;
    }
    return byCode.compute(buyer.code(), (code, old) -> {
      if (old != null && old.sameAddresses(buyer)) {
        return old;
      }
      if (old != null) {
        old.close();
      }
      return new BuyerEndpoint(vertx, buyer, settings);
    });
  }

  /**
   * Creates the endpoints of these buyers now, so that the first ping to a new buyer does not pay
   * for building its HTTP clients and circuit breaker inside its deadline.
   */
  public void prepare(java.util.Collection<Buyer> buyers) {
    buyers.forEach(this::of);
  }

  /** Each buyer's circuit state now: closed, open or half_open (by buyer code). */
  public java.util.Map<String, String> circuitStates() {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    byCode.forEach((code, endpoint) -> out.put(code, endpoint.circuit().getState().name().toLowerCase()));
    return out;
  }

  public void close() {
    byCode.values().forEach(BuyerEndpoint::close);
    byCode.clear();
  }
}
