package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.leadex.exchange.billing.Wallets;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.AuditLog;
import org.leadex.exchange.money.Money;

/**
 * {@code POST /v1/admin/buyers/{id}/funds} (admin or finance): funds a prepaid buyer's wallet, or
 * adjusts it with a negative amount and a reason, audited with who did it ({@code GET
 * /v1/admin/audit?target=buyers/<id>}). Answers the balance after it. Thin.
 */
public final class WalletRoutes {
  private static final Set<Role> FINANCE = EnumSet.of(Role.ADMIN, Role.FINANCE);
  private static final BigDecimal MAX = BigDecimal.valueOf(Money.MAX_CENTS, 2);

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final Wallets wallets;

  public WalletRoutes(Authenticator auth, CatalogCache catalog, Wallets wallets) {
    this.auth = auth;
    this.catalog = catalog;
    this.wallets = wallets;
  }

  public void mount(Router router) {
    router.post("/v1/admin/buyers/:id/funds").handler(auth.gate(FINANCE)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(this::fund);
  }

  private void fund(RoutingContext ctx) {
    Principal who = auth.require(ctx, FINANCE);
    String code = ctx.pathParam("id");
    DocReader body = DocReader.of(Bodies.object(ctx), "");
    BigDecimal decimal = body.optDecimal("amount", MAX.negate(), MAX).orElseThrow(() -> body.missing("amount"));
    Money amount = Money.exact(decimal)
        .orElseThrow(() -> ApiError.validation("amount", "amount must have at most 2 decimal places"));
    Optional<String> reference = body.optString("reference", 200);
    Optional<String> reason = body.optString("reason", 500);
    body.done();
    if (amount.cents() == 0) {
      throw ApiError.validation("amount", "amount must not be 0");
    }
    if (amount.cents() < 0 && reason.filter(r -> !r.isBlank()).isEmpty()) {
      throw ApiError.validation("reason", "a negative amount is an adjustment and needs a reason");
    }
    Buyer buyer = catalog.current().buyer(code).orElseThrow(() -> ApiError.notFound("no buyer '" + code + "'"));
    if (!buyer.billing().prepaid()) {
      throw ApiError.conflict("buyer '" + code + "' is postpaid: it has no wallet to fund");
    }
    ObjectNode audited = Json.object();
    audited.put("amount", amount.toDecimal());
    audited.put("reference", reference.orElse(null));
    audited.put("reason", reason.orElse(null));
    wallets.fund(buyer, amount, reference.orElse(null), reason.orElse(null),
        conn -> AuditLog.record(conn, who, amount.cents() < 0 ? "wallet.adjust" : "wallet.fund", "buyers/" + code, audited))
        .onSuccess(funded -> {
          if (funded.refused() != null) {
            ctx.fail(ApiError.conflict(funded.refused()));
            return;
          }
          ObjectNode answer = Json.object();
          answer.put("balance", funded.balance().toDecimal());
          Bodies.json(ctx, 200, answer);
        })
        .onFailure(ctx::fail);
  }
}
