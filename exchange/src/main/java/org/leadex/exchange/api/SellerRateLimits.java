package org.leadex.exchange.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.leadex.exchange.admission.TokenBucket;
import org.leadex.exchange.catalog.RateLimit;
import org.leadex.exchange.catalog.Seller;

/**
 * Per-seller request rate limits of this instance: the seller's own {@code rate_limit}, else the
 * exchange's default (none when that is null). One {@link TokenBucket} per seller, replaced when the
 * seller's limit changes. Thread safe, lock-free on the common path (a map lookup and one CAS).
 */
public final class SellerRateLimits {
  private final RateLimit defaultLimit;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public SellerRateLimits(RateLimit defaultLimit) {
    this(defaultLimit, System::nanoTime);
  }

  SellerRateLimits(RateLimit defaultLimit, LongSupplier nanoClock) {
    this.defaultLimit = defaultLimit;
    this.nanoClock = nanoClock;
  }

  /** Takes one request from the seller's allowance, or refuses it with 429 and a Retry-After. */
  public void admit(Seller seller) {
    RateLimit limit = seller.rateLimit().orElse(defaultLimit);
    if (limit == null) {
      return;
    }
    long now = nanoClock.getAsLong();
    TokenBucket bucket = buckets.get(seller.code());
    if (bucket == null || !bucket.limit().equals(limit)) {
      // A new seller or a changed limit: start a full bucket under the new limit.
      bucket = buckets.compute(seller.code(), (code, old) -> old != null && old.limit().equals(limit) ? old
          : new TokenBucket(limit, now));
    }
    long waitNanos = bucket.take(now);
    if (waitNanos > 0) {
      throw ApiError.rateLimited((int) Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }
  }
}
