package org.leadex.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.leadex.simulator.behaviour.BidDecision;
import org.leadex.simulator.behaviour.BidRequest;
import org.leadex.simulator.behaviour.BuyerBehaviour;
import org.leadex.simulator.behaviour.PostDecision;
import org.leadex.simulator.behaviour.PostRequest;
import org.leadex.simulator.config.Json;
import org.leadex.simulator.control.Storm;
import org.leadex.simulator.stats.ConnectionCounter;
import org.leadex.simulator.stats.SimulatorStats;

/**
 * Event-loop confined: one HTTP server on one port, on its own event loop, serving the buyers
 * assigned to that port. Each buyer lives on exactly one server, so its decisions happen on one
 * thread, in the order its requests arrive, with no locks.
 *
 * <p>Routes: {@code POST /buyers/{id}/bid}, {@code POST /buyers/{id}/post}, {@code GET /stats}
 * (every buyer of the simulator, not only this port's, and the connection counts),
 * {@code GET /stats/connections}, {@code GET /health}, and the storm control
 * {@code POST|GET|DELETE /control/storm}. Delays are timers; nothing here blocks.
 */
public final class BuyerServer extends VerticleBase {

  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final long MAX_REQUEST_BYTES = 1024 * 1024;
  private static final String PREFIX = "/buyers/";

  private final String host;
  private final int requestedPort;
  private final Map<String, BuyerBehaviour> buyers;
  private final Function<String, String> whereServed;
  private final Supplier<SimulatorStats> stats;
  private final int simulatorBuyers;
  private final Storm storm;
  private final ConnectionCounter connections;
  private HttpServer server;
  private volatile int port;

  /**
   * @param buyers the buyers served here, by id
   * @param whereServed for a buyer of the simulator served elsewhere, where ("port 9101"); else null
   * @param stats a snapshot of the whole simulator, for {@code GET /stats}
   * @param simulatorBuyers how many buyers the whole simulator has, for {@code GET /health}
   * @param storm the simulator's storm, shared by all its servers
   * @param connections counts the connections accepted by all the simulator's servers
   */
  public BuyerServer(
      String host,
      int port,
      Map<String, BuyerBehaviour> buyers,
      Function<String, String> whereServed,
      Supplier<SimulatorStats> stats,
      int simulatorBuyers,
      Storm storm,
      ConnectionCounter connections) {
    this.host = host;
    this.requestedPort = port;
    this.buyers = Map.copyOf(buyers);
    this.whereServed = whereServed;
    this.stats = stats;
    this.simulatorBuyers = simulatorBuyers;
    this.storm = storm;
    this.connections = connections;
  }

  /** The port actually bound (useful with port 0); valid once deployed. */
  public int port() {
    return port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setHandle100ContinueAutomatically(true))
        .requestHandler(this::route)
        // Clients giving up on a hanging or slow buyer close or reset connections: that is the
        // traffic this server exists for, not an error worth a log line.
        .connectionHandler(connection -> {
          connections.opened();
          connection.closeHandler(v -> connections.closed());
          connection.exceptionHandler(e -> { });
        })
        .exceptionHandler(e -> { });
    return server.listen(requestedPort, host).onSuccess(s -> port = s.actualPort());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void route(HttpServerRequest request) {
    String path = request.path();
    if (path.startsWith(PREFIX)) {
      int slash = path.indexOf('/', PREFIX.length());
      if (slash > PREFIX.length()) {
        buyerRoute(request, path.substring(PREFIX.length(), slash), path.substring(slash + 1));
        return;
      }
    } else if (path.equals("/stats") && request.method() == HttpMethod.GET) {
      json(request.response(), 200, statsJson(stats.get(), connections));
      return;
    } else if (path.equals("/stats/connections") && request.method() == HttpMethod.GET) {
      json(request.response(), 200, connections.toJsonTree().toString());
      return;
    } else if (path.equals("/control/storm")) {
      stormControl(request);
      return;
    } else if (path.equals("/health") && request.method() == HttpMethod.GET) {
      json(request.response(), 200, "{\"status\":\"ok\",\"buyers\":" + simulatorBuyers + "}");
      return;
    }
    error(request.response(), 404, "not_found", "no such endpoint: " + request.method() + " " + path);
  }

  /** The buyers' counts with the connection counts beside them ({@link SimulatorStats#parse} skips those). */
  public static String statsJson(SimulatorStats stats, ConnectionCounter connections) {
    ObjectNode json = Json.MAPPER.valueToTree(stats);
    json.set("connections", connections.toJsonTree());
    return json.toString();
  }

