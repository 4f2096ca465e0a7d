package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.leadex.exchange.adapters.Adapter;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.catalog.ApiKeys;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.CatalogId;
import org.leadex.exchange.catalog.CatalogStore;
import org.leadex.exchange.catalog.CatalogStore.Kind;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.catalog.Tier;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.PingRecorder;
import org.leadex.exchange.ledger.RecordIds;
import org.leadex.exchange.ledger.TraceReader;

/**
 * The admin API: sellers, buyers, campaigns, keys and decision traces. Thin: documents are
 * validated by the catalog's own records, stored by {@link CatalogStore}, and the snapshot is
 * reloaded before answering so that the next ping sees the change.
 */
public final class AdminRoutes {
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);

  private final Authenticator auth;
  private final CatalogStore store;
  private final CatalogCache catalog;
  private final TraceReader traces;
  private final PingRecorder recorder;
  private final org.leadex.exchange.ledger.AuditLog audit;

  public AdminRoutes(Authenticator auth, CatalogStore store, CatalogCache catalog, TraceReader traces,
                     PingRecorder recorder, org.leadex.exchange.ledger.AuditLog audit) {
    this.auth = auth;
    this.store = store;
    this.catalog = catalog;
    this.traces = traces;
    this.recorder = recorder;
    this.audit = audit;
  }

  public void mount(Router router) {
    for (Kind kind : Kind.values()) {
      String base = "/v1/admin/" + kind.name().toLowerCase();
      router.put(base + "/:id").handler(auth.gate(ADMIN)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
          .handler(ctx -> respond(ctx, put(ctx, kind)));
      router.get(base + "/:id").handler(ctx -> respond(ctx, get(ctx, kind)));
      router.get(base).handler(ctx -> respond(ctx, list(ctx, kind)));
    }
    router.post("/v1/admin/sellers/:id/keys").handler(auth.gate(ADMIN)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(ctx -> respond(ctx, principalKey(ctx, Role.SELLER)));
    router.post("/v1/admin/buyers/:id/keys").handler(auth.gate(ADMIN)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(ctx -> respond(ctx, principalKey(ctx, Role.BUYER)));
    router.post("/v1/admin/keys").handler(auth.gate(ADMIN)).handler(Bodies.limit(Bodies.DEFAULT_LIMIT))
        .handler(ctx -> respond(ctx, newKey(ctx)));
    router.get("/v1/admin/keys").handler(ctx -> respond(ctx, keys(ctx)));
    router.delete("/v1/admin/keys/:id").handler(ctx -> respond(ctx, revoke(ctx)));
    router.get("/v1/admin/pings/:ping_id").handler(ctx -> respond(ctx, trace(ctx)));
  }

  private record Reply(int status, JsonNode body) {}

  private static void respond(RoutingContext ctx, Future<Reply> reply) {
    reply.onSuccess(r -> Bodies.json(ctx, r.status(), r.body())).onFailure(ctx::fail);
  }

  private Future<Reply> put(RoutingContext ctx, Kind kind) {
    org.leadex.exchange.catalog.Principal admin = auth.require(ctx, ADMIN);
    String id = CatalogId.require(ctx.pathParam("id"), "id");
    ObjectNode body = Bodies.object(ctx);
    // Secrets are write-only, so a document read back and PUT again shows them masked or not at all:
    // a masked value, or no "secrets" at all, keeps what is stored. "secrets": {} (or null) clears them.
    Future<ObjectNode> complete = kind != Kind.BUYERS ? Future.succeededFuture(body)
        : store.document(kind, id).map(stored -> {
          JsonNode kept = stored.map(Json::parse).map(doc -> doc.get(Secrets.FIELD)).orElse(null);
          Secrets.keepStored(body, kept);
          return body;
        });
    return complete.compose(doc -> put(admin, kind, id, doc));
  }

  private Future<Reply> put(org.leadex.exchange.catalog.Principal admin, Kind kind, String id, ObjectNode body) {
    Role keyRole = switch (kind) {
      case SELLERS -> {
        Seller.read(0, id, DocReader.of(body, ""));
        yield Role.SELLER;
      }
      case BUYERS -> {
        Buyer buyer = Buyer.read(0, id, DocReader.of(body, ""));
        requireNoPiiInBids(buyer, catalog.current().campaigns().values(), Adapter.Kind.BID.field);
        yield Role.BUYER;
      }
      case CAMPAIGNS -> {
        Campaign campaign = Campaign.read(0, id, DocReader.of(body, ""));
        requireTierBuyers(campaign);
        yield null;
      }
    };
    return store.put(kind, id, Json.text(body), keyRole)
        .compose(stored -> audit.record(admin, singular(kind) + ".put", kind.name().toLowerCase() + "/" + id,
                (ObjectNode) Secrets.redact(body))
            .map(stored))
        .compose(stored -> catalog.reload().map(c -> {
          ObjectNode out = withId(id, body);
          stored.key().ifPresent(key -> out.put("api_key", key.apiKey()).put("key_id", key.id()));
          return new Reply(200, out);
        }));
  }

  /**
   * A bid request never carries PII: a bid adapter whose templates name a field some campaign holds
   * as PII is refused (it would render empty, which is worse than an error: the buyer would be
   * bidding on a lead it cannot see).
   */
  private static void requireNoPiiInBids(Buyer buyer, java.util.Collection<Campaign> campaigns, String path) {
    java.util.Set<String> named = buyer.adapters().bidLeadFields();
    for (Campaign campaign : campaigns) {
      for (String field : named) {
        if (campaign.piiFields().contains(field)) {
          throw ApiError.validation(path, "bid_adapter names lead." + field + ", a PII field of campaign '"
              + campaign.code() + "'; bid requests never carry PII (use it in the post_adapter)");
        }
      }
    }
  }

  /** Every buyer a tier names exists, and none bids through an adapter that names one of this campaign's PII fields. */
  private void requireTierBuyers(Campaign campaign) {
    for (int t = 0; t < campaign.tiers().size(); t++) {
      Tier tier = campaign.tiers().get(t);
      for (int b = 0; b < tier.buyers().size(); b++) {
        String code = tier.buyers().get(b);
        String path = "tiers[" + t + "].buyers[" + b + "]";
        Buyer buyer = catalog.current().buyer(code).orElseThrow(
            () -> ApiError.validation(path, "no buyer '" + code + "'"));
        requireNoPiiInBids(buyer, java.util.List.of(campaign), path);
      }
    }
  }

  private Future<Reply> get(RoutingContext ctx, Kind kind) {
    auth.require(ctx, ADMIN);
    String id = ctx.pathParam("id");
    if (!CatalogId.valid(id)) { // no such id can exist; and PostgreSQL refuses some (a NUL) outright
      throw ApiError.notFound("no " + singular(kind) + " with that id");
    }
    return store.document(kind, id).map(doc -> new Reply(200, withId(id, Json.parse(doc
        .orElseThrow(() -> ApiError.notFound("no " + singular(kind) + " '" + id + "'"))))));
  }

  private Future<Reply> list(RoutingContext ctx, Kind kind) {
    auth.require(ctx, ADMIN);
    return store.documents(kind).map(docs -> {
      ObjectNode out = Json.object();
      ArrayNode items = out.putArray(kind.name().toLowerCase());
      docs.forEach((id, doc) -> items.add(withId(id, Json.parse(doc))));
      return new Reply(200, out);
    });
  }

  private Future<Reply> principalKey(RoutingContext ctx, Role role) {
    auth.require(ctx, ADMIN);
    String id = ctx.pathParam("id");
    if (!principalExists(role, id)) {
      throw ApiError.notFound("no " + role.wire() + " '" + id + "'");
    }
    String name = id;
    if (ctx.body().length() > 0) {
      DocReader doc = DocReader.of(Bodies.object(ctx), "");
      name = doc.optString("name", 200).orElse(id);
      doc.done();
    }
    return issue(role, id, name);
  }

  private Future<Reply> newKey(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    DocReader doc = DocReader.of(Bodies.object(ctx), "");
    Role role = doc.optEnum("role", Role.class).orElseThrow(() -> doc.missing("role"));
    String name = doc.optString("name", 200).orElse(role.wire());
    String principal = doc.optString("principal", 64).orElse(null);
    doc.done();
    if (role == Role.SELLER || role == Role.BUYER) {
      if (principal == null) {
        throw ApiError.validation("principal", "a " + role.wire() + " key needs the " + role.wire() + " id as principal");
      }
      if (!principalExists(role, principal)) {
        throw ApiError.validation("principal", "no " + role.wire() + " '" + principal + "'");
      }
    } else if (principal != null) {
      throw ApiError.validation("principal", "an " + role.wire() + " key has no principal");
    }
    return issue(role, principal, name);
  }

  private boolean principalExists(Role role, String id) {
    return role == Role.SELLER ? catalog.current().seller(id).isPresent() : catalog.current().buyer(id).isPresent();
  }

  private Future<Reply> issue(Role role, String principal, String name) {
    return store.issueKey(role, principal, name).compose(key -> catalog.reload().map(c -> {
      ObjectNode out = Json.object();
      out.put("id", key.id());
      out.put("key_id", key.id());
      out.put("api_key", key.apiKey());
      out.put("role", role.wire());
      out.put("principal", principal);
      out.put("name", name);
      return new Reply(201, out);
    }));
  }

  /** The issued keys with their ids, roles and principals: never a key or its hash (those are shown once). */
  private Future<Reply> keys(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    String principal;
    try {
      principal = ctx.queryParams().get("principal");
    } catch (IllegalArgumentException e) { // a broken %-escape
      throw ApiError.validation("principal", "the query string is malformed");
    }
    return store.keys().map(keys -> {
      ObjectNode out = Json.object();
      ArrayNode items = out.putArray("keys");
      keys.stream().filter(k -> principal == null || principal.equals(k.principal())).forEach(k -> items.addObject()
          .put("id", k.id()).put("role", k.role().wire()).put("principal", k.principal()).put("name", k.name())
          .put("created_at", k.createdAt().toInstant().toString())
          .put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toInstant().toString()));
      return new Reply(200, out);
    });
  }

  private Future<Reply> revoke(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    String id = ctx.pathParam("id");
    if (!ApiKeys.validKeyId(id)) {
      throw ApiError.notFound("no live key with that id");
    }
    return store.revokeKey(id).compose(revoked -> {
      if (!revoked) {
        throw ApiError.notFound("no live key '" + id + "'");
      }
      return catalog.reload().map(c -> {
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("revoked", true);
        return new Reply(200, out);
      });
    });
  }

  private Future<Reply> trace(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    String text = ctx.pathParam("ping_id");
    UUID pingId = RecordIds.parse(text).orElseThrow(() -> ApiError.notFound("no ping '" + text + "'"));
    // A ping answered a moment ago may still be in this instance's write batch.
    return recorder.flushed().compose(v -> traces.trace(pingId, catalog.current())).map(found -> new Reply(200,
        found.orElseThrow(() -> ApiError.notFound("no ping '" + text + "'"))));
  }

  /** A stored document as the API shows it: with its id, and a buyer's secrets masked. */
  private static ObjectNode withId(String id, JsonNode stored) {
    JsonNode doc = Secrets.redact(stored);
    ObjectNode out = Json.object();
    out.put("id", id);
    doc.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
    return out;
  }

  private static String singular(Kind kind) {
    String plural = kind.name().toLowerCase();
    return plural.substring(0, plural.length() - 1);
  }
}
