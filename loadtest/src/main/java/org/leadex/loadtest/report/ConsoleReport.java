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
      if (o.shed() > 0 || op.equals("ping")) {
        out.append(f("          goodput %d, shed %d", o.goodput(), o.shed()));
        if (o.shed() > 0) {
          out.append(f(" (503 latency p50 %.2f, p99 %.2f, max %.2f ms)", o.shedLatencyMs().p50(),
              o.shedLatencyMs().p99(), o.shedLatencyMs().max()));
        }
        out.append('\n');
      }
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

  /** A surge or storm run: the whole run, then the phases and the recovery. */
  public static String render(ProfileReport p) {
    StringBuilder out = new StringBuilder(render(p.whole()));
    out.append(f("%n%s: %s/s, %s from %s s for %s s; pings by phase (goodput: bid/no_bid within "
        + "deadline + 10 ms; bids/s: answered with a bid; shed fast: 503 within %s ms)%n",
        p.kind(), num(p.baseRate()),
        p.kind().equals("surge") ? "surge to " + num(p.baseRate() * p.multiple()) + "/s" : "storm",
        num(p.windowAtSeconds()), num(p.windowForSeconds()), num(p.shedLimitMs())));
    out.append(f("  %-7s %7s %8s %10s %7s %7s %7s %9s %9s %8s %8s %8s %9s %9s %11s%n", "phase",
        "rate", "pings", "goodput/s", "of base", "bids/s", "shed", "shed fast", "shed p99", "neither",
        "p50", "p99", "p99.9", "max", "conns/s max"));
    for (PhaseFigures x : p.phases()) {
      out.append(f("  %-7s %7s %8d %10.1f %6.1f%% %7.1f %7d %9d %9.2f %8d %8.1f %8.1f %9.1f %9.1f %11s%n",
          x.name(), num(x.targetRate()), x.pings(), x.goodputPerSecond(),
          x.goodputShareOfBase() * 100, x.bidsPerSecond(), x.shed(), x.shedWithinLimit(),
          x.shedLatencyMs().p99(),
          x.neither(), x.latencyMs().p50(), x.latencyMs().p99(), x.latencyMs().p999(),
          x.latencyMs().max(), x.buyerConnectionsPerSecond() < 0 ? "-"
              : f("%.1f %d", x.buyerConnectionsPerSecond(), x.buyerConnectionsMaxPerSecond())));
    }
    Recovery r = p.recovery();
    out.append(f("recovery after the %s: p99 under %.1f ms %s; goodput over %.1f/s %s%n",
        p.kind(), r.p99LimitMs(), ProfileHtml.after(r.p99RecoverySeconds()),
        r.goodputLimitPerSecond(), ProfileHtml.after(r.goodputRecoverySeconds())));
    if (p.control() != null) {
      out.append("storm asked at ").append(p.controlAtSeconds()).append(" s; answered: ")
          .append(p.control()).append('\n');
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
