package org.leadex.exchange.warmup;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import org.leadex.exchange.json.Json;

/**
 * Buyers that exist only while the exchange warms up: one HTTP server on loopback, one path per
 * stub buyer, answering the buyer protocol the way real buyers do — most bid, one never does, one
 * answers a little later and one sends garbage — so that the warm-up exercises the bid, no-bid,
 * timer and unreadable-answer paths of the real client code. Bids are whole cents.
 */
final class StubBuyers implements AutoCloseable {
  static final int COUNT = 10;
  private final HttpServer server;

  private StubBuyers(HttpServer server) {
    this.server = server;
  }

  /** Blocking: starts the server on an ephemeral loopback port. */
  static StubBuyers start(Vertx vertx) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(StubBuyers::answer);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new StubBuyers(server);
  }

  String bidUrl(int buyer) {
    return "http://127.0.0.1:" + server.actualPort() + "/bid/" + buyer;
  }

  private static void answer(HttpServerRequest request) {
    int buyer = request.path().charAt(request.path().length() - 1) - '0';
    request.body().onSuccess(body -> {
      JsonNode bid = parse(body);
      int score = bid == null ? 0 : bid.path("lead").path("score").asInt();
      var response = request.response().putHeader("content-type", "application/json");
      switch (buyer) {
        case 8 -> response.setStatusCode(204).end();
        case 9 -> response.end("{\"bid\": \"not a number\"");
        // a little later than the others, as a real buyer would be: the ping waits on a timer
        case 7 -> Vertx.currentContext().owner().setTimer(3, id -> response.end("{\"bid\": 9.99}"));
        default -> response.end("{\"bid\": " + (5 + buyer) + "." + (10 + score % 90) + ", \"bid_id\": \"w" + buyer + "\"}");
      }
    });
  }

  private static JsonNode parse(Buffer body) {
    try {
      return Json.parse(body.getBytes());
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
