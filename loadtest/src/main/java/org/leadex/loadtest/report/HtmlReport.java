package org.leadex.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.leadex.loadtest.measure.IntervalSample;
import org.leadex.loadtest.measure.SecondSample;
import org.leadex.loadtest.report.SvgChart.Band;
import org.leadex.loadtest.report.SvgChart.Marker;
import org.leadex.loadtest.report.SvgChart.Series;
import org.leadex.loadtest.report.SvgChart.XAxis;

/** A run's report as one self-contained HTML page with inline SVG plots. Pure. */
public final class HtmlReport {
  static final String STYLE = """
      body{font-family:sans-serif;margin:24px;max-width:1000px;color:#222}
      table{border-collapse:collapse;margin:8px 0 16px}
      td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
      th{background:#f3f3f3} td:first-child,th:first-child{text-align:left}
      .fail{color:#b00} .pass{color:#070} .note{color:#555;font-size:90%}
      """;

  private HtmlReport() {
  }

  public static String render(String title, Map<String, Object> settings, PhaseReport r) {
    StringBuilder html = new StringBuilder(32_768);
    HtmlPage.open(html, title);
    body(html, settings, r, List.of(), Double.NaN);
    html.append("</body></html>\n");
    return html.toString();
  }

  /**
   * The report of one phase (or of a profile's whole run), without the page around it.
   *
   * @param bands stretches of time to shade on the time plots (a surge, a storm)
   * @param shedLimitMs the promised latency of a 503, marked on its plot; NaN for none
   */
  static void body(StringBuilder html, Map<String, Object> settings, PhaseReport r,
      List<Band> bands, double shedLimitMs) {
    html.append(f("<p>Phase <b>%s</b> (%s): target %s/s for %s s, %d arrivals sent at %.1f/s. "
        + "Generator: %s cores, start lag p99 %.2f ms.</p>%n", SvgChart.esc(r.name()), r.status(),
        num(r.targetRate()), num(r.durationSeconds()), r.arrivals(), r.achievedRate(),
        r.generatorCores() < 0 ? "?" : f("%.2f", r.generatorCores()),
        r.generatorStartLagMs().p99()));
    settingsTable(html, settings);
    outcomes(html, r);
    latencyTable(html, r);
    if (r.deadline() != null && r.deadline().pings() > 0) {
      DeadlineReport d = r.deadline();
      html.append(f("<p>Deadline %d ms: <b>%d</b> of %d pings ended later (%.2f%%); %d more than "
          + "10 ms later (%.3f%%).</p>%n", d.deadlineMs(), d.later(), d.pings(),
          100.0 * d.later() / d.pings(), d.laterBy10Ms(), 100.0 * d.laterBy10Ms() / d.pings()));
    }
    html.append("<h2>Latency by percentile</h2>\n");
    html.append(percentilePlot(r));
    html.append("<p class=\"note\">Solid: latency from the intended send time "
        + "(what a seller sees). "
        + "Dashed: service time, from having a connection to the answer's end. The horizontal axis "
        + "is logarithmic in 1/(1&minus;percentile), as in HdrHistogram's plotter.</p>\n");
    html.append("<h2>Throughput over time</h2>\n");
    html.append(throughputPlot(r.perSecond(), bands));
    if (hasPings(r.perSecond())) {
      html.append(goodputPlot(r.perSecond(), bands, r.deadline()));
    }
    html.append("<h2>p99 over time</h2>\n");
    html.append(p99Plot(r.perSecond(), bands));
    if (r.perSecond().stream().anyMatch(s -> s.shed() > 0)) {
      html.append(shedLatencyPlot(r.perSecond(), bands, shedLimitMs));
    }
    if (r.perSecond().stream().anyMatch(s -> s.buyerConnectionsOpened() >= 0)) {
      html.append(connectionsPlot(r.perSecond(), bands));
    }
    html.append("<p class=\"note\">Each point is one monitor interval (about a second) and holds "
        + "the requests that ended in it.</p>\n");
  }

  private static boolean hasPings(List<SecondSample> seconds) {
    return seconds.stream().anyMatch(s -> s.operations().containsKey("ping")
        && s.operations().get("ping").completed() > 0);
  }

