package org.leadex.simulator.certify;

import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The buyer protocol: the request as it is, the answer read by the protocol's rules. Blocking. */
public final class ProtocolWire implements BuyerWire {
  private final BuyerCall http;

  public ProtocolWire(Vertx vertx) {
    this.http = new BuyerCall(vertx);
  }

  @Override
  public BidExchange bid(String label, URI url, String request, long deadlineMs, long waitMs) {
    WireAnswer answer = http.send(url, request.getBytes(StandardCharsets.UTF_8), waitMs);
    return new BidExchange(label, url.toString(), request, answer, BidReading.of(answer, deadlineMs));
  }

  @Override
  public PostExchange post(String label, URI url, String request, long budgetMs, long waitMs) {
    WireAnswer answer = http.send(url, request.getBytes(StandardCharsets.UTF_8), waitMs);
    return new PostExchange(label, url.toString(), request, answer, PostReading.of(answer, budgetMs));
  }

  @Override
  public void close() {
    http.close();
  }
}
