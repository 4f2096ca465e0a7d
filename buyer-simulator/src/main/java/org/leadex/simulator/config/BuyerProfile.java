package org.leadex.simulator.config;

import java.util.Objects;

/**
 * Immutable. Everything that makes one simulated buyer behave as it does. Validated here, once;
 * {@code with…} methods return changed copies.
 *
 * @param bidProbability probability that it bids on a lead it wants and has capacity for
 * @param price how it prices its bids
 * @param sharedBidRatio in a campaign offering {@code ["exclusive","shared"]}, it adds
 *     {@code shared_bid} = bid × ratio (rounded half-up to the cent); in a {@code ["shared"]}
 *     campaign its {@code bid} is bid × ratio. 0 means it buys exclusive only (no
 *     {@code shared_bid}; full price in a shared campaign).
 * @param latency how long bid answers take, and how many never come
 * @param errors how often bid answers are broken, and how
 * @param post how it answers posts
 * @param dailyCapacity accepted posts per UTC day after which it stops bidding (and declines
 *     posts with reason {@code capacity}); 0 means unlimited
 * @param preferences which leads it bids on
 * @param timeoutMs the bid deadline it asks for when registered with an exchange
 * @param noBidAsZero answer a no-bid as 200 {@code {"bid":0}} instead of 204
 */
public record BuyerProfile(
    double bidProbability,
    PriceDistribution price,
    double sharedBidRatio,
    LatencyModel latency,
    ErrorRates errors,
    PostBehaviour post,
    long dailyCapacity,
    Preferences preferences,
    long timeoutMs,
    boolean noBidAsZero) {

  public BuyerProfile {
    Rates.requireRate("bid_probability", bidProbability);
    Objects.requireNonNull(price, "price is required");
    Rates.requireRate("shared_bid_ratio", sharedBidRatio);
    Objects.requireNonNull(latency, "latency is required");
    Objects.requireNonNull(errors, "errors is required");
    Objects.requireNonNull(post, "post is required");
    preferences = preferences == null ? Preferences.ANY : preferences;
    if (dailyCapacity < 0) {
      throw new IllegalArgumentException("daily_capacity must be ≥ 0 (0 = unlimited), got " + dailyCapacity);
    }
    if (timeoutMs < 1 || timeoutMs > 60_000) {
      throw new IllegalArgumentException("timeout_ms must be within 1..60000, got " + timeoutMs);
    }
    if (errors.total() + latency.hangRate() > 1 + 1e-9) {
      throw new IllegalArgumentException(
          "latency.hang_rate plus the error rates add up to more than 1 (" + (errors.total() + latency.hangRate()) + ")");
    }
  }

  public BuyerProfile withBidProbability(double p) {
    return new BuyerProfile(p, price, sharedBidRatio, latency, errors, post, dailyCapacity, preferences, timeoutMs, noBidAsZero);
  }

  public BuyerProfile withPrice(PriceDistribution d) {
    return new BuyerProfile(bidProbability, d, sharedBidRatio, latency, errors, post, dailyCapacity, preferences, timeoutMs, noBidAsZero);
  }

  public BuyerProfile withSharedBidRatio(double r) {
    return new BuyerProfile(bidProbability, price, r, latency, errors, post, dailyCapacity, preferences, timeoutMs, noBidAsZero);
  }

  public BuyerProfile withLatency(LatencyModel l) {
    return new BuyerProfile(bidProbability, price, sharedBidRatio, l, errors, post, dailyCapacity, preferences, timeoutMs, noBidAsZero);
  }

  public BuyerProfile withErrors(ErrorRates e) {
    return new BuyerProfile(bidProbability, price, sharedBidRatio, latency, e, post, dailyCapacity, preferences, timeoutMs, noBidAsZero);
  }

  public BuyerProfile withPost(PostBehaviour p) {
    return new BuyerProfile(bidProbability, price, sharedBidRatio, latency, errors, p, dailyCapacity, preferences, timeoutMs, noBidAsZero);
  }

  public BuyerProfile withDailyCapacity(long n) {
    return new BuyerProfile(bidProbability, price, sharedBidRatio, latency, errors, post, n, preferences, timeoutMs, noBidAsZero);
  }

  public BuyerProfile withPreferences(Preferences p) {
    return new BuyerProfile(bidProbability, price, sharedBidRatio, latency, errors, post, dailyCapacity, p, timeoutMs, noBidAsZero);
  }

  public BuyerProfile withTimeoutMs(long ms) {
    return new BuyerProfile(bidProbability, price, sharedBidRatio, latency, errors, post, dailyCapacity, preferences, ms, noBidAsZero);
  }

  public BuyerProfile withNoBidAsZero(boolean zero) {
    return new BuyerProfile(bidProbability, price, sharedBidRatio, latency, errors, post, dailyCapacity, preferences, timeoutMs, zero);
  }
}
