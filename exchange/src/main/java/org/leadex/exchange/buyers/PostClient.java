package org.leadex.exchange.buyers;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.leadex.exchange.adapters.Adapter;
import org.leadex.exchange.adapters.AdapterRequest;
import org.leadex.exchange.adapters.AdapterResponse;
import org.leadex.exchange.adapters.BuyerAdapters;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.catalog.Buyer;

/**
 * Delivers a lead to a buyer's post_url (or through its post adapter) within the post's budget. The future always succeeds with
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

  /** @param post the lead as this buyer is sent it: built here, in the form the buyer reads */
  public Future<PostAnswer> deliver(Buyer buyer, PostRequest post, int timeoutMs) {
    long start = System.nanoTime();
    BuyerAdapters adapters = buyer.adapters();
    Adapter adapter = adapters.post().orElse(null);
    RequestOptions options;
    Buffer body;
    if (adapter == null) {
      body = post.json();
      options = new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setAbsoluteURI(buyer.postUrl().toString())
          .putHeader("content-type", "application/json");
    } else {
      try {
        AdapterRequest rendered = adapter.render(post.adapterContext(adapters.secrets()));
        body = rendered.body() == null ? null : Buffer.buffer(rendered.body());
        options = new RequestOptions().setMethod(rendered.method()).setAbsoluteURI(rendered.url());
        rendered.headers().forEach(options::putHeader);
      } catch (RuntimeException e) { // nothing was sent: the buyer has not got the lead
        return Future.succeededFuture(PostAnswer.rejected(adapters.secrets().mask("adapter: " + e.getMessage()), 0));
      }
    }
    options.setIdleTimeout(timeoutMs + 1_000L);
    Secrets secrets = adapters.secrets();
    Promise<PostAnswer> promise = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (promise.tryComplete(PostAnswer.rejected("timeout after " + timeoutMs + " ms", elapsed(start)))
          && sent[0] != null) {
        sent[0].reset();
      }
    });
    int limit = endpoints.settings().maxAnswerBytes();
    endpoints.of(buyer).postClient().request(options)
        .compose(request -> {
          if (promise.future().isComplete()) {
            // Waited for a connection past the post's budget: the exchange has moved on, so this
            // buyer must never receive the lead (it would be sold twice).
            request.reset();
            return io.vertx.core.Future.failedFuture("post budget spent before a connection was free");
          }
          sent[0] = request;
          return body == null ? request.send() : request.send(body);
        })
        .onSuccess(response -> {
          Buffer answer = Buffer.buffer();
          response.exceptionHandler(e -> promise.tryComplete(PostAnswer.rejected(
              secrets.mask("error: " + e.getMessage()), elapsed(start))));
          response.handler(chunk -> {
            if (answer.length() + chunk.length() > limit) {
              promise.tryComplete(PostAnswer.rejected("too_large: answer over " + limit + " bytes", elapsed(start)));
              response.handler(null);
              response.request().reset();
            } else {
              answer.appendBuffer(chunk);
            }
          });
          response.endHandler(v -> promise.tryComplete(adapter == null
              ? PostAnswer.read(response.statusCode(), answer.getBytes(), elapsed(start))
              : AdaptedAnswers.post(adapter.rules(), new AdapterResponse(response.statusCode(),
                  response.getHeader("content-type"), answer.getBytes()), secrets, elapsed(start))));
        })
        .onFailure(e -> promise.tryComplete(PostAnswer.rejected(secrets.mask("error: " + e.getMessage()),
            elapsed(start))));
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
