package org.leadex.exchange.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.money.Money;

/**
 * How much a buyer takes: leads per hour and per day, money per day, and whether the daily cap is
 * spread evenly over its open hours. Absent limits are {@code null}. Days and hours are counted in
 * the buyer's schedule time zone (UTC without a schedule). Pure.
 */
public record Caps(Integer hourly, Integer daily, Money dailyBudget, boolean evenPacing) {

  public static final Caps NONE = new Caps(null, null, null, false);

  public boolean any() {
    return hourly != null || daily != null || dailyBudget != null;
  }

  /**
   * The daily cap in force at {@code now}: the cap itself, or under even pacing
   * floor(elapsed open time ÷ total open time × cap) + 1, never above the cap.
   */
  public Integer dailyNow(Schedule schedule, Instant now) {
    if (daily == null || !evenPacing) {
      return daily;
    }
    Duration total = schedule == null ? Duration.ofDays(1) : schedule.windowLength();
    Duration elapsed = schedule == null
        ? Duration.between(now.atZone(java.time.ZoneOffset.UTC).toLocalDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), now)
        : schedule.elapsedInWindow(now);
    long allowed = (long) Math.floor((double) elapsed.toMillis() / total.toMillis() * daily) + 1;
    return (int) Math.min(daily, allowed);
  }

  /** Why the buyer is over a cap given what it used, or empty. */
  public Optional<String> reached(Schedule schedule, Instant now, int soldHour, int soldDay, Money spentDay) {
    if (hourly != null && soldHour >= hourly) {
      return Optional.of("cap: hourly " + hourly + " reached");
    }
    Integer dailyCap = dailyNow(schedule, now);
    if (dailyCap != null && soldDay >= dailyCap) {
      return Optional.of(evenPacing && !dailyCap.equals(daily)
          ? "cap: paced daily " + dailyCap + " of " + daily + " reached" : "cap: daily " + daily + " reached");
    }
    if (dailyBudget != null && spentDay.compareTo(dailyBudget) >= 0) {
      return Optional.of("cap: daily_budget " + dailyBudget + " reached");
    }
    return Optional.empty();
  }

  public static Caps read(DocReader doc) {
    Integer hourly = doc.optLong("hourly", 0, 1_000_000).map(Long::intValue).orElse(null);
    Integer daily = doc.optLong("daily", 0, 10_000_000).map(Long::intValue).orElse(null);
    Money budget = doc.optMoney("daily_budget").orElse(null);
    String pacing = doc.optString("pacing", 16).orElse("none");
    if (!pacing.equals("none") && !pacing.equals("even")) {
      throw ApiError.validation(doc.path("pacing"), doc.path("pacing") + " must be none or even");
    }
    if (pacing.equals("even") && daily == null) {
      throw ApiError.validation(doc.path("pacing"), "even pacing spreads the daily cap: set caps.daily");
    }
    doc.done();
    return new Caps(hourly, daily, budget, pacing.equals("even"));
  }
}
