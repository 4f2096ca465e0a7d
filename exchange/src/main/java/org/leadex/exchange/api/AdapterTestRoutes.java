package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.leadex.exchange.adapters.Adapter;
import org.leadex.exchange.adapters.AdapterResponse;
import org.leadex.exchange.adapters.AdapterTrial;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.buyers.AdaptedAnswers;
import org.leadex.exchange.buyers.BidAnswer;
import org.leadex.exchange.buyers.PostAnswer;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * {@code POST /v1/admin/buyers/{id}/adapter-test} (admin) {@code {"kind": "bid"|"post", "lead": {...},
 * "dry_run": false, "price": 10.00, "timeout_ms": N}}: renders the buyer's adapter request as a test
 * lead ({@code "test": true}), sends it unless {@code dry_run}, and answers with the request, the
 * response, what each rule read and what the exchange concludes. Secrets are masked throughout. Thin.
 */
public final class AdapterTestRoutes {
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
  private static final int DEFAULT_POST_TIMEOUT_MS = 3_000;

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final AdapterTrial trial;

  public AdapterTestRoutes(Authenticator auth, CatalogCache catalog, AdapterTrial trial) {
    this.auth = auth;
    this.catalog = catalog;
    this.trial = trial;
  }

  public void mount(Router router) {
    router.post("/v1/admin/buyers/:id/adapter-test").handler(auth.gate(ADMIN)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(this::test);
  }

  private void test(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    String id = ctx.pathParam("id");
    Buyer buyer = catalog.current().buyer(id).orElseThrow(() -> ApiError.notFound("no buyer '" + id + "'"));
    DocReader doc = DocReader.of(Bodies.object(ctx), "");
    String kind = doc.string("kind", 8);
    if (!kind.equals("bid") && !kind.equals("post")) {
      throw ApiError.validation("kind", "kind must be bid or post");
    }
    doc.object("lead"); // any fields: it is the admin's sample lead
    ObjectNode lead = (ObjectNode) doc.raw("lead");
    boolean dryRun = doc.optBoolean("dry_run").orElse(false);
    Money price = doc.optMoney("price").orElse(Money.ofCents(100));
    Adapter.Kind adapterKind = kind.equals("bid") ? Adapter.Kind.BID : Adapter.Kind.POST;
    int timeoutMs = doc.integer("timeout_ms", 1, 60_000,
        adapterKind == Adapter.Kind.BID ? buyer.timeoutMs() : DEFAULT_POST_TIMEOUT_MS);
    doc.done();
    Adapter adapter = (adapterKind == Adapter.Kind.BID ? buyer.adapters().bid() : buyer.adapters().post())
        .orElseThrow(() -> ApiError.validation("kind", "buyer '" + id + "' has no " + adapterKind.field));
    Secrets secrets = buyer.adapters().secrets();
    Map<String, Object> context = context(adapterKind, lead, price, timeoutMs, secrets);
    io.vertx.core.Future<ObjectNode> result;
    try {
      result = trial.run(adapter, secrets, context, dryRun, timeoutMs, answer -> conclude(adapter, answer, secrets));
    } catch (RuntimeException e) { // the template cannot render this lead, or the URL does not parse once filled in
      throw ApiError.validation("lead", secrets.mask("the " + adapterKind.field + " cannot render this lead: "
          + e.getMessage()));
    }
    result.onSuccess(out -> Bodies.json(ctx, 200, out))
        .onFailure(ctx::fail);
  }

  /** The context a live call would render, filled with a made-up test ping. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> context(Adapter.Kind kind, ObjectNode lead, Money price, int timeoutMs,
                                             Secrets secrets) {
    Map<String, Object> context = new HashMap<>();
    context.put("ping_id", UUID.randomUUID().toString());
    context.put("campaign", "adapter-test");
    context.put("test", true);
    Map<String, Object> fields = Json.MAPPER.convertValue(lead, Map.class);
    if (kind == Adapter.Kind.BID) {
      context.put("vertical", "adapter-test");
      context.put("sale_modes", List.of("exclusive"));
      context.put("tmax_ms", timeoutMs);
      fields.putIfAbsent("score", 0);
    } else {
      context.put("lead_id", UUID.randomUUID().toString());
      context.put("bid_id", null);
      context.put("price", price.toDecimal());
      context.put("sale_mode", "exclusive");
      context.put("source", "adapter-test");
    }
    context.put("lead", fields);
    context.put("secret", secrets.values());
    return context;
  }

  private static JsonNode conclude(Adapter adapter, AdapterResponse answer, Secrets secrets) {
    ObjectNode out = Json.object();
    if (adapter.kind() == Adapter.Kind.BID) {
      BidAnswer bid = AdaptedAnswers.bid(adapter.rules(), answer, secrets);
      out.put("outcome", bid.outcome().wire);
      out.put("bid", bid.bid() == null ? null : bid.bid().toDecimal());
      out.put("shared_bid", bid.sharedBid() == null ? null : bid.sharedBid().toDecimal());
      out.put("bid_id", bid.bidId());
      out.put("reason", bid.reason());
    } else {
      PostAnswer post = AdaptedAnswers.post(adapter.rules(), answer, secrets, 0);
      out.put("accepted", post.accepted());
      out.put("reference", post.reference());
      out.put("reason", post.reason());
    }
    return out;
  }
}
