package org.leadex.exchange.reports;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Inclusive UTC dates, {@code from} to {@code to}: the half-open instant range [from 00:00, to+1 00:00). */
public record ReportPeriod(LocalDate from, LocalDate to) {
  /** Longer ranges are refused: a decade of daily rows is already more than anyone reads. */
  public static final int MAX_DAYS = 3_660;

  public ReportPeriod {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("'to' is before 'from'");
    }
    if (from.plusDays(MAX_DAYS).isBefore(to)) {
      throw new IllegalArgumentException("a report covers at most " + MAX_DAYS + " days");
    }
  }

  public OffsetDateTime start() {
    return from.atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  /** Exclusive. */
  public OffsetDateTime end() {
    return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
  }
}
