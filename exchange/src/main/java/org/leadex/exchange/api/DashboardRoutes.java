package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.PingRecorder;
import org.leadex.exchange.metrics.ExchangeMetrics;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.reports.RecentActivity;

/**
 * The operators' dashboard: static pages under {@code /dashboard/} (plain HTML and JavaScript, with
 * Chart.js served from its WebJar inside the jar, so nothing is fetched from elsewhere) and their
 * data under {@code /v1/admin/dashboard/}, behind the admin key like the rest of the admin API.
 * The pages themselves hold no data and need no key; they ask for it and send it as a Bearer token.
 * Live figures are this instance's own, from memory; revenue and recent pings come from the ledger
 * and cover every instance.
 */
public final class DashboardRoutes {
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
  private static final String CHART_JS = "META-INF/resources/webjars/chart.js/";

  private final Authenticator auth;
  private final CatalogCache catalog;
  private final ExchangeMetrics metrics;
  private final Supplier<Map<String, String>> circuits;
  private final RecentActivity activity;
  private final PingRecorder recorder;
  private final String instance;
  private final String chartVersion = chartJsVersion();

  public DashboardRoutes(Authenticator auth, CatalogCache catalog, ExchangeMetrics metrics,
                         Supplier<Map<String, String>> circuits, RecentActivity activity, PingRecorder recorder,
                         String instance) {
    this.auth = auth;
    this.catalog = catalog;
    this.metrics = metrics;
    this.circuits = circuits;
    this.activity = activity;
    this.recorder = recorder;
    this.instance = instance;
  }

  public void mount(Router router) {
    // Vert.x matches "/dashboard" with or without its trailing slash: redirect only the bare one.
    router.get("/dashboard").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect("/dashboard/");
      }
    });
    router.get("/dashboard/lib/*").handler(StaticHandler.create(CHART_JS + chartVersion + "/dist"));
    router.get("/dashboard/*").handler(StaticHandler.create("dashboard"));
    router.get("/v1/admin/dashboard/live").handler(this::live);
    router.get("/v1/admin/dashboard/revenue").handler(this::revenue);
    router.get("/v1/admin/dashboard/pings").handler(this::pings);
  }

  private void live(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    ObjectNode out = Json.object();
    out.put("instance", instance);
    out.put("at", Instant.now().toString());
    out.put("pings_total", metrics.totalPings());
    out.put("pings_per_second", Math.round(metrics.recentPingsPerSecond() * 10) / 10.0);
    percentiles(out.putObject("ping_latency_ms"), metrics.latency().recentPings());
    Map<String, Long> posts = metrics.postCounts();
    long postTotal = posts.values().stream().mapToLong(Long::longValue).sum();
    out.set("posts", Json.MAPPER.valueToTree(posts));
    out.put("fill_rate", postTotal == 0 ? null : ratio(posts.get("sold"), postTotal));
    out.put("revenue", Money.ofCents(metrics.revenueCents()).toDecimal());
    ArrayNode buyers = out.putArray("buyers");
    Map<String, Map<String, Long>> bids = metrics.bidCounts();
    Map<String, Long> sales = metrics.saleCounts();
    Map<String, Histogram> latency = metrics.latency().recentBids();
    Map<String, String> circuitStates = circuits.get();
    java.util.TreeSet<String> codes = new java.util.TreeSet<>(catalog.current().buyers().keySet());
    codes.addAll(bids.keySet());
    for (String code : codes) {
      Map<String, Long> outcomes = bids.getOrDefault(code, Map.of());
      long calls = outcomes.values().stream().mapToLong(Long::longValue).sum();
      long bid = outcomes.getOrDefault("bid", 0L);
      long timeouts = outcomes.getOrDefault("timeout", 0L);
      long won = sales.getOrDefault(code, 0L);
      ObjectNode b = buyers.addObject();
      b.put("buyer", code);
      b.put("calls", calls);
      b.put("bids", bid);
      b.put("timeouts", timeouts);
      b.put("errors", outcomes.getOrDefault("error", 0L));
      b.put("sales", won);
      b.put("win_rate", bid == 0 ? null : ratio(won, bid));
      b.put("timeout_rate", calls == 0 ? null : ratio(timeouts, calls));
      b.put("circuit", circuitStates.get(code));
      percentiles(b.putObject("latency_ms"), latency.get(code));
    }
    Bodies.json(ctx, 200, out);
  }

  private void revenue(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    int hours = intParam(ctx, "hours", 24, 1, 24 * 31);
    activity.revenue(hours, catalog.current()).onSuccess(body -> Bodies.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  private void pings(RoutingContext ctx) {
    auth.require(ctx, ADMIN);
    int limit = intParam(ctx, "limit", 20, 1, 200);
    // Pings answered a moment ago may still be in this instance's write batch.
    recorder.flushed().compose(v -> activity.pings(limit, catalog.current()))
        .onSuccess(body -> Bodies.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  private static void percentiles(ObjectNode out, Histogram h) {
    long count = h == null ? 0 : h.getTotalCount();
    out.put("count", count);
    out.put("p50", count == 0 ? null : h.getValueAtPercentile(50) / 1000.0);
    out.put("p99", count == 0 ? null : h.getValueAtPercentile(99) / 1000.0);
  }

  private static BigDecimal ratio(long part, long whole) {
    return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
  }

  private static int intParam(RoutingContext ctx, String name, int otherwise, int min, int max) {
    String text = ctx.queryParams().get(name);
    if (text == null) {
      return otherwise;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiError.validation(name, name + " must be " + min + " to " + max);
  }

  /** The Chart.js WebJar's version, from its Maven metadata: the page asks for /dashboard/lib/chart.umd.min.js. */
  private static String chartJsVersion() {
    try (InputStream in = DashboardRoutes.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the Chart.js WebJar is missing from the class path");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
