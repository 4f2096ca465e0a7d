package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.ReturnPolicy;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.FeedbackStore;
import org.leadex.exchange.ledger.RecordIds;

/** The buyer API: {@code POST /v1/feedback} on the buyer's own leads. Thin. */
public final class BuyerRoutes {
  private static final Set<Role> BUYER = EnumSet.of(Role.BUYER);
  private static final Set<String> STATUSES = Set.of("contacted", "qualified", "converted", "returned");

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final FeedbackStore feedback;

  public BuyerRoutes(Authenticator auth, CatalogCache catalog, FeedbackStore feedback) {
    this.auth = auth;
    this.catalog = catalog;
    this.feedback = feedback;
  }

  public void mount(Router router) {
    router.post("/v1/feedback").handler(auth.gate(BUYER)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(this::feedback);
  }

  private void feedback(RoutingContext ctx) {
    Principal principal = auth.require(ctx, BUYER);
    Buyer buyer = catalog.current().buyer(principal.id()).orElseThrow(() -> ApiError.unauthorized("unknown buyer"));
    DocReader body = DocReader.of(Bodies.object(ctx), "");
    String leadText = body.string("lead_id", 64);
    String status = body.string("status", 32);
    String reason = body.optString("reason", 500).map(String::strip).filter(r -> !r.isEmpty()).orElse(null);
    String evidence = body.optString("evidence", 4_000).orElse(null);
    body.done();
    if (!STATUSES.contains(status)) {
      throw ApiError.validation("status", "status must be one of contacted, qualified, converted, returned");
    }
    if (status.equals("returned") && reason == null) {
      throw ApiError.validation("reason", "a return needs a reason");
    }
    if (evidence != null && !status.equals("returned")) {
      throw ApiError.validation("evidence", "evidence goes with a return only");
    }
    UUID leadId = RecordIds.parse(leadText).orElseThrow(() -> ApiError.notFound("no lead '" + leadText + "'"));
    FeedbackStore.ReturnClaim claim = status.equals("returned") ? new FeedbackStore.ReturnClaim(reason, evidence) : null;
    feedback.record(leadId, buyer.id(), status, reason, claim, campaignId -> {
      Campaign campaign = catalog.current().campaignsById().get(campaignId);
      return campaign == null ? ReturnPolicy.NONE : campaign.returns();
    }).onSuccess(outcome -> {
      ObjectNode answer = Json.object();
      answer.put("lead_id", leadId.toString());
      answer.put("status", outcome.status());
      if (outcome.refunded() != null) {
        answer.put("refunded", outcome.refunded().toDecimal());
      }
      // A return waiting for an admin's approval is accepted, not done: 202, as the contract says.
      Bodies.json(ctx, outcome.status().equals("pending") ? 202 : 200, answer);
    }).onFailure(ctx::fail);
  }
}