  /** Pings per second: sent, answered in time (goodput), shed, and the rest. */
  private static String goodputPlot(List<SecondSample> seconds, List<Band> bands,
      DeadlineReport deadline) {
    List<double[]> sent = new ArrayList<>();
    List<double[]> good = new ArrayList<>();
    List<double[]> shed = new ArrayList<>();
    List<double[]> rest = new ArrayList<>();
    for (SecondSample s : seconds) {
      IntervalSample p = s.operations().get("ping");
      if (p == null || s.lengthSeconds() <= 0.05) {
        continue;
      }
      double len = s.lengthSeconds();
      sent.add(new double[] {s.atSeconds(), p.sent() / len});
      good.add(new double[] {s.atSeconds(), p.goodput() / len});
      shed.add(new double[] {s.atSeconds(), p.shed() / len});
      rest.add(new double[] {s.atSeconds(), (p.completed() - p.goodput() - p.shed()) / len});
    }
    String inTime = deadline == null ? "answered" : "answered within " + (deadline.deadlineMs() + 10)
        + " ms";
    return SvgChart.render("Pings per second: goodput and shed", "seconds since the phase began",
        "pings/s", XAxis.LINEAR, List.of(new Series("sent", SvgChart.COLORS[0], true, sent),
            new Series("goodput", SvgChart.COLORS[2], false, good),
            new Series("shed (503)", SvgChart.COLORS[4], false, shed),
            new Series("late or failed", SvgChart.COLORS[1], false, rest)), List.of(), bands)
        + "<p class=\"note\">Goodput: pings " + inTime + " with <code>bid</code> or "
        + "<code>no_bid</code>, by the second they ended in. Shed: 503 <code>overloaded</code>. "
        + "Late or failed: every other ping that ended (late answers, other errors, timeouts)."
        + "</p>\n";
  }

  private static String shedLatencyPlot(List<SecondSample> seconds, List<Band> bands,
      double shedLimitMs) {
    List<double[]> p99 = new ArrayList<>();
    List<double[]> max = new ArrayList<>();
    for (SecondSample s : seconds) {
      IntervalSample p = s.operations().get("ping");
      if (p != null && p.shed() > 0) {
        p99.add(new double[] {s.atSeconds(), p.shedP99Ms()});
        max.add(new double[] {s.atSeconds(), p.shedMaxMs()});
      }
    }
    List<Marker> markers = Double.isNaN(shedLimitMs) ? List.of()
        : List.of(new Marker(f("limit %s ms", num(shedLimitMs)), shedLimitMs));
    return "<h2>Latency of the 503s</h2>\n" + SvgChart.render("503 overloaded: p99 and max per "
        + "second", "seconds since the phase began", "latency (ms)", XAxis.LINEAR, List.of(
            new Series("shed p99", SvgChart.COLORS[4], false, p99),
            new Series("shed max", SvgChart.COLORS[4], true, max)), markers, bands);
  }

  private static String connectionsPlot(List<SecondSample> seconds, List<Band> bands) {
    List<double[]> opened = new ArrayList<>();
    for (SecondSample s : seconds) {
      if (s.buyerConnectionsOpened() >= 0 && s.lengthSeconds() > 0.05) {
        opened.add(new double[] {s.atSeconds(), s.buyerConnectionsOpened() / s.lengthSeconds()});
      }
    }
    return "<h2>Connections to the buyers</h2>\n" + SvgChart.render("TCP connections opened to "
        + "the buyers per second", "seconds since the phase began", "connections/s",
        XAxis.LINEAR, List.of(new Series("opened", SvgChart.COLORS[3], false, opened)), List.of(),
        bands) + "<p class=\"note\">Counted by the buyer simulator as it accepts them: each is a "
        + "connection the server under test opened to a buyer, most often because it closed one "
        + "on a buyer that did not answer.</p>\n";
  }

  static void settingsTable(StringBuilder html, Map<String, Object> settings) {
    html.append("<h2>Settings</h2>\n<table>\n");
    settings.forEach((k, v) -> html.append("<tr><td>").append(SvgChart.esc(k)).append("</td><td>")
        .append(SvgChart.esc(String.valueOf(v))).append("</td></tr>\n"));
    html.append("</table>\n");
  }

  private static void outcomes(StringBuilder html, PhaseReport r) {
    html.append("<h2>Outcomes</h2>\n<table><tr><th>operation</th><th>sent</th><th>ended</th>"
        + "<th>errors</th><th>error rate</th><th>counts</th></tr>\n");
    r.operations().forEach((op, o) -> {
      StringBuilder counts = new StringBuilder();
      o.outcomes().forEach((k, v) -> counts.append(k).append(' ').append(v).append("; "));
      o.unsoldReasons().forEach((k, v) -> counts.append("unsold ").append(k).append(' ')
          .append(v).append("; "));
      html.append(f("<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%.2f%%</td>"
          + "<td style=\"text-align:left\">%s</td></tr>%n", op, o.sent(), o.completed(),
          o.errors(), o.errorRate() * 100, SvgChart.esc(counts.toString())));
    });
    html.append("</table>\n");
  }

