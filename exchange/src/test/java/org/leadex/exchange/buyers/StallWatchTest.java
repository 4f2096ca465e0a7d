package org.leadex.exchange.buyers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StallWatchTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 5_000 * MS;

  /** A watch whose buyer answered once, long before T0. */
  private static StallWatch answeredOnce() {
    StallWatch watch = new StallWatch();
    watch.sent(MS);
    watch.ended(2 * MS, true);
    return watch;
  }

  @Test
  void aBuyerWithEnoughCallsOutAndNoAnswerForTheSilenceHasStalled() {
    StallWatch watch = answeredOnce();
    for (int i = 0; i <= StallWatch.MIN_CALLS_OUT; i++) {
      watch.sent(T0 + i * MS);
    }
    long silence = StallWatch.SILENCE_MILLIS * MS;
    assertFalse(watch.stalled(T0 + silence), "not before the silence is over");
    assertTrue(watch.stalled(T0 + silence + MS));
    assertEquals(StallWatch.SILENCE_MILLIS + 1, watch.silentMillis(T0 + silence + MS));

    watch.ended(T0 + 120 * MS, true); // an answer: a sign of life, and still MIN_CALLS_OUT out
    assertEquals(StallWatch.MIN_CALLS_OUT, watch.callsOut());
    assertFalse(watch.stalled(T0 + 120 * MS + silence));
    assertTrue(watch.stalled(T0 + 120 * MS + silence + MS), "silent again for as long");

    watch.ended(T0 + 300 * MS, false); // a call ending by its deadline is no sign of life
    watch.sent(T0 + 300 * MS);
    assertTrue(watch.stalled(T0 + 301 * MS));
  }

  @Test
  void fewerCallsOutThanTheMinimumNeverStall() {
    StallWatch watch = answeredOnce();
    for (int i = 0; i < StallWatch.MIN_CALLS_OUT - 1; i++) {
      watch.sent(T0);
    }
    assertFalse(watch.stalled(T0 + 10_000 * MS), "a quiet buyer with a few calls out is judged by its deadlines alone");
    watch.sent(T0 + 10_000 * MS);
    watch.ended(T0 + 10_001 * MS, false); // one ends by its deadline: back under the minimum
    assertFalse(watch.stalled(T0 + 10_002 * MS));
    assertEquals(StallWatch.MIN_CALLS_OUT - 1, watch.callsOut());
  }

  @Test
  void aBusyPeriodAfterAQuietOneStartsTheSilenceAfresh() {
    StallWatch watch = answeredOnce(); // its last answer long before the calls below
    for (int i = 0; i < StallWatch.MIN_CALLS_OUT; i++) {
      watch.sent(T0 + i * MS);
    }
    assertFalse(watch.stalled(T0 + 50 * MS), "a slow buyer's first answers are waited for");
    assertTrue(watch.stalled(T0 + 101 * MS));
  }

  @Test
  void aBuyerThatNeverAnsweredIsLeftToItsCircuit() {
    StallWatch watch = new StallWatch();
    for (int i = 0; i < 3 * StallWatch.MIN_CALLS_OUT; i++) {
      watch.sent(T0);
    }
    assertFalse(watch.stalled(T0 + 10_000 * MS), "first answers may be slow: connections, a cold JIT");
    watch.ended(T0 + 10_001 * MS, false);
    assertFalse(watch.stalled(T0 + 10_002 * MS), "a timeout is no answer");
    watch.ended(T0 + 10_003 * MS, true);
    assertTrue(watch.stalled(T0 + 10_104 * MS), "once it has answered, its silence counts");
  }
}