  /** POST starts a storm (body: share or buyers, and seconds), GET shows it, DELETE ends it. */
  private void stormControl(HttpServerRequest request) {
    HttpMethod method = request.method();
    if (method == HttpMethod.GET) {
      json(request.response(), 200, storm.toJson());
    } else if (method == HttpMethod.DELETE) {
      storm.stop();
      json(request.response(), 200, storm.toJson());
    } else if (method == HttpMethod.POST) {
      request.body().onSuccess(body -> {
        try {
          storm.start(parse(body));
          json(request.response(), 200, storm.toJson());
        } catch (IllegalArgumentException e) {
          error(request.response(), 400, "validation_failed", e.getMessage());
        }
      });
    } else {
      error(request.response(), 405, "method_not_allowed", "use POST, GET or DELETE");
    }
  }

  private void buyerRoute(HttpServerRequest request, String buyerId, String action) {
    boolean bid = action.equals("bid");
    if (!bid && !action.equals("post")) {
      error(request.response(), 404, "not_found", "no such endpoint: " + request.path());
      return;
    }
    BuyerBehaviour buyer = buyers.get(buyerId);
    if (buyer == null) {
      String elsewhere = whereServed.apply(buyerId);
      error(request.response(), 404, "not_found",
          elsewhere == null ? "no simulated buyer '" + buyerId + "'" : "buyer '" + buyerId + "' is served on " + elsewhere);
      return;
    }
    if (request.method() != HttpMethod.POST) {
      error(request.response(), 405, "method_not_allowed", "use POST");
      return;
    }
    if (declaredLength(request) > MAX_REQUEST_BYTES) {
      error(request.response(), 413, "payload_too_large", "request bodies are limited to 1 MiB")
          .onComplete(sent -> request.connection().close());
      return;
    }
    request.body().onSuccess(body -> {
      JsonNode json = parse(body);
      if (json == null || !json.isObject()) {
        buyer.counters().badRequest();
        error(request.response(), 400, "invalid_json", "the body must be a JSON object");
      } else if (bid) {
        onBid(request, buyer, json);
      } else {
        onPost(request, buyer, json);
      }
    });
  }

  private void onBid(HttpServerRequest request, BuyerBehaviour buyer, JsonNode body) {
    BidRequest bid;
    try {
      bid = BidRequest.from(body);
    } catch (IllegalArgumentException e) {
      buyer.counters().badRequest();
      error(request.response(), 400, "validation_failed", e.getMessage());
      return;
    }
    if (storm.hangs(buyer.id())) {
      // Before any decision, so a storm leaves the buyer's sequence of decisions as it was.
      buyer.counters().stormHang();
      return;
    }
    BidDecision d = buyer.decideBid(bid);
    HttpServerResponse response = request.response();
    switch (d.outcome()) {
      case HANG -> { } // never answered: the connection stays open until the client gives up
      case TRICKLE -> FaultyAnswers.trickle(vertx, response, d.answerJson(), d.delayMs() + buyer.profile().errors().trickleMs());
      default -> later(d.delayMs(), () -> {
        if (!response.closed()) {
          answerBid(request, buyer, d);
        }
      });
    }
  }

  private void answerBid(HttpServerRequest request, BuyerBehaviour buyer, BidDecision d) {
    HttpServerResponse response = request.response();
    switch (d.outcome()) {
      case BID -> json(response, 200, d.answerJson());
      case NO_BID -> {
        if (buyer.profile().noBidAsZero()) {
          json(response, 200, d.answerJson());
        } else {
          response.setStatusCode(204).end();
        }
      }
      case ERROR_500 -> error(response, 500, "internal", "simulated failure");
      case MALFORMED -> json(response, 200, d.malformedBody());
      case RESET -> FaultyAnswers.reset(request);
      case OVERSIZED -> {
        String answer = d.answerJson();
        String prefix = answer.substring(0, answer.length() - 1) + ",\"padding\":\"";
        FaultyAnswers.oversized(response, prefix, buyer.profile().errors().oversizedBytes());
      }
      default -> throw new IllegalStateException("not answered here: " + d.outcome());
    }
  }

  private void onPost(HttpServerRequest request, BuyerBehaviour buyer, JsonNode body) {
    PostDecision d = buyer.decidePost(PostRequest.from(body));
    if (d.outcome() == PostDecision.Outcome.HANG) {
      return;
    }
    HttpServerResponse response = request.response();
    later(d.delayMs(), () -> {
      if (response.closed()) {
        buyer.abandoned(d);
        return;
      }
      json(response, 200, d.answerJson()).onComplete(written -> {
        if (written.succeeded()) {
          buyer.delivered(d);
        } else {
          buyer.abandoned(d);
        }
      });
    });
  }

  private void later(long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
    } else {
      vertx.setTimer(delayMs, t -> action.run());
    }
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static JsonNode parse(Buffer body) {
    try {
      return Json.MAPPER.readTree(body.getBytes());
    } catch (IOException e) {
      return null;
    }
  }

  private static Future<Void> json(HttpServerResponse response, int status, String body) {
    return response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }

  private static Future<Void> error(HttpServerResponse response, int status, String code, String message) {
    return json(response, status, Json.MAPPER.createObjectNode().put("error", code).put("message", message).toString());
  }
}
