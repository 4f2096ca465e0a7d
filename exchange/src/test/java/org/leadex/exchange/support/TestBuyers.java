package org.leadex.exchange.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.leadex.exchange.json.Json;

/**
 * Real buyer endpoints for scenarios: one Vert.x HTTP server on loopback, hosting buyers at
 * {@code /{id}/bid} and {@code /{id}/post}, each scripted by the test (bid, no bid, delay, hang,
 * status, garbage, a huge body; accept or reject posts) and recording every request it receives.
 */
public final class TestBuyers implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final HttpServer server;

  /** What one buyer does; change it any time (fields are read per request). */
  public static final class Script {
    public volatile String bid;              // JSON number text, e.g. "14.25"; null answers 204
    public volatile String bidId;
    public volatile String sharedBid;        // JSON number text: its price for the lead shared (best campaigns)
    public volatile long delayMillis;
    public volatile boolean hang;
    public volatile int status = 200;
    public volatile String rawBody;          // sent as is instead of a bid
    public volatile int hugeBytes;           // streams this many bytes instead of a bid
    public volatile boolean accept = true;
    public volatile String rejectReason = "not_interested";
    public volatile long postDelayMillis;
    public final List<JsonNode> bidRequests = new CopyOnWriteArrayList<>();
    public final List<JsonNode> postRequests = new CopyOnWriteArrayList<>();

    public Script bids(String price) {
      this.bid = price;
      return this;
    }

    public Script rejects() {
      this.accept = false;
      return this;
    }
  }

  /** TCP connections the buyers' server has accepted, for all buyers served here. */
  public final java.util.concurrent.atomic.AtomicInteger connectionsOpened = new java.util.concurrent.atomic.AtomicInteger();

  private TestBuyers() {
    server = await(vertx.createHttpServer().requestHandler(this::handle)
        .connectionHandler(connection -> connectionsOpened.incrementAndGet()).listen(0, "127.0.0.1"));
  }

  public static TestBuyers start() {
    return new TestBuyers();
  }

  public Script buyer(String id) {
    return scripts.computeIfAbsent(id, k -> new Script());
  }

  public String bidUrl(String id) {
    return "http://127.0.0.1:" + server.actualPort() + "/" + id + "/bid";
  }

  public String postUrl(String id) {
    return "http://127.0.0.1:" + server.actualPort() + "/" + id + "/post";
  }

  /** The buyer document for the admin API: a bidding buyer served here. */
  public String bidderJson(String id, int timeoutMs) {
    return "{\"name\":\"" + id + "\",\"bid_url\":\"" + bidUrl(id) + "\",\"post_url\":\"" + postUrl(id)
        + "\",\"timeout_ms\":" + timeoutMs + "}";
  }

  /** A fixed-price buyer served here (posts only). */
  public String fixedPriceJson(String id, String price) {
    return "{\"name\":\"" + id + "\",\"fixed_price\":" + price + ",\"post_url\":\"" + postUrl(id) + "\"}";
  }

  private void handle(HttpServerRequest request) {
    String[] parts = request.path().split("/");
    if (parts.length != 3) {
      request.response().setStatusCode(404).end();
      return;
    }
    Script script = buyer(parts[1]);
    request.body().onSuccess(body -> {
      JsonNode json = Json.parse(body.toString());
      if (parts[2].equals("bid")) {
        script.bidRequests.add(json);
        if (script.hang) {
          return; // never answers
        }
        vertx.setTimer(Math.max(1, script.delayMillis), id -> answerBid(request, script));
      } else {
        script.postRequests.add(json);
        vertx.setTimer(Math.max(1, script.postDelayMillis), id -> {
          String answer = script.accept
              ? "{\"accepted\":true,\"reference\":\"ref-" + parts[1] + "\"}"
              : "{\"accepted\":false,\"reason\":\"" + script.rejectReason + "\"}";
          request.response().putHeader("content-type", "application/json").end(answer);
        });
      }
    });
  }

  private static void answerBid(HttpServerRequest request, Script script) {
    var response = request.response();
    if (script.hugeBytes > 0) {
      response.setChunked(true).putHeader("content-type", "application/json");
      Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
      for (int sent = 0; sent < script.hugeBytes && !response.closed(); sent += chunk.length()) {
        response.write(chunk);
      }
      if (!response.closed()) {
        response.end();
      }
      return;
    }
    if (script.rawBody != null) {
      response.setStatusCode(script.status).end(script.rawBody);
      return;
    }
    if (script.status != 200) {
      response.setStatusCode(script.status).end("{\"error\":\"boom\"}");
      return;
    }
    if (script.bid == null) {
      response.setStatusCode(204).end();
      return;
    }
    response.putHeader("content-type", "application/json").end("{\"bid\":" + script.bid
        + (script.bidId == null ? "" : ",\"bid_id\":\"" + script.bidId + "\"")
        + (script.sharedBid == null ? "" : ",\"shared_bid\":" + script.sharedBid) + "}");
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
