package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.leadex.exchange.billing.Wallets;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.CatalogStore;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.AuditLog;
import org.leadex.exchange.ledger.BuyerUsage;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.routing.BuyerCounters;

/**
 * A buyer's own endpoints: {@code GET/PATCH /v1/buyers/me} (its settings, today's caps used, and
 * the few settings it may change itself, each change audited) and {@code GET /v1/buyers/me/leads}
 * (its purchases with their feedback and return state); and the admin's {@code GET /v1/admin/audit}.
 * A change applies from the next ping on every instance, as an admin's does (catalog version and
 * NOTIFY). Thin.
 */
public final class SelfServiceRoutes {
  private static final Set<Role> BUYER = EnumSet.of(Role.BUYER);
  /** What a buyer may change itself (CONTRACT "Self-service"). */
  private static final Set<String> PATCHABLE = Set.of("filters", "schedule", "caps", "status", "max_concurrent",
      "dedupe_days");

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final CatalogStore store;
  private final BuyerUsage usage;
  private final AuditLog audit;
  private final Pool pool;
  private final Clock clock;
  private final Wallets wallets;

  public SelfServiceRoutes(Authenticator auth, CatalogCache catalog, CatalogStore store, BuyerUsage usage,
                           AuditLog audit, Pool pool, Clock clock, Wallets wallets) {
    this.auth = auth;
    this.catalog = catalog;
    this.store = store;
    this.usage = usage;
    this.audit = audit;
    this.pool = pool;
    this.clock = clock;
    this.wallets = wallets;
  }

  public void mount(Router router) {
    router.get("/v1/buyers/me").handler(this::me);
    router.patch("/v1/buyers/me").handler(auth.gate(BUYER)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(this::patch);
    router.get("/v1/buyers/me/leads").handler(this::leads);
    router.get("/v1/admin/audit").handler(this::auditLog);
  }

  private void me(RoutingContext ctx) {
    Principal principal = auth.require(ctx, BUYER);
    store.buyerSelf(principal.id())
        .map(found -> found.orElseThrow(() -> ApiError.unauthorized("unknown buyer")))
        .compose(self -> withBalance(view(principal.id(), Json.parse(self.docJson()))))
        .onSuccess(view -> Bodies.json(ctx, 200, view))
        .onFailure(ctx::fail);
  }

  private ObjectNode view(String code, JsonNode doc) {
    ObjectNode out = Json.object();
    out.put("id", code);
    ObjectNode settings = ((ObjectNode) org.leadex.exchange.adapters.Secrets.redact(doc)).deepCopy();
    out.set("settings", settings);
    Optional<Buyer> buyer = catalog.current().buyer(code);
    BuyerCounters used = buyer.map(b -> usage.counters(b, clock.instant())).orElse(BuyerCounters.ZERO);
    ObjectNode caps = out.putObject("caps_used_today");
    caps.put("hourly", used.soldHour());
    caps.put("daily", used.soldDay());
    caps.put("daily_budget", used.spentDay().toDecimal());
    out.putNull("balance"); // postpaid: no wallet; a prepaid buyer's is filled in by withBalance
    return out;
  }

  /** A prepaid buyer's wallet balance, read from the database (the view is not on the ping path). */
  private Future<ObjectNode> withBalance(ObjectNode view) {
    Optional<Buyer> buyer = catalog.current().buyer(view.path("id").asText());
    if (buyer.isEmpty() || !buyer.get().billing().prepaid()) {
      return Future.succeededFuture(view);
    }
    return wallets.balance(buyer.get().id()).map(balance -> {
      view.put("balance", balance.toDecimal());
      return view;
    });
  }

  private void patch(RoutingContext ctx) {
    Principal principal = auth.require(ctx, BUYER);
    ObjectNode changes = Bodies.object(ctx);
    for (Iterator<String> names = changes.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!PATCHABLE.contains(name)) {
        throw ApiError.validation(name, "a buyer may change " + String.join(", ", new java.util.TreeSet<>(PATCHABLE))
            + " itself; '" + name + "' only through an admin");
      }
    }
    if (changes.isEmpty()) {
      throw ApiError.validation(null, "nothing to change");
    }
    String code = principal.id();
    apply(principal, code, changes, 0).compose(doc -> withBalance(view(code, doc)))
        .onSuccess(view -> Bodies.json(ctx, 200, view)).onFailure(ctx::fail);
  }

