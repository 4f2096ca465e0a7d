package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.RecordIds;
import org.leadex.exchange.ledger.ReturnStore;
import org.leadex.exchange.ledger.TraceReader;

/**
 * Returns under manual approval: the admin's queue ({@code GET /v1/admin/returns?status=pending},
 * each return with the lead's decision trace and the buyer's own answer to the post attached) and
 * the decision ({@code POST /v1/admin/returns/{lead_id}}). Thin.
 */
public final class ReturnRoutes {
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
  private static final Set<String> STATUSES = Set.of("pending", "approved", "rejected");

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final ReturnStore returns;
  private final TraceReader traces;

  public ReturnRoutes(Authenticator auth, CatalogCache catalog, ReturnStore returns, TraceReader traces) {
    this.auth = auth;
    this.catalog = catalog;
    this.returns = returns;
    this.traces = traces;
  }

  public void mount(Router router) {
    router.get("/v1/admin/returns").handler(this::list);
    router.post("/v1/admin/returns/:lead_id").handler(auth.gate(ADMIN)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(this::decide);
  }

  private void decide(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    String leadText = ctx.pathParam("lead_id");
    DocReader body = DocReader.of(Bodies.object(ctx), "");
    String decision = body.string("decision", 16);
    String note = body.optString("note", 2_000).orElse(null);
    body.done();
    if (!decision.equals("approve") && !decision.equals("reject")) {
      throw ApiError.validation("decision", "decision is approve or reject");
    }
    UUID leadId = RecordIds.parse(leadText).orElseThrow(() -> ApiError.notFound("no return of lead '" + leadText + "'"));
    returns.decide(leadId, decision.equals("approve"), note).onSuccess(decided -> {
      ObjectNode answer = Json.object();
      answer.put("lead_id", leadId.toString());
      answer.put("status", decided.get(0).status());
      answer.put("refunded", decided.stream().map(ReturnStore.Decided::refunded)
          .reduce(org.leadex.exchange.money.Money.ZERO, org.leadex.exchange.money.Money::plus).toDecimal());
      Bodies.json(ctx, 200, answer);
    }).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    MultiMap q = ctx.queryParams();
    QueryParams.onlyKnown(q, Set.of("status", "limit"));
    String status = Optional.ofNullable(q.get("status")).orElse("pending");
    if (!STATUSES.contains(status)) {
      throw ApiError.validation("status", "status is pending, approved or rejected");
    }
    int limit = QueryParams.limit(q, 100, 1_000);
    Catalog snapshot = catalog.current();
    returns.list(status, limit).compose(list -> {
      List<Future<ObjectNode>> rows = new ArrayList<>();
      for (ReturnStore.Listed r : list) {
        rows.add(traces.trace(r.pingId(), snapshot).map(trace -> row(r, trace.orElse(null), snapshot)));
      }
      return Future.all(rows).map(all -> {
        ObjectNode answer = Json.object();
        ArrayNode out = answer.putArray("returns");
        rows.forEach(f -> out.add(f.result()));
        return answer;
      });
    }).onSuccess(answer -> Bodies.json(ctx, 200, answer)).onFailure(ctx::fail);
  }

  private static ObjectNode row(ReturnStore.Listed r, ObjectNode trace, Catalog catalog) {
    ObjectNode row = Json.object();
    row.put("lead_id", r.leadId().toString());
    row.put("ping_id", r.pingId().toString());
    Buyer buyer = catalog.buyersById().get(r.buyerId());
    row.put("buyer", buyer == null ? "#" + r.buyerId() : buyer.code());
    Campaign campaign = catalog.campaignsById().get(r.campaignId());
    row.put("campaign", campaign == null ? "#" + r.campaignId() : campaign.code());
    row.put("test", r.test());
    row.put("reason", r.reason());
    row.put("evidence", r.evidence());
    row.put("status", r.status());
    row.put("requested_at", text(r.requestedAt()));
    row.put("decided_at", text(r.decidedAt()));
    row.put("note", r.note());
    row.put("price", r.price().toDecimal());
    row.put("sold_at", text(r.soldAt()));
    ObjectNode post = row.putObject("post_answer");
    post.put("accepted", true);
    post.put("reference", r.postReference());
    if (r.postLatencyMillis() == null) {
      post.putNull("latency_ms");
    } else {
      post.put("latency_ms", r.postLatencyMillis());
    }
    // the lead's consent check (docs/compliance.md); null for a campaign without one
    row.set("consent", r.consentJson() == null ? null : Json.parse(r.consentJson()));
    row.set("trace", trace); // null once the ping's day was dropped by the retention
    return row;
  }

  private static String text(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }
}
