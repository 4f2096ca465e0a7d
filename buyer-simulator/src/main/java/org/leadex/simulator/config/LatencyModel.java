package org.leadex.simulator.config;

import java.util.random.RandomGenerator;

/**
 * Immutable. How long a buyer takes to answer: log-normal given by its median and 99th percentile
 * (sigma = ln(p99 / median) / 2.326), plus a fraction of requests it never answers at all.
 *
 * <p>Log-normal because service latency is: a floor, a hump, and a long right tail. Parameterising
 * by median and p99 keeps the numbers the ones people quote. {@code median_ms = p99_ms} gives a
 * fixed delay; 0 and 0 answer at once. A sample is capped at {@value #MAX_DELAY_MS} ms.
 *
 * @param medianMs the median delay in milliseconds, ≥ 0
 * @param p99Ms the 99th-percentile delay in milliseconds, ≥ median
 * @param hangRate fraction of requests never answered (the connection stays open until the client
 *     gives up), 0..1
 */
public record LatencyModel(long medianMs, long p99Ms, double hangRate) {

  public static final long MAX_DELAY_MS = 60_000;

  public static final LatencyModel IMMEDIATE = new LatencyModel(0, 0, 0);

  public LatencyModel {
    if (medianMs < 0 || medianMs > MAX_DELAY_MS) {
      throw new IllegalArgumentException("latency median_ms must be within 0.." + MAX_DELAY_MS + ", got " + medianMs);
    }
    if (p99Ms < medianMs || p99Ms > MAX_DELAY_MS) {
      throw new IllegalArgumentException(
          "latency p99_ms must be within median_ms (" + medianMs + ").." + MAX_DELAY_MS + ", got " + p99Ms);
    }
    Rates.requireRate("latency hang_rate", hangRate);
  }

  public static LatencyModel fixed(long ms) {
    return new LatencyModel(ms, ms, 0);
  }

  public static LatencyModel logNormal(long medianMs, long p99Ms) {
    return new LatencyModel(medianMs, p99Ms, 0);
  }

  public LatencyModel withHangRate(double rate) {
    return new LatencyModel(medianMs, p99Ms, rate);
  }

  public double sigma() {
    return medianMs == 0 ? 0 : Math.log((double) p99Ms / medianMs) / PriceDistribution.Z99;
  }

  /** A delay in whole milliseconds (the resolution of Vert.x timers). Hangs are drawn elsewhere. */
  public long sampleMs(RandomGenerator random) {
    if (medianMs == 0) {
      return 0;
    }
    double sigma = sigma();
    if (sigma == 0) {
      return medianMs;
    }
    double ms = Math.exp(Math.log(medianMs) + sigma * random.nextGaussian());
    return Math.min(MAX_DELAY_MS, Math.round(ms));
  }
}