  /** Reads, merges, validates and writes; a concurrent change makes it start again (a few times). */
  private Future<JsonNode> apply(Principal principal, String code, ObjectNode changes, int attempt) {
    return store.buyerSelf(code).compose(found -> {
      CatalogStore.BuyerSelf self = found.orElseThrow(() -> ApiError.unauthorized("unknown buyer"));
      ObjectNode before = (ObjectNode) Json.parse(self.docJson());
      ObjectNode after = before.deepCopy();
      ObjectNode diff = Json.object();
      changes.fields().forEachRemaining(change -> {
        JsonNode old = before.get(change.getKey());
        if (change.getValue().isNull()) {
          after.remove(change.getKey());
        } else {
          after.set(change.getKey(), change.getValue());
        }
        ObjectNode d = diff.putObject(change.getKey());
        d.set("from", old == null ? Json.MAPPER.nullNode() : old);
        d.set("to", change.getValue());
      });
      Buyer.read(0, code, DocReader.of(after, "")); // the whole document must still be a valid buyer
      boolean wasPaused = "paused".equals(before.path("status").asText("active"));
      boolean pausing = "paused".equals(after.path("status").asText("active"));
      if (wasPaused && !pausing && !self.pausedByBuyer()) {
        throw ApiError.forbidden("an admin paused this buyer; only an admin can resume it");
      }
      // Who owns a pause: the buyer when it pauses itself; an admin's pause stays the admin's.
      boolean pausedByBuyer = pausing && (!wasPaused || self.pausedByBuyer());
      return store.updateBuyerSelf(code, self.docJson(), Json.text(after), pausedByBuyer,
              conn -> AuditLog.record(conn, principal, "buyer.patch", "buyers/" + code, diff))
          .compose(written -> {
            if (!written) {
              if (attempt >= 3) {
                throw ApiError.conflict("the buyer's settings kept changing; retry");
              }
              return apply(principal, code, changes, attempt + 1);
            }
            return catalog.reload().map(c -> (JsonNode) after);
          });
    });
  }

  private void leads(RoutingContext ctx) {
    Principal principal = auth.require(ctx, BUYER);
    MultiMap q = ctx.queryParams();
    QueryParams.onlyKnown(q, Set.of("from", "to", "limit"));
    LocalDate from = QueryParams.date(q, "from");
    LocalDate to = QueryParams.date(q, "to");
    if (to.isBefore(from)) {
      throw ApiError.validation("to", "'to' is before 'from'");
    }
    int limit = QueryParams.limit(q, 1_000, 10_000);
    Catalog snapshot = catalog.current();
    Buyer buyer = snapshot.buyer(principal.id()).orElseThrow(() -> ApiError.unauthorized("unknown buyer"));
    pool.preparedQuery("select s.lead_id, s.campaign_id, s.price_cents, s.sold_at, s.test, s.contacted_at,"
            + " s.qualified_at, s.converted_at, r.status, r.reason, r.requested_at, r.decided_at"
            + " from sales s left join returns r on r.sale_id = s.id"
            + " where s.buyer_id = $1 and s.sold_at >= $2 and s.sold_at < $3 order by s.sold_at limit $4")
        .execute(Tuple.of(buyer.id(), from.atStartOfDay().atOffset(ZoneOffset.UTC),
            to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC), limit))
        .onSuccess(rows -> {
          ObjectNode out = Json.object();
          ArrayNode list = out.putArray("leads");
          for (Row r : rows) {
            ObjectNode lead = list.addObject();
            lead.put("lead_id", r.getUUID(0).toString());
            var campaign = snapshot.campaignsById().get(r.getInteger(1));
            lead.put("campaign", campaign == null ? "#" + r.getInteger(1) : campaign.code());
            lead.put("price", Money.ofCents(r.getInteger(2)).toDecimal());
            lead.put("sold_at", r.getOffsetDateTime(3).toInstant().toString());
            lead.put("test", r.getBoolean(4));
            ObjectNode feedback = lead.putObject("feedback");
            String[] names = {"contacted", "qualified", "converted"};
            for (int i = 0; i < 3; i++) {
              var at = r.getOffsetDateTime(5 + i);
              feedback.put(names[i], at == null ? null : at.toInstant().toString());
            }
            if (r.getString(8) == null) {
              lead.putNull("return");
            } else {
              ObjectNode ret = lead.putObject("return");
              ret.put("status", r.getString(8));
              ret.put("reason", r.getString(9));
              ret.put("requested_at", r.getOffsetDateTime(10).toInstant().toString());
              ret.put("decided_at", r.getOffsetDateTime(11) == null ? null : r.getOffsetDateTime(11).toInstant().toString());
            }
          }
          Bodies.json(ctx, 200, out);
        })
        .onFailure(ctx::fail);
  }

  private void auditLog(RoutingContext ctx) {
    auth.require(ctx, EnumSet.of(Role.ADMIN));
    MultiMap q = ctx.queryParams();
    QueryParams.onlyKnown(q, Set.of("target", "limit"));
    audit.list(q.get("target"), QueryParams.limit(q, 1_000, 10_000)).onSuccess(out -> Bodies.json(ctx, 200, out)).onFailure(ctx::fail);
  }
}
