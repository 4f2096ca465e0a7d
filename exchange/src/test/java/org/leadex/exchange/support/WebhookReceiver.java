package org.leadex.exchange.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver of webhooks for scenarios (a CRM, a chat channel): one Vert.x server on
 * loopback; each path answers the status its test sets, or holds its requests until released, and
 * records what it received.
 */
public final class WebhookReceiver implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

  /** What one path received; {@code status} is read per request. */
  public static final class Endpoint {
    public volatile int status = 200;
    public volatile boolean hold;
    /** The body of each answer (with {@link #answerType}); empty when null. */
    public volatile String answer;
    public volatile String answerType = "application/xml";
    public final List<Received> received = new CopyOnWriteArrayList<>();
    final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  }

  public record Received(String contentType, String body) {}

  private WebhookReceiver() {
    server = await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  public static WebhookReceiver start() {
    return new WebhookReceiver();
  }

  public Endpoint at(String path) {
    return endpoints.computeIfAbsent(path, p -> new Endpoint());
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + "/" + path;
  }

  /** Answers the requests a held path kept waiting, and stops holding. */
  public void release(String path) {
    Endpoint endpoint = at(path);
    endpoint.hold = false;
    vertx.runOnContext(v -> {
      endpoint.held.forEach(r -> r.response().setStatusCode(endpoint.status).end());
      endpoint.held.clear();
    });
  }

  private void handle(HttpServerRequest request) {
    Endpoint endpoint = at(request.path().substring(1));
    request.body().onSuccess(body -> {
      endpoint.received.add(new Received(request.getHeader("content-type"), body.toString()));
      if (endpoint.hold) {
        endpoint.held.add(request);
      } else {
        String answer = endpoint.answer;
        if (answer == null) {
          request.response().setStatusCode(endpoint.status).end();
        } else {
          request.response().setStatusCode(endpoint.status).putHeader("content-type", endpoint.answerType).end(answer);
        }
      }
    });
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
