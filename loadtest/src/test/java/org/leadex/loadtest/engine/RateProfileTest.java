package org.leadex.loadtest.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateProfileTest {

  @Test
  void aSurgeSendsTheBaseRateThenTheMultipleThenTheBaseRateAgain() {
    RateProfile surge = new RateProfile(100, Duration.ofSeconds(5), Duration.ofSeconds(2),
        Duration.ofSeconds(1), 3, "surge");
    List<Phase> phases = surge.phases(false, 1, () -> { });

    assertEquals(List.of("before", "surge", "after"), phases.stream().map(Phase::name).toList());
    assertEquals(List.of(200L, 300L, 200L), counts(phases), "rate x length, phase by phase");
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2)),
        phases.stream().map(Phase::duration).toList());
    assertEquals(700, surge.plannedArrivals(), 1e-9);
  }

  @Test
  void aStormKeepsTheRateAndStartsItsWindowWithTheStormPhase() {
    List<String> started = new ArrayList<>();
    RateProfile storm = new RateProfile(50, Duration.ofSeconds(6), Duration.ofSeconds(1),
        Duration.ofSeconds(3), 1, "storm");
    List<Phase> phases = storm.phases(false, 1, () -> started.add("storm"));

    assertEquals(List.of(50L, 150L, 100L), counts(phases));
    phases.get(0).onStart().run();
    phases.get(2).onStart().run();
    assertEquals(List.of(), started, "only the window's phase starts the storm");
    phases.get(1).onStart().run();
    assertEquals(List.of("storm"), started);
  }

  @Test
  void poissonPhasesKeepTheirMeanRates() {
    RateProfile surge = new RateProfile(1000, Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofSeconds(10), 2, "surge");
    List<Long> counts = counts(surge.phases(true, 7, () -> { }));
    assertEquals(10_000, counts.get(0), 500);
    assertEquals(20_000, counts.get(1), 700);
    assertEquals(10_000, counts.get(2), 500);
  }

  @Test
  void aWindowNeedsASteadyStretchOnBothSides() {
    Duration ten = Duration.ofSeconds(10);
    assertThrows(IllegalArgumentException.class,
        () -> new RateProfile(100, ten, Duration.ZERO, Duration.ofSeconds(5), 2, "surge"));
    assertThrows(IllegalArgumentException.class,
        () -> new RateProfile(100, ten, Duration.ofSeconds(5), Duration.ofSeconds(5), 2, "surge"));
    assertThrows(IllegalArgumentException.class,
        () -> new RateProfile(100, ten, Duration.ofSeconds(2), Duration.ZERO, 2, "surge"));
    assertThrows(IllegalArgumentException.class,
        () -> new RateProfile(100, ten, Duration.ofSeconds(2), Duration.ofSeconds(2), 0, "surge"));
  }

  /** How many intended send times each phase's schedule holds within the phase. */
  private static List<Long> counts(List<Phase> phases) {
    List<Long> counts = new ArrayList<>();
    for (Phase phase : phases) {
      Arrivals arrivals = phase.arrivals().get();
      long count = 0;
      while (arrivals.nextOffsetNanos() < phase.durationNanos()) {
        count++;
      }
      counts.add(count);
    }
    return counts;
  }
}
