package org.leadex.exchange.catalog;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * When a buyer takes leads: days of the week and a daily window in its own time zone. A window whose
 * end is not after its start runs past midnight (22:00–06:00) and belongs to the day it starts on.
 * Pure.
 */
public record Schedule(ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to) {

  /** Why the buyer is closed at this instant, e.g. {@code schedule: closed (America/New_York 21:14)}. */
  public Optional<String> closed(Instant now) {
    return isOpen(now) ? Optional.empty() : Optional.of("schedule: closed (" + zone.getId() + " "
        + ZonedDateTime.ofInstant(now, zone).toLocalTime().withSecond(0).withNano(0) + ")");
  }

  public boolean isOpen(Instant now) {
    ZonedDateTime local = ZonedDateTime.ofInstant(now, zone);
    LocalTime time = local.toLocalTime();
    if (from.isBefore(to)) {
      return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }
    // overnight window: open from `from` on a listed day until `to` the next morning
    return (days.contains(local.getDayOfWeek()) && !time.isBefore(from))
        || (days.contains(local.getDayOfWeek().minus(1)) && time.isBefore(to));
  }

  /** The length of one day's window. */
  public Duration windowLength() {
    Duration d = Duration.between(from, to);
    return d.isNegative() || d.isZero() ? d.plusDays(1) : d;
  }

  /** How much of the window that is open at {@code now} has elapsed (for even pacing). */
  public Duration elapsedInWindow(Instant now) {
    ZonedDateTime local = ZonedDateTime.ofInstant(now, zone);
    Duration sinceFrom = Duration.between(from, local.toLocalTime());
    if (sinceFrom.isNegative()) {
      sinceFrom = sinceFrom.plusDays(1);
    }
    return sinceFrom.compareTo(windowLength()) > 0 ? windowLength() : sinceFrom;
  }

  private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  public static Schedule read(DocReader doc) {
    ZoneId zone;
    try {
      zone = ZoneId.of(doc.string("timezone", 64));
    } catch (java.time.DateTimeException e) {
      throw ApiError.validation(doc.path("timezone"), doc.path("timezone") + " must be an IANA time zone such as America/New_York");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    doc.list("days", 7, e -> {
      int index = DAY_NAMES.indexOf(e.string(3));
      if (index < 0) {
        throw ApiError.validation(e.path(), e.path() + " must be one of " + DAY_NAMES);
      }
      days.add(DayOfWeek.of(index + 1));
      return e;
    });
    if (!doc.has("days")) {
      days.addAll(EnumSet.allOf(DayOfWeek.class));
    }
    LocalTime from = time(doc, "from", LocalTime.MIDNIGHT);
    LocalTime to = time(doc, "to", LocalTime.MIDNIGHT);
    doc.done();
    return new Schedule(zone, Set.copyOf(days), from, to);
  }

  private static LocalTime time(DocReader doc, String field, LocalTime otherwise) {
    return doc.optString(field, 5).map(text -> {
      try {
        return text.equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(text);
      } catch (DateTimeParseException e) {
        throw ApiError.validation(doc.path(field), doc.path(field) + " must be a time of day as HH:MM");
      }
    }).orElse(otherwise);
  }
}
