package org.leadex.exchange.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalPeriodsTest {
  /** Zones with an hour's DST, a half hour's DST (Lord Howe), a half-hour offset and none. */
  private static final List<ZoneId> ZONES = List.of(ZoneId.of("America/New_York"), ZoneId.of("Europe/London"),
      ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Kolkata"), ZoneId.of("America/St_Johns"), ZoneId.of("UTC"));

  @Test
  void keptStartsAgreeWithWorkingThemOutAtEveryStepThroughAYear() {
    LocalPeriods periods = new LocalPeriods();
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    // 7 min 13 s steps land on every kind of hour, and on both sides of every DST change of 2026
    for (Instant now = from; now.isBefore(from.plus(Duration.ofDays(366))); now = now.plusSeconds(433)) {
      for (ZoneId zone : ZONES) {
        check(periods, zone, now);
      }
    }
  }

  @Test
  void rightAroundEachOffsetChange() {
    LocalPeriods periods = new LocalPeriods();
    for (ZoneId zone : ZONES) {
      var transition = zone.getRules().nextTransition(Instant.parse("2026-01-01T00:00:00Z"));
      for (int i = 0; transition != null && i < 4; i++) {
        Instant at = transition.getInstant();
        for (long millis : new long[] {-3_600_001, -1_800_000, -1, 0, 1, 1_799_999, 1_800_000, 3_599_999}) {
          check(periods, zone, at.plusMillis(millis));
        }
        transition = zone.getRules().nextTransition(at);
      }
    }
  }

  @Test
  void timeGoingBackAndForthStillAgrees() {
    LocalPeriods periods = new LocalPeriods();
    Random random = new Random(7);
    Instant base = Instant.parse("2026-11-01T04:00:00Z"); // New York falls back at 06:00Z
    for (int i = 0; i < 20_000; i++) {
      Instant now = base.plusMillis(random.nextInt(4 * 3_600_000));
      for (ZoneId zone : ZONES) {
        check(periods, zone, now);
      }
    }
  }

  private static void check(LocalPeriods periods, ZoneId zone, Instant now) {
    LocalPeriods.Starts starts = periods.at(zone, now);
    assertEquals(LocalPeriods.hourStart(zone, now), starts.hour(), () -> zone + " hour at " + now);
    assertEquals(LocalPeriods.dayStart(zone, now), starts.day(), () -> zone + " day at " + now);
  }
}
