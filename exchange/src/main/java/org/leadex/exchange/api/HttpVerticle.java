package org.leadex.exchange.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Consumer;

/**
 * One HTTP server instance on one event loop. Several are deployed on the same port (one per
 * core); Vert.x spreads connections among them. Routes are mounted by the capability route classes.
 */
public final class HttpVerticle extends VerticleBase {
  private final int port;
  private final int drainSeconds;
  private final List<Consumer<Router>> routes;
  private HttpServer server;

  public HttpVerticle(int port, int drainSeconds, List<Consumer<Router>> routes) {
    this.port = port;
    this.drainSeconds = drainSeconds;
    this.routes = routes;
  }

  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
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
    server = vertx.createHttpServer(options).requestHandler(router);
    return server.listen(port, "0.0.0.0");
  }

  @Override
  public Future<?> stop() {
    // Graceful: no new connections; in-flight pings and posts finish, bounded by the drain time.
    return server == null ? Future.succeededFuture() : server.shutdown(drainSeconds, java.util.concurrent.TimeUnit.SECONDS);
  }
}
