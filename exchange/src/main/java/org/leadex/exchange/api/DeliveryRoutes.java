package org.leadex.exchange.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.DeliveryOutbox;

/**
 * Webhook deliveries for operators: {@code GET /v1/admin/deliveries?status=dead|pending|delivered}
 * (newest first, bodies left out since they hold PII) and
 * {@code POST /v1/admin/deliveries/{id}/resend}, which makes a dead (or delivered) delivery pending
 * again with its attempts reset.
 */
public final class DeliveryRoutes {
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
  private static final Set<String> STATUSES = Set.of("pending", "delivered", "dead");

  private final Authenticator auth;
  private final DeliveryOutbox outbox;
  private final CatalogCache catalog;

  public DeliveryRoutes(Authenticator auth, DeliveryOutbox outbox, CatalogCache catalog) {
    this.auth = auth;
    this.outbox = outbox;
    this.catalog = catalog;
  }

  public void mount(Router router) {
    router.get("/v1/admin/deliveries").handler(this::list);
    router.post("/v1/admin/deliveries/:id/resend").handler(this::resend);
  }

  private void list(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    String status = ctx.queryParams().get("status") == null ? "dead" : ctx.queryParams().get("status");
    if (!STATUSES.contains(status)) {
      throw ApiError.validation("status", "status must be one of dead, pending, delivered");
    }
    int limit = limit(ctx.queryParams().get("limit"));
    outbox.list(status, limit, catalog.current()).onSuccess(body -> Bodies.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  private void resend(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    String text = ctx.pathParam("id");
    long id;
    try {
      id = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiError.notFound("no delivery '" + text + "'");
    }
    outbox.resend(id).onSuccess(done -> {
      if (done.isEmpty()) {
        ctx.fail(ApiError.notFound("no delivery '" + text + "'"));
      } else if (!done.get()) {
        ctx.fail(ApiError.conflict("delivery " + id + " is still pending"));
      } else {
        Bodies.json(ctx, 200, Json.object().put("id", String.valueOf(id)).put("status", "pending"));
      }
    }).onFailure(ctx::fail);
  }

  private static int limit(String text) {
    if (text == null) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= 500) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiError.validation("limit", "limit must be 1 to 500");
  }
}
