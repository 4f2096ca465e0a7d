package org.leadex.exchange.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.money.Money;

class ScheduleAndCapsTest {
  private static final Schedule WEEKDAYS_NY = new Schedule(ZoneId.of("America/New_York"),
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(20, 0));

  @Test
  void aScheduleIsReadInTheBuyersTimeZone() {
    // Monday 2026-11-23 01:30 UTC is Sunday 20:30 in New York: closed
    assertEquals(Optional.of("schedule: closed (America/New_York 20:30)"),
        WEEKDAYS_NY.closed(Instant.parse("2026-11-23T01:30:00Z")));
    // Monday 13:00 UTC is 08:00 in New York: open (the window includes its start)
    assertTrue(WEEKDAYS_NY.isOpen(Instant.parse("2026-11-23T13:00:00Z")));
    // Saturday 2026-11-28 01:00 UTC is still Friday 20:00 in New York: the window excludes its end
    assertFalse(WEEKDAYS_NY.isOpen(Instant.parse("2026-11-28T01:00:00Z")));
    // and Friday 19:59 in New York (Saturday 00:59 UTC) is open
    assertTrue(WEEKDAYS_NY.isOpen(Instant.parse("2026-11-28T00:59:00Z")));
  }

  @Test
  void anOvernightWindowBelongsToTheDayItStarts() {
    Schedule nights = new Schedule(ZoneId.of("UTC"), EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(22, 0), LocalTime.of(6, 0));
    assertTrue(nights.isOpen(Instant.parse("2026-11-23T23:00:00Z")));  // Monday night
    assertTrue(nights.isOpen(Instant.parse("2026-11-24T05:59:00Z")));  // Tuesday morning, Monday's window
    assertFalse(nights.isOpen(Instant.parse("2026-11-24T23:00:00Z"))); // Tuesday night
  }

  @Test
  void evenPacingAllowsTheElapsedShareOfTheDailyCapPlusOne() {
    Caps caps = new Caps(null, 120, null, true);
    // 08:00-20:00 New York; 11:00 is a quarter through: floor(0.25 x 120) + 1 = 31
    Instant quarter = Instant.parse("2026-11-23T16:00:00Z");
    assertEquals(31, caps.dailyNow(WEEKDAYS_NY, quarter));
    assertEquals(Optional.empty(), caps.reached(WEEKDAYS_NY, quarter, 0, 30, Money.ZERO));
    assertEquals(Optional.of("cap: paced daily 31 of 120 reached"), caps.reached(WEEKDAYS_NY, quarter, 0, 31, Money.ZERO));
  }

  @Test
  void evenPacingHoldsADailyCapOf24OverAWholeDayToTwoSalesInTheFirstHour() {
    Caps caps = new Caps(null, 24, null, true); // no schedule: open all 24 hours of the UTC day
    Instant midnight = Instant.parse("2026-11-23T00:00:00Z");
    int sold = 0;
    for (int minute = 0; minute <= 60; minute++) { // a buyer that takes every lead it is allowed, minute by minute
      if (caps.reached(null, midnight.plusSeconds(60L * minute), 0, sold, Money.ZERO).isEmpty()) {
        sold++;
      }
    }
    assertEquals(2, sold, "one at the start, a second once an hour of the day has passed");
    for (int minute = 61; minute < 24 * 60; minute++) {
      if (caps.reached(null, midnight.plusSeconds(60L * minute), 0, sold, Money.ZERO).isEmpty()) {
        sold++;
      }
    }
    assertEquals(24, sold, "the whole cap by the end of the day");
  }

  @Test
  void capsNameTheLimitReached() {
    Caps caps = new Caps(5, 20, Money.ofCents(10_000), false);
    Instant now = Instant.parse("2026-11-23T16:00:00Z");
    assertEquals(Optional.of("cap: hourly 5 reached"), caps.reached(null, now, 5, 5, Money.ZERO));
    assertEquals(Optional.of("cap: daily 20 reached"), caps.reached(null, now, 0, 20, Money.ZERO));
    assertEquals(Optional.of("cap: daily_budget 100.00 reached"), caps.reached(null, now, 0, 3, Money.ofCents(10_000)));
    assertEquals(Optional.empty(), caps.reached(null, now, 4, 19, Money.ofCents(9_999)));
  }
}
