package org.leadex.exchange.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP servers: one per event loop, all on the same port (Vert.x spreads connections among
 * them). Each server is created on an event-loop context of its own. Two things follow, both on
 * purpose: every server has its own event loop (created from the starting thread without a context
 * of their own, all servers would share that thread's one sticky context, and so one core), and
 * since these contexts belong to no verticle deployment, what a request handler creates (the
 * buyers' HTTP clients) lives until the exchange closes it, after the servers have drained.
 */
public final class HttpEdge {
  private final List<HttpServer> servers = new ArrayList<>();

  /** Starts {@code instances} servers on {@code port} with the routes the capability classes mount. */
  public Future<Void> start(Vertx vertx, int port, int instances, List<Consumer<Router>> routes,
                            org.leadex.exchange.metrics.LoopLag lag) {
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      Router router = Router.router(vertx);
      routes.forEach(mount -> mount.accept(router));
      router.route().last().handler(ctx -> ctx.fail(ApiError.notFound(
          "no such endpoint: " + ctx.request().method() + " " + ctx.request().path())));
      router.route().failureHandler(ErrorResponses::handle);
      // Requests that fail before any route runs (a path with a broken %-escape) get JSON errors too.
      router.errorHandler(400, ErrorResponses::malformed);
      HttpServerOptions options = new HttpServerOptions()
          .setMaxInitialLineLength(8 * 1024)
          .setMaxHeaderSize(16 * 1024)
          .setIdleTimeout(120)
          .setCompressionSupported(false);
      ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
      io.vertx.core.Promise<HttpServer> listened = io.vertx.core.Promise.promise();
      context.runOnContext(v -> {
        lag.watchCurrentLoop(vertx);
        HttpServer server = vertx.createHttpServer(options).requestHandler(router)
            .invalidRequestHandler(ErrorResponses::invalidRequest);
        synchronized (servers) {
          servers.add(server);
        }
        server.listen(port, "0.0.0.0").onComplete(listened);
      });
      listening.add(listened.future());
    }
    return Future.all(listening).mapEmpty();
  }

  /** Graceful: no new connections; in-flight requests finish, for at most {@code drainSeconds}. */
  public Future<Void> shutdown(int drainSeconds) {
    List<Future<Void>> closing = new ArrayList<>();
    List<HttpServer> all;
    synchronized (servers) {
      all = List.copyOf(servers);
    }
    for (HttpServer server : all) {
      closing.add(server.shutdown(drainSeconds, TimeUnit.SECONDS));
    }
    return Future.join(closing).mapEmpty();
  }
}
