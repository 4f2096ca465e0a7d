package org.leadex.loadtest.report;

import java.util.Locale;
import java.util.Map;

/** The final report as text, for stdout. Pure. */
public final class ConsoleReport {
  private ConsoleReport() {
  }

  public static String render(PhaseReport r) {
    StringBuilder out = new StringBuilder(2048);
    out.append(f("== %s: target %s/s for %s s (%s) ==%n", r.name(), num(r.targetRate()),
        num(r.durationSeconds()), r.status()));
    out.append(f("arrivals %d, achieved %.1f/s; generator %s cores, start lag p99 %.2f ms, "
        + "max %.2f ms%n", r.arrivals(), r.achievedRate(),
        r.generatorCores() < 0 ? "?" : f("%.2f", r.generatorCores()),
        r.generatorStartLagMs().p99(), r.generatorStartLagMs().max()));
    if (r.operations().isEmpty()) {
      out.append("nothing was sent\n");
      return out.toString();
    }
    out.append("\noutcomes\n");
    r.operations().forEach((op, o) -> {
      out.append(f("  %-7s sent %d, ended %d, errors %d (%.2f%%):", op, o.sent(), o.completed(),
          o.errors(), o.errorRate() * 100));
      o.outcomes().forEach((k, v) -> out.append(' ').append(k).append(' ').append(v));
      if (!o.unsoldReasons().isEmpty()) {
        out.append(" (unsold:");
        o.unsoldReasons().forEach((k, v) -> out.append(' ').append(k).append(' ').append(v));
        out.append(')');
      }
      out.append('\n');
    });
    out.append("\nlatency from the intended send time, ms\n");
    table(out, r.operations(), true);
    out.append("\nservice time (connection obtained to answer end), ms\n");
    table(out, r.operations(), false);
    DeadlineReport d = r.deadline();
    if (d != null && d.pings() > 0) {
      out.append(f("%ndeadline %d ms: %d of %d pings ended later (%.2f%%), "
          + "%d more than 10 ms later (%.3f%%)%n",
          d.deadlineMs(), d.later(), d.pings(), 100.0 * d.later() / d.pings(), d.laterBy10Ms(),
          100.0 * d.laterBy10Ms() / d.pings()));
    }
    return out.toString();
  }

  private static void table(StringBuilder out, Map<String, OperationReport> operations,
      boolean latency) {
    out.append(f("  %-7s %9s %9s %9s %9s %9s %9s %9s %9s%n", "", "count", "mean", "p50", "p90",
        "p99", "p99.9", "p99.99", "max"));
    operations.forEach((op, o) -> {
      LatencySummary s = latency ? o.latencyMs() : o.serviceMs();
      out.append(f("  %-7s %9d %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", op, s.count(),
          s.mean(), s.p50(), s.p90(), s.p99(), s.p999(), s.p9999(), s.max()));
    });
  }

  private static String num(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
