package org.leadex.exchange.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.replay.ReplayRequest;
import org.leadex.exchange.replay.ReplayRunner;

/** {@code POST /v1/admin/replay} (admin): a campaign's recorded pings decided again under changes (docs/replay.md). Thin. */
public final class ReplayRoutes {
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final ReplayRunner runner;

  public ReplayRoutes(Authenticator auth, CatalogCache catalog, ReplayRunner runner) {
    this.auth = auth;
    this.catalog = catalog;
    this.runner = runner;
  }

  public void mount(Router router) {
    router.post("/v1/admin/replay").handler(auth.gate(ADMIN)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(this::replay);
  }

  private void replay(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    ReplayRequest request = ReplayRequest.read(Bodies.object(ctx));
    runner.run(catalog.current(), request)
        .onSuccess(answer -> Bodies.json(ctx, 200, answer))
        .onFailure(ctx::fail);
  }
}
