package org.leadex.loadtest.support;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/** A real HTTP server on a free loopback port, answering as the test says. */
public final class TestServer implements AutoCloseable {
  private final HttpServer server;

  private TestServer(HttpServer server) {
    this.server = server;
  }

  public static TestServer start(Vertx vertx, Handler<HttpServerRequest> handler) {
    return start(vertx, handler, c -> { });
  }

  public static TestServer start(Vertx vertx, Handler<HttpServerRequest> handler,
      Handler<HttpConnection> onConnection) {
    try {
      HttpServer server = vertx.createHttpServer()
          .connectionHandler(onConnection)
          .requestHandler(req -> {
            req.exceptionHandler(t -> { });
            req.response().exceptionHandler(t -> { });
            handler.handle(req);
          })
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      return new TestServer(server);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    try {
      server.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Best effort.
    }
  }
}
