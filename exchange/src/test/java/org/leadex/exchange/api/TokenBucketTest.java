package org.leadex.exchange.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.admission.TokenBucket;
import org.leadex.exchange.catalog.AddressAllowList;
import org.leadex.exchange.catalog.Payout;
import org.leadex.exchange.catalog.RateLimit;
import org.leadex.exchange.catalog.Seller;

/** The per-seller token bucket: a burst, then the sustained rate, exactly, under contention too. */
class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketLetsTheBurstThroughThenRefillsAtTheRate() {
    long t0 = 5 * SECOND;
    TokenBucket bucket = new TokenBucket(new RateLimit(10, 3), t0);
    assertEquals(0, bucket.take(t0));
    assertEquals(0, bucket.take(t0));
    assertEquals(0, bucket.take(t0));
    long wait = bucket.take(t0);
    assertEquals(SECOND / 10, wait, "the fourth waits one interval");
    assertEquals(0, bucket.take(t0 + wait), "a token is back after one interval");
    assertTrue(bucket.take(t0 + wait) > 0);
    assertEquals(0, bucket.take(t0 + 10 * SECOND));
    assertEquals(0, bucket.take(t0 + 10 * SECOND));
    assertEquals(0, bucket.take(t0 + 10 * SECOND), "an idle bucket refills to its burst, no further");
    assertTrue(bucket.take(t0 + 10 * SECOND) > 0);
  }

  @Test
  void racingThreadsTakeExactlyTheBurst() throws Exception {
    long now = 77 * SECOND;
    TokenBucket bucket = new TokenBucket(new RateLimit(1, 500), now);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 1_000; i++) {
          if (bucket.take(now) == 0) {
            admitted.incrementAndGet();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(500, admitted.get());
  }

  @Test
  void aSellerOverItsLimitIsRefusedWithRetryAfterAndAChangedLimitStartsAFreshBucket() {
    AtomicLong clock = new AtomicLong(SECOND);
    SellerRateLimits limits = new SellerRateLimits(new RateLimit(1000, 1000), clock::get);
    Payout payout = new Payout.RevenueShare(BigDecimal.TEN);
    Seller slow = new Seller(1, "slow", "slow", payout, Optional.of(new RateLimit(1, 2)), AddressAllowList.ANY);
    limits.admit(slow);
    limits.admit(slow);
    ApiError refused = assertThrows(ApiError.class, () -> limits.admit(slow));
    assertEquals(429, refused.status());
    assertEquals("rate_limited", refused.code());
    assertEquals(1, refused.retryAfterSeconds());

    Seller faster = new Seller(1, "slow", "slow", payout, Optional.of(new RateLimit(1, 3)), AddressAllowList.ANY);
    limits.admit(faster);
    clock.addAndGet(SECOND / 2);
    Seller defaulted = new Seller(2, "other", "other", payout);
    for (int i = 0; i < 1000; i++) {
      limits.admit(defaulted);
    }
    assertThrows(ApiError.class, () -> limits.admit(defaulted), "the default limit holds for a seller without its own");
    new SellerRateLimits(null, clock::get).admit(defaulted); // no default: no limit
  }

  @Test
  void settingsSpellALimitAsRateOrRateSlashBurst() {
    assertEquals(new RateLimit(50, 50), RateLimit.parse("50"));
    assertEquals(new RateLimit(50, 200), RateLimit.parse("50/200"));
    assertEquals(null, RateLimit.parse("0"));
    assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("fast"));
    assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("5/0"));
    assertThrows(IllegalArgumentException.class, () -> RateLimit.parse("-1"));
  }
}