  private static void latencyTable(StringBuilder html, PhaseReport r) {
    html.append("<h2>Latency, ms</h2>\n<table><tr><th></th><th>count</th><th>mean</th>"
        + "<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>p99.99</th><th>max</th></tr>\n");
    r.operations().forEach((op, o) -> {
      row(html, op, o.latencyMs());
      row(html, op + " (service)", o.serviceMs());
    });
    html.append("</table>\n");
  }

  private static void row(StringBuilder html, String name, LatencySummary s) {
    html.append(f("<tr><td>%s</td><td>%d</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td>"
        + "<td>%.2f</td><td>%.2f</td><td>%.2f</td></tr>%n", SvgChart.esc(name), s.count(),
        s.mean(), s.p50(), s.p90(), s.p99(), s.p999(), s.p9999(), s.max()));
  }

  private static String percentilePlot(PhaseReport r) {
    List<Series> series = new ArrayList<>();
    int color = 0;
    for (String op : r.latencyHistograms().keySet()) {
      String c = SvgChart.COLORS[color++ % SvgChart.COLORS.length];
      series.add(new Series(op, c, false, percentilePoints(r.latencyHistograms().get(op))));
      series.add(new Series(op + " service", c, true,
          percentilePoints(r.serviceHistograms().get(op))));
    }
    List<Marker> markers = r.deadline() == null ? List.of()
        : List.of(new Marker("deadline " + r.deadline().deadlineMs() + " ms",
            r.deadline().deadlineMs()));
    return SvgChart.render("Latency by percentile", "percentile", "latency (ms)", XAxis.PERCENTILE,
        series, markers);
  }

  /** The percentile curve in ms; the last point at 1 − 1/count, as far as the data can say. */
  static List<double[]> percentilePoints(Histogram micros) {
    List<double[]> points = new ArrayList<>();
    long count = micros.getTotalCount();
    if (count == 0) {
      return points;
    }
    double last = 100.0 * (1 - 1.0 / Math.max(2, count));
    for (HistogramIterationValue v : micros.percentiles(5)) {
      double p = Math.min(v.getPercentileLevelIteratedTo(), last);
      points.add(new double[] {p, micros.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0});
      if (p >= last) {
        break;
      }
    }
    points.add(new double[] {last, micros.getMaxValue() / 1000.0});
    return points;
  }

  private static String throughputPlot(List<SecondSample> seconds, List<Band> bands) {
    List<double[]> sent = new ArrayList<>();
    List<double[]> ended = new ArrayList<>();
    List<double[]> errors = new ArrayList<>();
    for (SecondSample s : seconds) {
      if (s.lengthSeconds() <= 0.05) {
        continue;
      }
      sent.add(new double[] {s.atSeconds(), s.sent() / s.lengthSeconds()});
      ended.add(new double[] {s.atSeconds(), s.completed() / s.lengthSeconds()});
      errors.add(new double[] {s.atSeconds(), s.errors() / s.lengthSeconds()});
    }
    return SvgChart.render("Requests per second", "seconds since the phase began", "requests/s",
        XAxis.LINEAR, List.of(new Series("sent", SvgChart.COLORS[0], false, sent),
            new Series("ended", SvgChart.COLORS[2], false, ended),
            new Series("errors", SvgChart.COLORS[1], false, errors)), List.of(), bands);
  }

  private static String p99Plot(List<SecondSample> seconds, List<Band> bands) {
    List<Series> series = new ArrayList<>();
    if (!seconds.isEmpty()) {
      int color = 0;
      for (String op : seconds.get(0).operations().keySet()) {
        List<double[]> p99 = new ArrayList<>();
        List<double[]> max = new ArrayList<>();
        for (SecondSample s : seconds) {
          IntervalSample i = s.operations().get(op);
          if (i != null && i.completed() > 0) {
            p99.add(new double[] {s.atSeconds(), i.p99Ms()});
            max.add(new double[] {s.atSeconds(), i.maxMs()});
          }
        }
        if (!p99.isEmpty()) {
          String c = SvgChart.COLORS[color++ % SvgChart.COLORS.length];
          series.add(new Series(op + " p99", c, false, p99));
          series.add(new Series(op + " max", c, true, max));
        }
      }
    }
    return SvgChart.render("p99 and max per second", "seconds since the phase began",
        "latency (ms)", XAxis.LINEAR, series, List.of(), bands);
  }

  static String num(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
