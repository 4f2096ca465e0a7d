package org.leadex.simulator.certify;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the kit's requests to a buyer the way the exchange does (exchange/…/buyers/BidClient and
 * BuyerEndpoint): Vert.x HTTP/1.1 on a keep-alive connection, a 1 s connect timeout, the clock
 * started before the connection is taken, the body read chunk by chunk and the request reset once
 * it passes 64 KiB. Unlike the exchange it keeps listening past the deadline (the caller's wait),
 * so that the report can say how late an answer was and what it said.
 *
 * <p>Blocking: {@link #send} waits for the answer, so call it from a plain thread (the command's
 * main thread, a test), never from an event loop. One request at a time, on one connection,
 * as a buyer's requests mostly arrive from the exchange.
 */
public final class BuyerCall implements AutoCloseable {
  private final Vertx vertx;
  /**
   * Every request starts on this one event-loop context, so that its callbacks run as the answer
   * arrives: callbacks of a request started from a plain thread are queued as tasks, and by the
   * time they run a short answer may have ended unseen.
   */
  private final Context context;
  private final HttpClient client;

  public BuyerCall(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient(new HttpClientOptions()
            .setKeepAlive(true)
            .setConnectTimeout(1_000)
            .setMaxInitialLineLength(4096)
            .setMaxHeaderSize(16 * 1024)
            .setName("buyer-certify"),
        new PoolOptions().setHttp1MaxSize(1));
  }

  /** POSTs a JSON body and returns what came back within {@code waitMillis}. */
  WireAnswer send(URI url, byte[] body, long waitMillis) {
    return send(HttpMethod.POST, url.toString(), java.util.Map.of("Content-Type", "application/json"), body, waitMillis);
  }

  /**
   * Sends any request (a buyer's own API: its method, headers and body; {@code body} null for none)
   * and returns what came back within {@code waitMillis}.
   */
  public WireAnswer send(HttpMethod method, String url, java.util.Map<String, String> headers, byte[] body,
                         long waitMillis) {
    Promise<WireAnswer> done = Promise.promise();
    long start = System.nanoTime();
    // Started on the context, read back on this thread: hand-overs go through atomics and the promise.
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    AtomicInteger status = new AtomicInteger();
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(url)
        .putHeader(HttpHeaders.USER_AGENT, "leadex-buyer-certify/0.1");
    headers.forEach(options::putHeader);
    long[] timer = new long[1];
    context.runOnContext(go -> {
      timer[0] = vertx.setTimer(Math.max(1, waitMillis), id -> {
        if (done.tryComplete(new WireAnswer(status.get(), null, new byte[0], elapsed(start), WireAnswer.Ending.SILENT, null, null))
            && sent.get() != null) {
          sent.get().reset(); // the next request must not queue behind a silent one on the only connection
        }
      });
      client.request(options)
          .compose(request -> {
            if (done.future().isComplete()) {
              request.reset(); // the wait ended before a connection was had: send nothing late
              return io.vertx.core.Future.failedFuture("no connection within the wait");
            }
            sent.set(request);
            return body == null ? request.send() : request.send(Buffer.buffer(body));
          })
          .onSuccess(response -> read(response, start, status, done))
          .onFailure(e -> done.tryComplete(failed(start, e)));
    });
    try {
      return done.future().await(waitMillis + 10_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the kit's own wait did not end: " + e.getMessage(), e);
    } finally {
      context.runOnContext(v -> vertx.cancelTimer(timer[0]));
    }
  }

  private static void read(HttpClientResponse response, long start, AtomicInteger status, Promise<WireAnswer> done) {
    status.set(response.statusCode());
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    Buffer body = Buffer.buffer();
    response.exceptionHandler(e -> done.tryComplete(failed(start, e)));
    response.handler(chunk -> {
      if (body.length() + chunk.length() > WireAnswer.MAX_ANSWER_BYTES) {
        body.appendBuffer(chunk, 0, WireAnswer.MAX_ANSWER_BYTES - body.length());
        done.tryComplete(new WireAnswer(response.statusCode(), type, body.getBytes(), elapsed(start),
            WireAnswer.Ending.TOO_LARGE, null, null));
        response.handler(null);
        response.request().reset();
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> done.tryComplete(new WireAnswer(response.statusCode(), type, body.getBytes(), elapsed(start),
        WireAnswer.Ending.COMPLETE, null, null)));
  }

  /** The exchange's two forms of a failure's reason: the bid's "Class: message" and the post's message. */
  private static WireAnswer failed(long start, Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String cut = message.length() <= 200 ? message : message.substring(0, 200);
    return new WireAnswer(0, null, new byte[0], elapsed(start), WireAnswer.Ending.FAILED,
        e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + cut), message);
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  public void close() {
    try {
      client.close().await(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      // closing is best effort: the process or test is ending anyway
    }
  }
}
