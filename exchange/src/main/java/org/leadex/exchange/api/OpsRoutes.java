package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.EnumSet;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Role;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.metrics.ExchangeMetrics;

/**
 * Operators' endpoints: {@code /health} (ready once the database answers), {@code /metrics}
 * (Prometheus text) and {@code /v1/admin/latency} (HdrHistogram percentiles since start).
 */
public final class OpsRoutes {
  private final Pool pool;
  private final CatalogCache catalog;
  private final ExchangeMetrics metrics;
  private final Authenticator auth;
  private final String instance;
  private volatile boolean ready;

  public OpsRoutes(Pool pool, CatalogCache catalog, ExchangeMetrics metrics, Authenticator auth, String instance) {
    this.pool = pool;
    this.catalog = catalog;
    this.metrics = metrics;
    this.auth = auth;
    this.instance = instance;
  }

  /** From now on /health may say ok: start-up, warm-up included, is over. */
  public void markReady() {
    ready = true;
  }

  public void mount(Router router) {
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", ExchangeMetrics.contentType())
        .end(io.vertx.core.buffer.Buffer.buffer(metrics.scrape())));
    router.get("/v1/admin/latency").handler(this::latency);
  }

  private void health(RoutingContext ctx) {
    if (!ready) {
      // Listening already (the warm-up sends itself requests), but not to take traffic yet: a load
      // balancer that waits for 200 sends the first pings to a warm JVM.
      ObjectNode body = Json.object();
      body.put("status", "starting");
      body.put("instance", instance);
      Bodies.json(ctx, 503, body);
      return;
    }
    pool.query("select 1").execute().onComplete(ar -> {
      ObjectNode body = Json.object();
      body.put("status", ar.succeeded() ? "ok" : "unavailable");
      body.put("instance", instance);
      body.put("catalog_version", catalog.current().version());
      if (ar.failed()) {
        body.put("reason", "database unreachable");
      }
      Bodies.json(ctx, ar.succeeded() ? 200 : 503, body);
    });
  }

  private void latency(RoutingContext ctx) {
    auth.require(ctx, EnumSet.of(Role.ADMIN));
    ObjectNode body = Json.object();
    body.put("unit", "ms");
    put(body.putObject("ping"), metrics.latency().pingSnapshot());
    put(body.putObject("post"), metrics.latency().postSnapshot());
    // a ping's time minus its wait for buyers: what the exchange itself added (issue #5's 5 ms p99 target)
    put(body.putObject("exchange_added"), metrics.latency().addedSnapshot());
    ObjectNode buyers = body.putObject("buyers");
    for (Map.Entry<String, Histogram> e : metrics.latency().bidSnapshots().entrySet()) {
      put(buyers.putObject(e.getKey()), e.getValue());
    }
    Bodies.json(ctx, 200, body);
  }

  private static void put(ObjectNode out, Histogram h) {
    out.put("count", h.getTotalCount());
    for (double p : new double[] {50, 90, 99, 99.9, 99.99}) {
      out.put("p" + (p == Math.floor(p) ? String.valueOf((int) p) : String.valueOf(p)),
          h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0);
    }
    out.put("max", h.getMaxValue() / 1000.0);
  }
}
