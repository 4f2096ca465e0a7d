package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.leadex.simulator.config.Json;

/**
 * Event-loop confined. A real buyer over HTTP that follows the protocol — bids 10.00 (shared_bid
 * 5.00 when offered), declines a lead of score 0 with 204, buys a lead once and declines one with
 * a blank email — except for one flaw, chosen by the first path segment: {@code /FLAW/bid} and
 * {@code /FLAW/post}. {@code good} has none. Each flaw is for one run of the kit.
 */
final class ScriptedBuyer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final Map<String, String> boughtByLead = new HashMap<>();
  private final Map<String, Integer> realBidRequests = new HashMap<>();
  private long sequence;

  private ScriptedBuyer(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(this::route).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  static ScriptedBuyer start(Vertx vertx) throws Exception {
    return new ScriptedBuyer(vertx);
  }

  URI bidUrl(String flaw) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/" + flaw + "/bid");
  }

  URI postUrl(String flaw) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/" + flaw + "/post");
  }

  private void route(HttpServerRequest request) {
    String[] path = request.path().split("/");
    String flaw = path[1];
    boolean bid = path[2].equals("bid");
    request.body().onSuccess(buffer -> {
      JsonNode body = Json.parse(buffer.toString(), "request");
      if (bid) {
        bid(flaw, body, request.response());
      } else {
        post(flaw, body, request.response());
      }
    });
  }

  private void bid(String flaw, JsonNode request, HttpServerResponse response) {
    boolean test = request.path("test").asBoolean();
    int score = request.path("lead").path("score").asInt();
    boolean offersShared = request.path("sale_modes").toString().contains("shared");
    String bidId = "b-" + (++sequence);
    String answer = "{\"bid\":10.00,\"bid_id\":\"" + bidId + "\"" + (offersShared ? ",\"shared_bid\":5.00" : "") + "}";
    if (score == 0 && !flaw.equals("nobid404") && !flaw.equals("alwaysbids")) {
      response.setStatusCode(204).end();
      return;
    }
    int real = test ? 0 : realBidRequests.merge(flaw, 1, Integer::sum);
    switch (flaw) {
      case "decimals" -> json(response, 200, "{\"bid\":12.345,\"bid_id\":\"" + bidId + "\"}");
      case "late" -> vertx.setTimer(250, t -> json(response, 200, answer));
      case "text" -> response.putHeader("content-type", "text/plain").end("OK");
      case "test500" -> json(response, test ? 500 : 200, test ? "{\"error\":\"internal\"}" : answer);
      case "big" -> json(response, 200, "{\"bid\":10.00,\"padding\":\"" + "x".repeat(100 * 1024) + "\"}");
      case "sharedbad" -> json(response, 200, offersShared ? "{\"bid\":10.00,\"shared_bid\":7.555}" : answer);
      case "strict" -> json(response, request.has("x_certify_unknown") ? 400 : 200,
          request.has("x_certify_unknown") ? "{\"error\":\"unknown field x_certify_unknown\"}" : answer);
      case "nobid404" -> json(response, score == 0 ? 404 : 200, score == 0 ? "{\"error\":\"no bid\"}" : answer);
      case "untyped" -> response.end(answer);
      case "fourth500" -> json(response, real == 4 ? 500 : 200, real == 4 ? "{\"error\":\"internal\"}" : answer);
      default -> json(response, 200, answer);
    }
  }

  private void post(String flaw, JsonNode request, HttpServerResponse response) {
    String leadId = request.path("lead_id").asText();
    boolean blank = request.path("lead").path("email").asText().isEmpty();
    String answer;
    if (blank) {
      answer = "{\"accepted\":false,\"reason\":\"invalid_contact\"}";
    } else if (flaw.equals("twice")) {
      answer = "{\"accepted\":true,\"reference\":\"r-" + (++sequence) + "\"}";
    } else if (flaw.equals("acceptstring")) {
      answer = "{\"accepted\":\"true\",\"reference\":\"r-" + (++sequence) + "\"}";
    } else {
      answer = boughtByLead.computeIfAbsent(leadId, id -> "{\"accepted\":true,\"reference\":\"r-" + (++sequence) + "\"}");
    }
    if (flaw.equals("postlate")) {
      vertx.setTimer(500, t -> json(response, 200, answer));
    } else {
      json(response, 200, answer);
    }
  }

  private static void json(HttpServerResponse response, int status, String body) {
    if (!response.closed()) {
      response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
