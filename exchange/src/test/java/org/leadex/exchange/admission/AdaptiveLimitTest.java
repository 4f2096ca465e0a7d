package org.leadex.exchange.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
  private static final long MS = 1_000_000L;
  private final AdaptiveLimit limit = new AdaptiveLimit(new AdaptiveLimit.Settings(1_000, 32, 10, 200));

  @Test
  void startsAtTheCeilingAndStaysThereWhileTheLoopsKeepTime() {
    assertEquals(1_000, limit.current());
    for (int i = 0; i < 10; i++) {
      limit.turnedAway();
      assertEquals(1_000, limit.adjust(2, 900, i * 50 * MS));
    }
  }

  @Test
  void oneLateIntervalIsNotOverload() {
    assertEquals(1_000, limit.adjust(40, 100, 0), "a spike: a neighbour or a GC");
    assertEquals(1_000, limit.adjust(2, 100, 50 * MS));
    assertEquals(1_000, limit.adjust(40, 100, 100 * MS), "another spike, not two in a row");
  }

  @Test
  void twoLateIntervalsInARowCutTo90PercentOfWhatIsInFlight() {
    limit.adjust(11, 100, 0);
    assertEquals(90, limit.adjust(11, 100, 50 * MS), "cut from the pings in flight, not from an unused ceiling");
    assertEquals(90, limit.adjust(40, 70, 100 * MS), "no second cut before the cooldown: the first has not shown yet");
    assertEquals(63, limit.adjust(40, 70, 250 * MS), "the next cut once the cooldown is over");
  }

  @Test
  void neverBelowTheFloor() {
    long now = 0;
    for (int i = 0; i < 40; i++, now += 100 * MS) {
      limit.adjust(100, 10, now);
    }
    assertEquals(32, limit.current());
  }

  @Test
  void growsBackOnlyWhileItTurnsPingsAwayAndTheLoopsKeepTime() {
    limit.adjust(50, 100, 0);
    limit.adjust(50, 100, 50 * MS);
    assertEquals(90, limit.current());
    assertEquals(90, limit.adjust(1, 60, 100 * MS), "not pressed: no reason to grow");
    limit.turnedAway();
    assertEquals(90, limit.adjust(6, 90, 150 * MS), "pressed but the loops above half the target: hold");
    limit.turnedAway();
    assertEquals(99, limit.adjust(5, 90, 200 * MS), "pressed and on time: a tenth more");
    limit.turnedAway();
    assertEquals(108, limit.adjust(0, 99, 250 * MS));
  }

  @Test
  void growsByAtLeastTwoAndNeverPastTheCeiling() {
    AdaptiveLimit small = new AdaptiveLimit(new AdaptiveLimit.Settings(12, 4, 10, 0));
    small.adjust(20, 5, 0);
    small.adjust(20, 5, 1);
    assertEquals(4, small.current());
    small.turnedAway();
    assertEquals(6, small.adjust(0, 4, MS));
    for (int i = 0; i < 10; i++) {
      small.turnedAway();
      small.adjust(0, 12, (i + 2) * MS);
    }
    assertEquals(12, small.current());
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveLimit.Settings(10, 0, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveLimit.Settings(10, 20, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveLimit.Settings(10, 5, 0, 0));
  }
}
