package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.compliance.SuppressionStore;
import org.leadex.exchange.compliance.SuppressionUpload;
import org.leadex.exchange.compliance.Suppressions;
import org.leadex.exchange.json.Json;

/**
 * {@code PUT /v1/buyers/me/suppression} (buyer): replaces the buyer's suppression list with the
 * body, {@code text/plain}, one SHA-256 hex digest per line, up to 10 million lines. The body is
 * never buffered: it is parsed as it streams in ({@link SuppressionUpload}, 8 bytes kept per line).
 * A bad line makes the whole upload 400 {@code validation_failed} (the rest of the body is read and
 * dropped, so the answer reaches the client) and the list in force stays as it was. Thin.
 */
public final class SuppressionRoutes {
  private static final Set<Role> BUYER = EnumSet.of(Role.BUYER);

  private final Vertx vertx;
  private final Authenticator auth;
  private final CatalogCache catalog;
  private final SuppressionStore store;
  private final Suppressions suppressions;
  private final Clock clock;

  public SuppressionRoutes(Vertx vertx, Authenticator auth, CatalogCache catalog, SuppressionStore store,
                           Suppressions suppressions, Clock clock) {
    this.vertx = vertx;
    this.auth = auth;
    this.catalog = catalog;
    this.store = store;
    this.suppressions = suppressions;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.put("/v1/buyers/me/suppression").handler(this::upload);
  }

  private void upload(RoutingContext ctx) {
    Principal principal = auth.require(ctx, BUYER);
    Buyer buyer = catalog.current().buyer(principal.id()).orElseThrow(() -> ApiError.unauthorized("unknown buyer"));
    HttpServerRequest request = ctx.request();
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")) {
      throw ApiError.validation(null, "a suppression list is text/plain: one SHA-256 hex digest per line");
    }
    String length = request.getHeader("Content-Length");
    if (length != null && parseLong(length) > SuppressionUpload.MAX_BYTES) {
      ctx.put(Bodies.LIMIT_KEY, SuppressionUpload.MAX_BYTES);
      ctx.response().putHeader("Connection", "close");
      throw ApiError.payloadTooLarge(SuppressionUpload.MAX_BYTES);
    }
    SuppressionUpload upload = new SuppressionUpload();
    boolean[] tooLarge = new boolean[1];
    request.handler(chunk -> {
      if (tooLarge[0]) {
        return;
      }
      upload.feed(chunk);
      if (upload.bytes() > SuppressionUpload.MAX_BYTES) {
        tooLarge[0] = true;
        ctx.response().putHeader("Connection", "close");
        ctx.fail(ApiError.payloadTooLarge(SuppressionUpload.MAX_BYTES));
      }
    });
    request.exceptionHandler(e -> {
      if (!ctx.response().ended() && !ctx.failed()) {
        ctx.fail(e);
      }
    });
    request.endHandler(v -> {
      if (tooLarge[0]) {
        return;
      }
      upload.finish();
      if (upload.error() != null) {
        ctx.fail(ApiError.validation(null, upload.error() + "; the suppression list was not changed"));
        return;
      }
      // sorting up to 10 million prefixes takes about a second: a worker's job, not the event loop's
      vertx.executeBlocking(upload::sortedPrefixes, false)
          .compose(prefixes -> store.replace(buyer.id(), prefixes, clock.instant())
              .compose(version -> suppressions.install(buyer.id(), version, prefixes)))
          .onSuccess(list -> {
            ObjectNode answer = Json.object();
            answer.put("buyer", buyer.code());
            answer.put("hashes", list.size());
            answer.put("memory_bytes", list.bytes());
            Bodies.json(ctx, 200, answer);
          })
          .onFailure(ctx::fail);
    });
    request.resume();
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw ApiError.validation(null, "Content-Length is not a number");
    }
  }
}
