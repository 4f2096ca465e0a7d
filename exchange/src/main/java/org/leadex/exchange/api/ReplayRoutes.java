package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.replay.ReplayRequest;
import org.leadex.exchange.replay.ReplayRunner;

/**
 * {@code POST /v1/admin/replay} (admin): a campaign's recorded pings decided again under changes
 * (docs/replay.md). Thin. A replay under live traffic can run for minutes, longer than the server's
 * idle timeout (120 s) and many proxies' (60 s): while it runs, the answer is started (200, JSON)
 * and a space is written every {@code heartbeatMillis} (JSON allows leading whitespace), then the
 * figures. A replay that fails after its answer has started ends with the connection reset, never
 * with a 200 that looks complete.
 */
public final class ReplayRoutes {
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final ReplayRunner runner;
  private final long heartbeatMillis;

  public ReplayRoutes(Authenticator auth, CatalogCache catalog, ReplayRunner runner, long heartbeatMillis) {
    this.auth = auth;
    this.catalog = catalog;
    this.runner = runner;
    this.heartbeatMillis = heartbeatMillis;
  }

  public void mount(Router router) {
    router.post("/v1/admin/replay").handler(auth.gate(ADMIN)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(this::replay);
  }

  private void replay(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    ReplayRequest request = ReplayRequest.read(Bodies.object(ctx));
    Promise<Void> checked = Promise.promise();
    Future<ObjectNode> figures = runner.run(catalog.current(), request, checked); // 409 at once when one is running
    HttpServerResponse response = ctx.response();
    long[] heartbeat = {-1};
    // Only a replay whose changes were found valid may start its answer: a refusal is still a 400.
    checked.future().onSuccess(v -> {
      if (figures.isComplete()) {
        return;
      }
      heartbeat[0] = ctx.vertx().setPeriodic(heartbeatMillis, id -> {
        if (response.closed() || response.ended()) {
          return;
        }
        if (!response.headWritten()) {
          response.setStatusCode(200).putHeader("content-type", "application/json").setChunked(true);
        }
        response.write(" ");
      });
    });
    figures.onComplete(done -> {
      if (heartbeat[0] >= 0) {
        ctx.vertx().cancelTimer(heartbeat[0]);
      }
      if (done.failed()) {
        ctx.fail(done.cause()); // ErrorResponses resets a response whose head is written
      } else if (response.headWritten()) {
        response.end(Buffer.buffer(Json.bytes(done.result())));
      } else {
        Bodies.json(ctx, 200, done.result());
      }
    });
  }
}
