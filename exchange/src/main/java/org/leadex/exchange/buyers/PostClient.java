package org.leadex.exchange.buyers;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.leadex.exchange.catalog.Buyer;

/**
 * Delivers a lead to a buyer's post_url within the post's budget. The future always succeeds with
 * a {@link PostAnswer}; a buyer that does not answer in time has rejected the lead, and its request
 * is reset so that it does not take the lead after the exchange has moved on. Event-loop confined
 * per call.
 */
public final class PostClient {
  private final Vertx vertx;
  private final BuyerEndpoints endpoints;

  public PostClient(Vertx vertx, BuyerEndpoints endpoints) {
    this.vertx = vertx;
    this.endpoints = endpoints;
  }

  public Future<PostAnswer> deliver(Buyer buyer, Buffer body, int timeoutMs) {
    long start = System.nanoTime();
    Promise<PostAnswer> promise = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (promise.tryComplete(PostAnswer.rejected("timeout after " + timeoutMs + " ms", elapsed(start)))
          && sent[0] != null) {
        sent[0].reset();
      }
    });
    int limit = endpoints.settings().maxAnswerBytes();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(buyer.postUrl().toString())
        .setIdleTimeout(timeoutMs + 1_000L)
        .putHeader("content-type", "application/json");
    endpoints.of(buyer).postClient().request(options)
        .compose(request -> {
          if (promise.future().isComplete()) {
            // Waited for a connection past the post's budget: the exchange has moved on, so this
            // buyer must never receive the lead (it would be sold twice).
            request.reset();
            return io.vertx.core.Future.failedFuture("post budget spent before a connection was free");
          }
          sent[0] = request;
          return request.send(body);
        })
        .onSuccess(response -> {
          Buffer answer = Buffer.buffer();
          response.exceptionHandler(e -> promise.tryComplete(PostAnswer.rejected("error: " + e.getMessage(), elapsed(start))));
          response.handler(chunk -> {
            if (answer.length() + chunk.length() > limit) {
              promise.tryComplete(PostAnswer.rejected("too_large: answer over " + limit + " bytes", elapsed(start)));
              response.handler(null);
              response.request().reset();
            } else {
              answer.appendBuffer(chunk);
            }
          });
          response.endHandler(v -> promise.tryComplete(
              PostAnswer.read(response.statusCode(), answer.getBytes(), elapsed(start))));
        })
        .onFailure(e -> promise.tryComplete(PostAnswer.rejected("error: " + e.getMessage(), elapsed(start))));
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
