package org.leadex.exchange.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.leadex.exchange.auction.BidOutcome;

/**
 * The exchange's Prometheus metrics (the names the contract promises), kept in the Prometheus Java
 * client's registry, and the HdrHistogram latency recorders engineers read percentiles from.
 * Thread safe.
 */
public final class ExchangeMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter pings;
  private final Histogram pingDuration;
  private final Counter bids;
  private final Counter posts;
  private final Counter revenueCents;
  private final Counter shed;
  private final ConcurrentHashMap<String, CounterDataPoint> bidPoints = new ConcurrentHashMap<>();
  private final LatencyRecorders latency = new LatencyRecorders();
  private final ConcurrentHashMap<Gauge, DoubleSupplier> gauges = new ConcurrentHashMap<>();

  public ExchangeMetrics() {
    pings = Counter.builder().name("exchange_pings_total").help("Pings answered (direct posts included)")
        .labelNames("status").register(registry);
    pingDuration = Histogram.builder().name("exchange_ping_duration_seconds")
        .help("Time from a ping's arrival to its answer").classicOnly()
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.5, 1, 2.5)
        .register(registry);
    bids = Counter.builder().name("exchange_bids_total").help("Buyer bid calls by outcome")
        .labelNames("buyer", "outcome").register(registry);
    posts = Counter.builder().name("exchange_posts_total").help("Posts by outcome (sold, unsold, error)")
        .labelNames("outcome").register(registry);
    revenueCents = Counter.builder().name("exchange_revenue_cents_total")
        .help("What buyers paid for leads sold, in cents (test traffic excluded)").register(registry);
    shed = Counter.builder().name("exchange_pings_shed_total")
        .help("Pings answered 503 overloaded at once, by reason (deadline, loop_lag, in_flight)")
        .labelNames("reason").register(registry);
  }

  /** A ping refused at admission, before any buyer was called. */
  public void shed(String reason) {
    shed.labelValues(reason).inc();
  }

  public void ping(String status, long micros) {
    pings.labelValues(status).inc();
    pingDuration.observe(micros / 1_000_000.0);
    latency.ping().recordValue(micros);
  }

  public void bid(String buyer, BidOutcome outcome, long micros) {
    if (outcome.wire == null) {
      return;
    }
    bidPoints.computeIfAbsent(buyer + '\n' + outcome.wire, k -> bids.labelValues(buyer, outcome.wire)).inc();
    if (micros > 0) {
      latency.bid(buyer).recordValue(micros);
    }
  }

  public void post(String outcome, long micros) {
    posts.labelValues(outcome).inc();
    latency.post().recordValue(micros);
  }

  public void revenue(long cents) {
    revenueCents.inc(cents);
  }

  /** Registers a gauge read at scrape time (pool use, in-flight pings). */
  public void gauge(String name, String help, DoubleSupplier value) {
    Gauge gauge = Gauge.builder().name(name).help(help).register(registry);
    // The gauge is refreshed just before each scrape (see scrape()).
    gauges.put(gauge, value);
  }

  public LatencyRecorders latency() {
    return latency;
  }

  /** The Prometheus text exposition of every metric. */
  public byte[] scrape() {
    gauges.forEach((gauge, value) -> gauge.set(value.getAsDouble()));
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
