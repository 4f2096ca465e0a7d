package org.leadex.exchange.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP servers: one per event loop, all on the same port (Vert.x spreads connections among
 * them). They are created from the starting thread rather than deployed as verticles on purpose:
 * resources that a request handler creates (the buyers' HTTP clients) then belong to the Vert.x
 * instance, not to a deployment, and live until the exchange closes them, after the servers have
 * drained.
 */
public final class HttpEdge {
  private final List<HttpServer> servers = new ArrayList<>();

  /** Starts {@code instances} servers on {@code port} with the routes the capability classes mount. */
  public Future<Void> start(Vertx vertx, int port, int instances, List<Consumer<Router>> routes) {
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      Router router = Router.router(vertx);
      routes.forEach(mount -> mount.accept(router));
      router.route().last().handler(ctx -> ctx.fail(ApiError.notFound(
          "no such endpoint: " + ctx.request().method() + " " + ctx.request().path())));
      router.route().failureHandler(ErrorResponses::handle);
      HttpServerOptions options = new HttpServerOptions()
          .setMaxInitialLineLength(8 * 1024)
          .setMaxHeaderSize(16 * 1024)
          .setIdleTimeout(120)
          .setCompressionSupported(false);
      HttpServer server = vertx.createHttpServer(options).requestHandler(router);
      servers.add(server);
      listening.add(server.listen(port, "0.0.0.0"));
    }
    return Future.all(listening).mapEmpty();
  }

  /** Graceful: no new connections; in-flight requests finish, for at most {@code drainSeconds}. */
  public Future<Void> shutdown(int drainSeconds) {
    List<Future<Void>> closing = new ArrayList<>();
    for (HttpServer server : servers) {
      closing.add(server.shutdown(drainSeconds, TimeUnit.SECONDS));
    }
    return Future.join(closing).mapEmpty();
  }
}
