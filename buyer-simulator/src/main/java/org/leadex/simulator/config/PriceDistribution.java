package org.leadex.simulator.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Immutable. How a buyer prices the leads it bids on; every sample is whole cents.
 *
 * <p>Bounded distributions ({@code normal}, {@code log_normal}) are truncated, not clamped: a
 * sample outside [min, max] is drawn again, so the bounds do not pile up probability at the
 * edges. After {@value #MAX_REDRAWS} failed draws (only possible with bounds far out in a tail)
 * the last draw is clamped, so sampling always ends.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PriceDistribution.Fixed.class, name = "fixed"),
  @JsonSubTypes.Type(value = PriceDistribution.Uniform.class, name = "uniform"),
  @JsonSubTypes.Type(value = PriceDistribution.Normal.class, name = "normal"),
  @JsonSubTypes.Type(value = PriceDistribution.LogNormal.class, name = "log_normal")
})
public sealed interface PriceDistribution {

  int MAX_REDRAWS = 64;

  /** z of the 99th percentile of the standard normal distribution. */
  double Z99 = 2.326;

  long sampleCents(RandomGenerator random);

  /** Always the same price. */
  record Fixed(Money price) implements PriceDistribution {
    public Fixed {
      Objects.requireNonNull(price, "fixed price: 'price' is required");
      if (price.cents() == 0) {
        throw new IllegalArgumentException("fixed price must be above 0.00 (a buyer that never bids has bid_probability 0)");
      }
    }

    @Override
    public long sampleCents(RandomGenerator random) {
      return price.cents();
    }
  }

  /** Every cent in [min, max] equally likely. */
  record Uniform(Money min, Money max) implements PriceDistribution {
    public Uniform {
      requireBounds("uniform", min, max);
    }

    @Override
    public long sampleCents(RandomGenerator random) {
      return random.nextLong(min.cents(), max.cents() + 1);
    }
  }

  /** Normal with a mean and a standard deviation, truncated to [min, max]. */
  record Normal(Money mean, Money stddev, Money min, Money max) implements PriceDistribution {
    public Normal {
      Objects.requireNonNull(mean, "normal price: 'mean' is required");
      Objects.requireNonNull(stddev, "normal price: 'stddev' is required");
      requireBounds("normal", min, max);
      if (mean.compareTo(min) < 0 || mean.compareTo(max) > 0) {
        throw new IllegalArgumentException("normal price: mean " + mean + " must lie within [" + min + ", " + max + "]");
      }
    }

    @Override
    public long sampleCents(RandomGenerator random) {
      double x = 0;
      for (int i = 0; i < MAX_REDRAWS; i++) {
        x = mean.cents() + stddev.cents() * random.nextGaussian();
        long cents = Math.round(x);
        if (cents >= min.cents() && cents <= max.cents()) {
          return cents;
        }
      }
      return clamp(Math.round(x), min, max);
    }
  }

  /**
   * Log-normal given by its median and its 99th percentile (sigma = ln(p99 / median) / 2.326),
   * truncated to [min, max]. Prices of real leads are skewed like this: most near the median, a
   * long tail of eager buyers.
   */
  record LogNormal(Money median, Money p99, Money min, Money max) implements PriceDistribution {
    public LogNormal {
      Objects.requireNonNull(median, "log_normal price: 'median' is required");
      Objects.requireNonNull(p99, "log_normal price: 'p99' is required");
      requireBounds("log_normal", min, max);
      if (median.cents() == 0) {
        throw new IllegalArgumentException("log_normal price: median must be above 0.00");
      }
      if (p99.compareTo(median) < 0) {
        throw new IllegalArgumentException("log_normal price: p99 " + p99 + " must be at least the median " + median);
      }
      if (median.compareTo(min) < 0 || median.compareTo(max) > 0) {
        throw new IllegalArgumentException("log_normal price: median " + median + " must lie within [" + min + ", " + max + "]");
      }
    }

    public double sigma() {
      return Math.log((double) p99.cents() / median.cents()) / Z99;
    }

    @Override
    public long sampleCents(RandomGenerator random) {
      double mu = Math.log(median.cents());
      double sigma = sigma();
      long cents = 0;
      for (int i = 0; i < MAX_REDRAWS; i++) {
        cents = Math.round(Math.exp(mu + sigma * random.nextGaussian()));
        if (cents >= min.cents() && cents <= max.cents()) {
          return cents;
        }
      }
      return clamp(cents, min, max);
    }
  }

  private static void requireBounds(String type, Money min, Money max) {
    if (min == null || max == null) {
      throw new IllegalArgumentException(type + " price: 'min' and 'max' are required");
    }
    if (min.cents() == 0) {
      throw new IllegalArgumentException(type + " price: min must be above 0.00");
    }
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException(type + " price: min " + min + " must not exceed max " + max);
    }
  }

  private static long clamp(long cents, Money min, Money max) {
    return Math.max(min.cents(), Math.min(max.cents(), cents));
  }
}
