package org.leadex.exchange.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.reports.Balances;
import org.leadex.exchange.reports.GroupKey;
import org.leadex.exchange.reports.ReportLabels;
import org.leadex.exchange.reports.ReportPeriod;
import org.leadex.exchange.reports.RevenueReport;
import org.leadex.exchange.reports.RevenueWriter;
import org.leadex.exchange.reports.Statement;

/**
 * Finance: the revenue report, payout and spend statements, and the ledger's balances. Finance and
 * admin keys see everything; a seller's or buyer's key may read its own statement (and nothing
 * else here). Thin: parameters are checked here, the figures come from {@code reports}.
 */
public final class FinanceRoutes {
  private static final Set<Role> FINANCE = EnumSet.of(Role.FINANCE, Role.ADMIN);
  private static final Set<Role> SELLER_STATEMENT = EnumSet.of(Role.FINANCE, Role.ADMIN, Role.SELLER);
  private static final Set<Role> BUYER_STATEMENT = EnumSet.of(Role.FINANCE, Role.ADMIN, Role.BUYER);

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final RevenueReport revenue;
  private final Statement statements;
  private final Balances balances;

  public FinanceRoutes(Authenticator auth, CatalogCache catalog, RevenueReport revenue, Statement statements,
                       Balances balances) {
    this.auth = auth;
    this.catalog = catalog;
    this.revenue = revenue;
    this.statements = statements;
    this.balances = balances;
  }

  public void mount(Router router) {
    router.get("/v1/reports/revenue").handler(this::revenue);
    router.get("/v1/reports/statements/sellers/:id").handler(ctx -> statement(ctx, Statement.Party.SELLER));
    router.get("/v1/reports/statements/buyers/:id").handler(ctx -> statement(ctx, Statement.Party.BUYER));
    router.get("/v1/reports/balances").handler(this::balances);
  }

  private void revenue(RoutingContext ctx) {
    auth.require(ctx, FINANCE);
    MultiMap q = ctx.queryParams();
    QueryParams.onlyKnown(q, Set.of("from", "to", "group_by", "format"));
    ReportPeriod period = period(q);
    List<GroupKey> groupBy = groupBy(q.get("group_by"));
    boolean csv = csv(q);
    Catalog snapshot = catalog.current();
    send(ctx, revenue.run(period, groupBy, new ReportLabels(snapshot)), csv,
        table -> RevenueWriter.csv(table), table -> RevenueWriter.json(table), "revenue");
  }

  private void statement(RoutingContext ctx, Statement.Party party) {
    Principal principal = auth.require(ctx, party == Statement.Party.SELLER ? SELLER_STATEMENT : BUYER_STATEMENT);
    String id = ctx.pathParam("id");
    Catalog snapshot = catalog.current();
    // A seller or buyer reads its own statement only; another's is "not found", not "forbidden".
    if ((principal.role() == Role.SELLER || principal.role() == Role.BUYER) && !id.equals(principal.id())) {
      throw ApiError.notFound("no " + party.name().toLowerCase() + " '" + id + "'");
    }
    Integer partyId = party == Statement.Party.SELLER
        ? snapshot.seller(id).map(s -> s.id()).orElse(null)
        : snapshot.buyer(id).map(b -> b.id()).orElse(null);
    if (partyId == null) {
      throw ApiError.notFound("no " + party.name().toLowerCase() + " '" + id + "'");
    }
    MultiMap q = ctx.queryParams();
    QueryParams.onlyKnown(q, Set.of("from", "to", "format"));
    ReportPeriod period = period(q);
    boolean csv = csv(q);
    send(ctx, statements.run(party, partyId, id, period), csv, Statement::csv, Statement::json,
        party.name().toLowerCase() + "-" + id);
  }

  private void balances(RoutingContext ctx) {
    auth.require(ctx, FINANCE);
    MultiMap q = ctx.queryParams();
    QueryParams.onlyKnown(q, Set.of("as_of"));
    OffsetDateTime asOf = q.get("as_of") == null ? OffsetDateTime.now(ZoneOffset.UTC)
        : QueryParams.date(q, "as_of").plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    balances.run(asOf, new ReportLabels(catalog.current()))
        .onSuccess(result -> Bodies.json(ctx, 200, Balances.json(result)))
        .onFailure(ctx::fail);
  }

  private static <T> void send(RoutingContext ctx, Future<T> result, boolean csv,
                               java.util.function.Function<T, String> asCsv,
                               java.util.function.Function<T, com.fasterxml.jackson.databind.JsonNode> asJson,
                               String name) {
    result.onSuccess(value -> {
      if (csv) {
        ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
            .putHeader("content-disposition", "attachment; filename=\"" + name + ".csv\"")
            .end(asCsv.apply(value));
      } else {
        Bodies.json(ctx, 200, asJson.apply(value));
      }
    }).onFailure(ctx::fail);
  }

  private static ReportPeriod period(MultiMap q) {
    LocalDate from = QueryParams.date(q, "from");
    LocalDate to = QueryParams.date(q, "to");
    try {
      return new ReportPeriod(from, to);
    } catch (IllegalArgumentException e) {
      throw ApiError.validation("to", e.getMessage());
    }
  }

  private static List<GroupKey> groupBy(String text) {
    List<GroupKey> keys = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return keys;
    }
    for (String part : text.split(",", -1)) {
      String name = part.strip();
      GroupKey key = GroupKey.fromWire(name).orElseThrow(() -> ApiError.validation("group_by",
          "group_by takes seller, source, sub_id, campaign, buyer and day; not '" + clip(name) + "'"));
      if (keys.contains(key)) {
        throw ApiError.validation("group_by", "group_by names '" + name + "' twice");
      }
      keys.add(key);
    }
    return keys;
  }

  private static boolean csv(MultiMap q) {
    String format = q.get("format");
    if (format == null || format.equals("json")) {
      return false;
    }
    if (format.equals("csv")) {
      return true;
    }
    throw ApiError.validation("format", "format is json or csv");
  }

  private static String clip(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
