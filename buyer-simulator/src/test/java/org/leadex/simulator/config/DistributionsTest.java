package org.leadex.simulator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The samplers against their configured parameters, over {@value #N} draws each. Tolerances are
 * several standard errors wide (stated per test), so a correct sampler passes for any seed, and a
 * wrong parameterisation (say, sigma off by 20%) fails.
 */
class DistributionsTest {
  static final int N = 20_000;

  private static long[] sample(PriceDistribution d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] out = new long[N];
    for (int i = 0; i < N; i++) {
      out[i] = d.sampleCents(r);
    }
    Arrays.sort(out);
    return out;
  }

  private static double mean(long[] xs) {
    return Arrays.stream(xs).average().orElseThrow();
  }

  private static double stddev(long[] xs) {
    double m = mean(xs);
    return Math.sqrt(Arrays.stream(xs).mapToDouble(x -> (x - m) * (x - m)).sum() / (xs.length - 1));
  }

  private static long quantile(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  private static void assertWithin(double expected, double actual, double relative, String what) {
    assertTrue(Math.abs(actual - expected) <= relative * expected,
        what + ": expected " + expected + " ± " + (relative * 100) + "%, got " + actual);
  }

  @Test
  void a_fixed_price_is_always_that_price() {
    long[] xs = sample(new PriceDistribution.Fixed(Money.parse("9.99")), 1);
    assertEquals(999, xs[0]);
    assertEquals(999, xs[N - 1]);
  }

  @Test
  void uniform_prices_cover_every_cent_of_the_range_evenly() {
    long[] xs = sample(new PriceDistribution.Uniform(Money.parse("1.00"), Money.parse("50.00")), 2);
    assertTrue(xs[0] >= 100 && xs[N - 1] <= 5000, "within bounds");
    assertTrue(xs[0] <= 110 && xs[N - 1] >= 4990, "reaches both ends");
    // mean 25.50, sd 14.14: standard error of the mean 0.10 (±2% is 5 of them), of the sd ~0.35%
    assertWithin(2550, mean(xs), 0.02, "uniform mean");
    assertWithin(4900 / Math.sqrt(12), stddev(xs), 0.02, "uniform stddev");
  }

  @Test
  void normal_prices_have_the_configured_mean_and_stddev() {
    long[] xs = sample(new PriceDistribution.Normal(Money.parse("10.00"), Money.parse("2.00"), Money.parse("1.00"), Money.parse("50.00")), 3);
    // standard error of the mean 0.14%, of the stddev 0.5%
    assertWithin(1000, mean(xs), 0.01, "normal mean");
    assertWithin(200, stddev(xs), 0.03, "normal stddev");
  }

  @Test
  void bounded_normal_prices_stay_within_their_bounds() {
    long[] xs = sample(new PriceDistribution.Normal(Money.parse("10.00"), Money.parse("5.00"), Money.parse("8.00"), Money.parse("12.00")), 4);
    assertTrue(xs[0] >= 800 && xs[N - 1] <= 1200, "got " + xs[0] + ".." + xs[N - 1]);
    // truncated, not clamped: no pile-up at the bounds (a clamp would put ~34% on each bound)
    long atMin = Arrays.stream(xs).filter(x -> x == 800).count();
    assertTrue(atMin < N / 100, "share at the lower bound " + atMin);
  }

  @Test
  void log_normal_prices_have_the_configured_median_and_p99() {
    long[] xs = sample(new PriceDistribution.LogNormal(Money.parse("10.00"), Money.parse("30.00"), Money.parse("1.00"), Money.parse("50.00")), 5);
    assertTrue(xs[0] >= 100 && xs[N - 1] <= 5000, "within bounds");
    // standard error of the median ~0.4%, of the p99 ~1.5%
    assertWithin(1000, quantile(xs, 0.5), 0.03, "log-normal median");
    assertWithin(3000, quantile(xs, 0.99), 0.10, "log-normal p99");
  }

  @Test
  void latency_is_log_normal_with_the_configured_median_and_p99() {
    LatencyModel m = new LatencyModel(20, 80, 0);
    SplittableRandom r = new SplittableRandom(6);
    long[] xs = new long[N];
    for (int i = 0; i < N; i++) {
      xs[i] = m.sampleMs(r);
    }
    Arrays.sort(xs);
    assertEquals(Math.log(4) / 2.326, m.sigma(), 1e-12);
    // standard error of the median ~0.4% (plus 1 ms rounding), of the p99 ~1.6%
    assertWithin(20, quantile(xs, 0.5), 0.05, "latency median");
    assertWithin(80, quantile(xs, 0.99), 0.10, "latency p99");
  }

  @Test
  void equal_median_and_p99_is_a_fixed_delay_and_zero_is_immediate() {
    SplittableRandom r = new SplittableRandom(7);
    assertEquals(35, LatencyModel.fixed(35).sampleMs(r));
    assertEquals(0, LatencyModel.IMMEDIATE.sampleMs(r));
  }
}
