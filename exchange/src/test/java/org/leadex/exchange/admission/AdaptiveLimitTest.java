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
  void aLateLoopCutsToThreeQuartersOfWhatIsInFlight() {
    assertEquals(75, limit.adjust(11, 100, 0), "cut from the pings in flight, not from an unused ceiling");
    assertEquals(75, limit.adjust(40, 70, 50 * MS), "no second cut before the cooldown: the first has not shown yet");
    assertEquals(52, limit.adjust(40, 70, 200 * MS), "the next cut once the cooldown is over");
  }

  @Test
  void neverBelowTheFloor() {
    long now = 0;
    for (int i = 0; i < 20; i++, now += 200 * MS) {
      limit.adjust(100, 10, now);
    }
    assertEquals(32, limit.current());
  }

  @Test
  void growsBackOnlyWhileItTurnsPingsAwayAndTheLoopsKeepTime() {
    limit.adjust(50, 100, 0);
    assertEquals(75, limit.current());
    assertEquals(75, limit.adjust(1, 60, 50 * MS), "not pressed: no reason to grow");
    limit.turnedAway();
    assertEquals(75, limit.adjust(6, 75, 100 * MS), "pressed but the loops above half the target: hold");
    limit.turnedAway();
    assertEquals(82, limit.adjust(5, 75, 150 * MS), "pressed and on time: a tenth more");
    limit.turnedAway();
    assertEquals(90, limit.adjust(0, 82, 200 * MS));
  }

  @Test
  void growsByAtLeastTwoAndNeverPastTheCeiling() {
    AdaptiveLimit small = new AdaptiveLimit(new AdaptiveLimit.Settings(12, 4, 10, 0));
    small.adjust(20, 5, 0);
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
