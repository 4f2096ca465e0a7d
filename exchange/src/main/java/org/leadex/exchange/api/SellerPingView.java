package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.PingRecorder;
import org.leadex.exchange.ledger.RecordIds;
import org.leadex.exchange.ledger.TraceReader;

/**
 * {@code GET /v1/pings/{ping_id}}: a seller's view of its own ping's trace — how many buyers were
 * asked, how many bid, what became of the rest, the timings and its own price — without buyer
 * identities, buyer prices or the post's individual attempts. Another seller's ping is 404.
 */
public final class SellerPingView {
  private static final Set<Role> SELLER = EnumSet.of(Role.SELLER);

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final TraceReader traces;
  private final PingRecorder recorder;

  public SellerPingView(Authenticator auth, CatalogCache catalog, TraceReader traces, PingRecorder recorder) {
    this.auth = auth;
    this.catalog = catalog;
    this.traces = traces;
    this.recorder = recorder;
  }

  public void mount(Router router) {
    router.get("/v1/pings/:ping_id").handler(this::view);
  }

  private void view(RoutingContext ctx) {
    Principal principal = auth.require(ctx, SELLER);
    String text = ctx.pathParam("ping_id");
    UUID pingId = RecordIds.parse(text).orElseThrow(() -> ApiError.notFound("no ping '" + text + "'"));
    // A ping answered a moment ago may still be in the recorder's batch.
    recorder.flushed().compose(v -> traces.trace(pingId, catalog.current()))
        .map(found -> found.filter(t -> principal.id().equals(t.path("seller").asText(null)))
            .orElseThrow(() -> ApiError.notFound("no ping '" + text + "'")))
        .onSuccess(trace -> Bodies.json(ctx, 200, sellerView(trace)))
        .onFailure(ctx::fail);
  }

  static ObjectNode sellerView(JsonNode trace) {
    ObjectNode out = Json.object();
    for (String field : new String[] {"ping_id", "campaign", "source", "test", "direct", "received_at", "answered_ms"}) {
      out.set(field, trace.get(field));
    }
    out.put("status", trace.get("winner").isNull() ? "no_bid" : "bid");
    out.set("price", trace.get("seller_price"));
    int asked = 0;
    int bids = 0;
    TreeMap<String, Integer> outcomes = new TreeMap<>();
    double slowest = 0;
    for (JsonNode buyer : trace.get("buyers")) {
      String outcome = buyer.path("outcome").asText(null);
      if (outcome == null || buyer.hasNonNull("skipped")) {
        outcomes.merge("skipped", 1, Integer::sum);
        continue;
      }
      if (!outcome.equals("fixed_price")) {
        asked++;
        slowest = Math.max(slowest, buyer.path("latency_ms").asDouble(0));
      }
      if (outcome.equals("bid") || outcome.equals("fixed_price")) {
        bids++;
      }
      outcomes.merge(outcome, 1, Integer::sum);
    }
    out.put("buyers_asked", asked);
    out.put("offers", bids);
    ObjectNode counts = out.putObject("outcomes");
    outcomes.forEach(counts::put);
    out.put("slowest_buyer_ms", slowest);
    JsonNode post = trace.get("post");
    if (post == null || post.isNull()) {
      out.putNull("post");
    } else {
      ObjectNode p = out.putObject("post");
      p.set("lead_id", post.get("lead_id"));
      p.set("status", post.get("status"));
      p.set("reason", post.get("reason"));
      p.set("price", post.get("seller_price"));
      p.put("attempts", post.path("attempts").size());
    }
    return out;
  }
}
