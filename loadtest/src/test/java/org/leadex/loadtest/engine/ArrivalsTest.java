package org.leadex.loadtest.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArrivalsTest {

  @Test
  void constantArrivalsAreEvenlySpaced() {
    Arrivals arrivals = Arrivals.constant(500);
    assertEquals(0, arrivals.nextOffsetNanos());
    assertEquals(2_000_000, arrivals.nextOffsetNanos());
    assertEquals(4_000_000, arrivals.nextOffsetNanos());
    assertEquals(1000, countWithin(Arrivals.constant(1000), 1_000_000_000L));
    assertEquals(Long.MAX_VALUE, Arrivals.constant(0).nextOffsetNanos());
  }

  @Test
  void aRampSendsAQuarterOfItsArrivalsInItsFirstHalf() {
    long tenSeconds = 10_000_000_000L;
    long total = countWithin(Arrivals.ramp(100, tenSeconds), tenSeconds);
    long firstHalf = countWithin(Arrivals.ramp(100, tenSeconds), tenSeconds / 2);
    assertEquals(500, total, 1, "half of what a flat rate would send");
    assertEquals(125, firstHalf, 1);
  }

  @Test
  void poissonArrivalsHaveTheMeanRateAndRepeatWithTheSeed() {
    long total = countWithin(Arrivals.poisson(1000, 7), 10_000_000_000L);
    assertTrue(total > 9_700 && total < 10_300, "about 10,000: " + total);
    Arrivals a = Arrivals.poisson(1000, 7);
    Arrivals b = Arrivals.poisson(1000, 7);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.nextOffsetNanos(), b.nextOffsetNanos());
    }
  }

  private static long countWithin(Arrivals arrivals, long nanos) {
    long count = 0;
    long previous = -1;
    long offset;
    while ((offset = arrivals.nextOffsetNanos()) < nanos) {
      assertTrue(offset >= previous, "non-decreasing");
      previous = offset;
      count++;
    }
    return count;
  }
}
