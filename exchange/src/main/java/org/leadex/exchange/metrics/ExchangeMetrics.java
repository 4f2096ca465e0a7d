package org.leadex.exchange.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
  /** Per buyer, its counters by outcome ordinal: no key built per bid (a string per call showed in profiles). */
  private final ConcurrentHashMap<String, AtomicReferenceArray<CounterDataPoint>> bidPoints = new ConcurrentHashMap<>();
  private final LatencyRecorders latency = new LatencyRecorders();
  private final ConcurrentHashMap<Gauge, DoubleSupplier> gauges = new ConcurrentHashMap<>();
  private final Histogram bidDuration;
  private final ConcurrentHashMap<String, DistributionDataPoint> bidDurationPoints = new ConcurrentHashMap<>();
  private final Histogram postDuration;
  private final Counter sales;
  private final ConcurrentHashMap<String, CounterDataPoint> salePoints = new ConcurrentHashMap<>();
  private final Counter deliveries;
  private final RecentRate pingRate = new RecentRate(10);

  // Every counter and histogram is built withoutExemplars(): the client samples an exemplar on each
  // observation by default, which was a percent of the exchange's CPU at 700 pings/s (ten bid
  // outcomes a ping), and an exemplar without a trace id to point at tells an operator nothing.
  public ExchangeMetrics() {
    pings = Counter.builder().withoutExemplars().name("exchange_pings_total").help("Pings answered (direct posts included)")
        .labelNames("status").register(registry);
    pingDuration = Histogram.builder().withoutExemplars().name("exchange_ping_duration_seconds")
        .help("Time from a ping's arrival to its answer").classicOnly()
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.5, 1, 2.5)
        .register(registry);
    bids = Counter.builder().withoutExemplars().name("exchange_bids_total").help("Buyer bid calls by outcome")
        .labelNames("buyer", "outcome").register(registry);
    posts = Counter.builder().withoutExemplars().name("exchange_posts_total").help("Posts by outcome (sold, unsold, error)")
        .labelNames("outcome").register(registry);
    revenueCents = Counter.builder().withoutExemplars().name("exchange_revenue_cents_total")
        .help("What buyers paid for leads sold, in cents (test traffic excluded)").register(registry);
    shed = Counter.builder().withoutExemplars().name("exchange_pings_shed_total")
        .help("Pings answered 503 overloaded at once, by reason (deadline, loop_lag, in_flight)")
        .labelNames("reason").register(registry);
    bidDuration = Histogram.builder().withoutExemplars().name("exchange_bid_duration_seconds")
        .help("Time from sending a bid request to its outcome, per buyer (calls skipped before sending excluded)")
        .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5)
        .labelNames("buyer").register(registry);
    postDuration = Histogram.builder().withoutExemplars().name("exchange_post_duration_seconds")
        .help("Time from a post's (or direct post's) arrival to its answer").classicOnly()
        .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
        .register(registry);
    sales = Counter.builder().withoutExemplars().name("exchange_sales_total")
        .help("Leads bought, per buyer (a shared lead counts once per buyer; test traffic excluded)")
        .labelNames("buyer").register(registry);
    deliveries = Counter.builder().withoutExemplars().name("exchange_deliveries_total")
        .help("Webhook delivery attempts (crm copies, notify messages) by outcome: delivered, failed (to be"
            + " retried), dead (last attempt failed)")
        .labelNames("kind", "outcome").register(registry);
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
    AtomicReferenceArray<CounterDataPoint> byOutcome = bidPoints.computeIfAbsent(buyer,
        b -> new AtomicReferenceArray<>(BidOutcome.values().length));
    CounterDataPoint point = byOutcome.get(outcome.ordinal());
    if (point == null) { // a race here only looks the same data point up twice
      point = bids.labelValues(buyer, outcome.wire);
      byOutcome.set(outcome.ordinal(), point);
    }
    point.inc();
    if (micros > 0) {
      latency.bid(buyer).recordValue(micros);
      bidDurationPoints.computeIfAbsent(buyer, b -> bidDuration.labelValues(b)).observe(micros / 1_000_000.0);
    }
  }

  public void post(String outcome, long micros) {
    posts.labelValues(outcome).inc();
    latency.post().recordValue(micros);
    postDuration.observe(micros / 1_000_000.0);
  }

  /** A buyer bought a lead (not test traffic). */
  public void sale(String buyer) {
    salePoints.computeIfAbsent(buyer, b -> sales.labelValues(b)).inc();
  }

  public void delivery(String kind, String outcome) {
    deliveries.labelValues(kind, outcome).inc();
  }

  /** A ping refused at admission, before any buyer was called. */
  public void shed(String reason) {
    shed.labelValues(reason).inc();
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

  /** One labelled sample of a callback gauge. */
  public interface Sample {
    void put(double value, String... labelValues);
  }

  /** Registers a gauge with labels whose samples are produced at scrape time (circuit states per buyer). */
  public void labelledGauge(String name, String help, List<String> labelNames, Consumer<Sample> samples) {
    GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames.toArray(String[]::new))
        .callback(callback -> samples.accept(callback::call)).register(registry);
  }

  public LatencyRecorders latency() {
    return latency;
  }

  /**
   * Called once a second (by the exchange's timer): closes a second of the recent latency windows
   * and samples the ping count for the recent rate. Not on the hot path.
   */
  public void tick() {
    latency.rotate();
    pingRate.sample(System.nanoTime(), totalPings());
  }

  /** Pings answered per second over the last ~10 s. */
  public double recentPingsPerSecond() {
    return pingRate.perSecond();
  }

  public long totalPings() {
    return (long) (pings.labelValues("bid").get() + pings.labelValues("no_bid").get());
  }

  /** Posts by outcome since start (sold, unsold, error). */
  public Map<String, Long> postCounts() {
    Map<String, Long> out = new TreeMap<>();
    for (String outcome : new String[] {"sold", "unsold", "error"}) {
      out.put(outcome, posts.labelValues(outcome).getLongValue());
    }
    return out;
  }

  public long revenueCents() {
    return revenueCents.getLongValue();
  }

  /** Bid calls per buyer and outcome since start. */
  public Map<String, Map<String, Long>> bidCounts() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    bidPoints.forEach((buyer, byOutcome) -> {
      for (BidOutcome outcome : BidOutcome.values()) {
        CounterDataPoint point = byOutcome.get(outcome.ordinal());
        if (point != null && outcome.wire != null) {
          out.computeIfAbsent(buyer, b -> new TreeMap<>()).put(outcome.wire, point.getLongValue());
        }
      }
    });
    return out;
  }

  /** Sales per buyer since start. */
  public Map<String, Long> saleCounts() {
    Map<String, Long> out = new TreeMap<>();
    salePoints.forEach((buyer, point) -> out.put(buyer, point.getLongValue()));
    return out;
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
