package org.leadex.loadtest.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bare fan-out on one event loop: takes a ping, sends one bid request to every buyer at once,
 * and answers with the best bid when all have answered or the deadline passes. No validation,
 * routing, ledger or money: the platform's own ceiling, against which the exchange is measured.
 *
 * <p>Threading: event-loop confined; a ping and all its buyer calls run on this verticle's loop.
 *
 * <p>What it takes from PERFORMANCE-NOTES: the deadline starts at the ping's arrival and a ping
 * already past it is answered at once without fanning out; late buyer answers are ignored but
 * left to finish on their keep-alive connection (resetting them at the deadline closes the
 * connection and feeds reconnect storms), and only a request silent for {@code abandonMs} is
 * closed; every client request has an exception handler; an answer's size is bounded.
 */
final class FanOutVerticle extends VerticleBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PING_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 1024 * 1024;

  private final ReferenceSettings settings;
  private final ReferenceStats stats;
  private final AtomicLong inFlight;
  private final String idPrefix;
  private final List<RequestOptions> buyers = new ArrayList<>();
  private HttpClientAgent client;
  private HttpServer server;
  private long nextId;

  FanOutVerticle(ReferenceSettings settings, ReferenceStats stats, AtomicLong inFlight,
      int instance) {
    this.settings = settings;
    this.stats = stats;
    this.inFlight = inFlight;
    this.idPrefix = "ref-" + Long.toString(System.currentTimeMillis(), 36) + "-" + instance + "-";
    for (URI buyer : settings.buyers()) {
      buyers.add(new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setHost(buyer.getHost())
          .setPort(buyer.getPort() > 0 ? buyer.getPort() : 80)
          .setURI(buyer.getRawPath()
              + (buyer.getRawQuery() == null ? "" : "?" + buyer.getRawQuery()))
          .putHeader("content-type", "application/json")
          .setIdleTimeout(settings.abandonMs()));
    }
  }

  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
            .setConnectTimeout((int) Math.max(1, settings.abandonMs())))
        .with(new PoolOptions().setHttp1MaxSize(settings.buyerConnections()))
        .build();
    server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(this::route);
    return server.listen(settings.port(), settings.host());
  }

  @Override
  public Future<?> stop() {
    return server.close().eventually(() -> client.close());
  }

  private void route(HttpServerRequest req) {
    long arrivalNanos = System.nanoTime();
    req.exceptionHandler(t -> { });
    String path = req.path();
    if (req.method() == HttpMethod.POST && path.equals("/v1/ping")) {
      readBody(req, MAX_PING_BYTES, body -> ping(req, body, arrivalNanos));
    } else if (req.method() == HttpMethod.POST
        && (path.equals("/v1/post") || path.equals("/v1/leads"))) {
      readBody(req, MAX_BODY_BYTES, body -> answer(req, 200,
          "{\"lead_id\":\"" + idPrefix + nextId++
              + "\",\"status\":\"unsold\",\"reason\":\"no_offer\"}"));
    } else if (req.method() == HttpMethod.GET && path.equals("/health")) {
      answer(req, 200, "{\"status\":\"ok\",\"server\":\"reference-fan-out\"}");
    } else if (req.method() == HttpMethod.GET && path.equals("/stats")) {
      answer(req, 200, write(stats.snapshot(inFlight.get())));
    } else {
      answer(req, 404, "{\"error\":\"not_found\",\"message\":\"The reference server has no "
          + "such endpoint.\"}");
    }
  }

  private void ping(HttpServerRequest req, Buffer body, long arrivalNanos) {
    stats.pings.increment();
    long deadlineNanos = arrivalNanos + (settings.deadlineMs() - settings.reserveMs()) * 1_000_000;
    JsonNode ping;
    try {
      ping = JSON.readTree(body.getBytes());
    } catch (Exception e) {
      answer(req, 400, "{\"error\":\"invalid_json\",\"message\":\"The body is not JSON.\"}");
      return;
    }
    if (!(ping instanceof ObjectNode) || !ping.path("lead").isObject()) {
      answer(req, 400, "{\"error\":\"validation_failed\",\"message\":\"A ping needs a lead "
          + "object.\",\"field\":\"lead\"}");
      return;
    }
    String pingId = idPrefix + nextId++;
    long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (remainingMs <= 0) {
      stats.droppedLate.increment();
      noBid(req, pingId);
      return;
    }
    if (settings.maxInFlight() > 0 && inFlight.get() >= settings.maxInFlight()) {
      stats.overloaded.increment();
      req.response().putHeader("retry-after", "1");
      answer(req, 503, "{\"error\":\"overloaded\",\"message\":\"Too many pings in flight.\"}");
      return;
    }
    ObjectNode bidRequest = JSON.createObjectNode();
    bidRequest.put("ping_id", pingId);
    bidRequest.put("campaign", ping.path("campaign").asText(""));
    bidRequest.put("vertical", settings.vertical());
    bidRequest.put("tmax_ms", remainingMs);
    bidRequest.put("test", false);
    bidRequest.set("lead", ping.get("lead"));
    // Serialised once, sent to every buyer (Vert.x writes a duplicate of the buffer each time).
    Buffer bidBody = Buffer.buffer(write(bidRequest));

    inFlight.incrementAndGet();
    FanOut fanOut = new FanOut(buyers.size(), cents -> {
      inFlight.decrementAndGet();
      if (cents == FanOut.NO_BID) {
        noBid(req, pingId);
      } else {
        stats.bids.increment();
        answer(req, 200, "{\"ping_id\":\"" + pingId + "\",\"status\":\"bid\",\"price\":"
            + BigDecimal.valueOf(cents, 2).toPlainString() + "}");
      }
    });
    if (fanOut.ended()) {
      return;
    }
    long timer = vertx.setTimer(Math.max(1, remainingMs), id -> fanOut.deadlinePassed());
    for (RequestOptions buyer : buyers) {
      callBuyer(buyer, bidBody, fanOut, timer);
    }
  }

  private void callBuyer(RequestOptions buyer, Buffer bidBody, FanOut fanOut, long timer) {
    BuyerCall call = new BuyerCall(fanOut, timer);
    client.request(buyer).onComplete(created -> {
      if (created.failed()) {
        call.failed(created.cause());
        return;
      }
      HttpClientRequest request = created.result();
      request.exceptionHandler(t -> { }); // failures arrive through the send future
      request.send(bidBody).onComplete(sent -> {
        if (sent.failed()) {
          call.failed(sent.cause());
        } else {
          read(sent.result(), request, call);
        }
      });
    });
  }

  /** Reads a buyer's answer up to the size limit; a larger one is cut off and closed. */
  private void read(HttpClientResponse response, HttpClientRequest request, BuyerCall call) {
    response.exceptionHandler(call::failed);
    String length = response.getHeader("content-length");
    if (length != null && parseLong(length) > settings.maxAnswerBytes()) {
      call.tooLarge();
      request.reset();
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (call.done || call.fanOut.ended()) {
        return; // late or cut off: let it finish on its connection, keep nothing
      }
      if (body.length() + chunk.length() > settings.maxAnswerBytes()) {
        call.tooLarge();
        request.reset();
        return;
      }
      body.appendBuffer(chunk);
    });
    response.endHandler(v ->
        call.answered(BuyerAnswer.read(response.statusCode(), body.getBytes())));
  }

  /** One buyer's part in one ping: settles once, early (counted) or late (ignored). */
  private final class BuyerCall {
    private final FanOut fanOut;
    private final long timer;
    boolean done;

    BuyerCall(FanOut fanOut, long timer) {
      this.fanOut = fanOut;
      this.timer = timer;
    }

    void answered(BuyerAnswer answer) {
      if (settle()) {
        stats.count(answer);
        fanOut.settle(answer);
        cancelTimerIfEnded();
      }
    }

    void tooLarge() {
      if (settle()) {
        stats.callTooLarge.increment();
        fanOut.settle(BuyerAnswer.NO_BID);
        cancelTimerIfEnded();
      }
    }

    void failed(Throwable cause) {
      if (done) {
        return;
      }
      boolean late = fanOut.ended();
      done = true;
      if (cause instanceof TimeoutException
          || cause.getClass().getSimpleName().contains("Timeout")) {
        stats.callAbandoned.increment();
      } else if (late) {
        stats.callLate.increment();
      } else {
        stats.callError.increment();
      }
      if (!late) {
        fanOut.settle(BuyerAnswer.NO_BID);
        cancelTimerIfEnded();
      }
    }

    /** True if this call counts toward its ping; a late one is only counted as late. */
    private boolean settle() {
      if (done) {
        return false;
      }
      done = true;
      if (fanOut.ended()) {
        stats.callLate.increment();
        return false;
      }
      return true;
    }

    private void cancelTimerIfEnded() {
      if (fanOut.ended()) {
        vertx.cancelTimer(timer);
      }
    }
  }

  private void noBid(HttpServerRequest req, String pingId) {
    stats.noBids.increment();
    answer(req, 200, "{\"ping_id\":\"" + pingId + "\",\"status\":\"no_bid\"}");
  }

  private static void answer(HttpServerRequest req, int status, String json) {
    if (req.response().ended() || req.response().closed()) {
      return;
    }
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(json);
  }

  /** Reads a body up to {@code max} bytes; a larger one gets 413 and its connection closes. */
  private static void readBody(HttpServerRequest req, int max, Handler<Buffer> then) {
    String length = req.getHeader("content-length");
    if (length != null && parseLong(length) > max) {
      tooLarge(req);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + chunk.length() > max) {
        over[0] = true;
        tooLarge(req);
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (!over[0]) {
        then.handle(body);
      }
    });
  }

  private static void tooLarge(HttpServerRequest req) {
    req.response().putHeader("connection", "close");
    answer(req, 413, "{\"error\":\"payload_too_large\",\"message\":\"The body is too large.\"}");
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
