package org.leadex.exchange.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.function.Function;
import org.leadex.exchange.json.Json;

/**
 * One trial call of a buyer's adapter for {@code adapter-test}: renders the request, sends it (unless
 * it is a dry run) within a timeout, reads at most 64 KiB of the answer, and shows what each rule
 * read and what the exchange concludes from it, through the same {@link Adapter} and the same
 * answer readers the live calls use. Everything shown has the buyer's secrets masked. Its own HTTP
 * client, so that a trial never takes a connection a live ping needs.
 */
public final class AdapterTrial {
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final HttpClient client;

  public AdapterTrial(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(2_000)
        .setName("adapter-test"));
  }

  /**
   * @param conclude what the exchange makes of the answer (a bid, a post's acceptance), as JSON
   */
  public Future<ObjectNode> run(Adapter adapter, Secrets secrets, Map<String, Object> context, boolean dryRun,
                                int timeoutMs, Function<AdapterResponse, JsonNode> conclude) {
    AdapterRequest request = adapter.render(context);
    ObjectNode out = Json.object();
    out.put("kind", adapter.kind() == Adapter.Kind.BID ? "bid" : "post");
    out.put("dry_run", dryRun);
    out.set("request", request.shown(secrets));
    if (dryRun) {
      return Future.succeededFuture(out);
    }
    long start = System.nanoTime();
    Promise<ObjectNode> done = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> done.tryComplete(failed(out, "no answer within " + timeoutMs + " ms")));
    RequestOptions options = new RequestOptions().setMethod(request.method()).setAbsoluteURI(request.url())
        .setIdleTimeout(timeoutMs + 1_000L);
    request.headers().forEach(options::putHeader);
    client.request(options)
        .compose(sent -> request.body() == null ? sent.send() : sent.send(Buffer.buffer(request.body())))
        .onSuccess(response -> {
          Buffer body = Buffer.buffer();
          response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_ANSWER_BYTES) {
              done.tryComplete(failed(out, "too_large: answer over " + MAX_ANSWER_BYTES + " bytes"));
              response.request().reset();
            } else {
              body.appendBuffer(chunk);
            }
          });
          response.exceptionHandler(e -> done.tryComplete(failed(out, secrets.mask("error: " + e.getMessage()))));
          response.endHandler(v -> {
            AdapterResponse answer = new AdapterResponse(response.statusCode(), response.getHeader("content-type"),
                body.getBytes());
            ObjectNode shown = out.putObject("response");
            shown.put("status", answer.status());
            shown.put("content_type", secrets.mask(answer.contentType()));
            shown.put("latency_ms", (System.nanoTime() - start) / 1_000_000);
            shown.put("body", answer.excerpt(secrets));
            out.set("read", adapter.rules().readAll(answer));
            out.set("answer", conclude.apply(answer));
            done.tryComplete(out);
          });
        })
        .onFailure(e -> done.tryComplete(failed(out, secrets.mask("error: " + e.getMessage()))));
    return done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private static ObjectNode failed(ObjectNode out, String error) {
    out.putNull("response");
    out.put("error", error);
    return out;
  }

  public void close() {
    client.close();
  }
}
