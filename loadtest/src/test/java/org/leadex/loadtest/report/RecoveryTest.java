package org.leadex.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.measure.IntervalSample;
import org.leadex.loadtest.measure.SecondSample;

class RecoveryTest {

  @Test
  void p99IsBackFromTheEndOfTheLastSecondAboveTheLimit() {
    // Window 5..10 s; before it p99 100 ms and goodput 100/s. After it: 300, 250, 105, 120, 100.
    List<SecondSample> whole = new ArrayList<>();
    for (int t = 1; t <= 10; t++) {
      whole.add(second(t, 100, 100));
    }
    double[] p99 = {300, 250, 105, 120, 100, 100};
    long[] goodput = {20, 95, 92, 100, 100, 100};
    for (int i = 0; i < p99.length; i++) {
      whole.add(second(11 + i, p99[i], goodput[i]));
    }
    Recovery r = Recovery.of(whole, 10, 16, 100, 100, 0.1);

    assertEquals(110, r.p99LimitMs(), 1e-9);
    assertEquals(4.0, r.p99RecoverySeconds(), "the 120 ms second at 14 s was the last over 110");
    assertEquals(90, r.goodputLimitPerSecond(), 1e-9);
    assertEquals(1.0, r.goodputRecoverySeconds(), "20/s in the first second, then 95 and on");
  }

  @Test
  void aRunThatEndsStillOverTheLimitHasNotRecovered() {
    List<SecondSample> whole = new ArrayList<>(List.of(second(1, 100, 100), second(2, 100, 100),
        second(3, 400, 10), second(4, 100, 100), second(5, 400, 10)));
    Recovery r = Recovery.of(whole, 2, 5, 100, 100, 0.1);
    assertNull(r.p99RecoverySeconds());
    assertNull(r.goodputRecoverySeconds());
  }

  @Test
  void aQuietSecondAfterTheWindowIsNotBack() {
    List<SecondSample> whole = List.of(second(1, 100, 100), second(2, 100, 0), second(3, 100, 100),
        second(4, 100, 100));
    Recovery r = Recovery.of(whole, 1, 4, 100, 100, 0.1);
    assertEquals(1.0, r.goodputRecoverySeconds());
  }

  @Test
  void theDrainAfterTheScheduleIsLeftOut() {
    List<SecondSample> whole = List.of(second(1, 100, 100), second(2, 100, 100),
        second(3, 100, 100), second(4, 900, 5));
    Recovery r = Recovery.of(whole, 1, 3, 100, 100, 0.1);
    assertEquals(0.0, r.p99RecoverySeconds(), "the second after the end holds only stragglers");
  }

  private static SecondSample second(double at, double p99, long goodput) {
    IntervalSample pings = new IntervalSample(goodput, goodput, 0, p99 / 2, p99, p99, goodput, 0,
        0, 0, 0);
    return new SecondSample(at, 1.0, Map.of("ping", pings), -1);
  }
}
