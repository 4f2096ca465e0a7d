package org.leadex.loadtest.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.leadex.loadtest.report.HtmlPage;

/** The step table as a self-contained HTML page. Pure. */
final class StepHtml {
  private StepHtml() {
  }

  static String render(Map<String, Object> settings, Thresholds thresholds,
      StepRunner.Result result) {
    StringBuilder html = new StringBuilder(16_384);
    HtmlPage.open(html, "Step run");
    html.append(result.highestSustainableRate().isPresent()
        ? "<p>Highest sustainable rate: <b>" + StepRunner.rate(
            result.highestSustainableRate().getAsDouble()) + "/s</b>"
        : "<p><b>No step was sustainable.</b>");
    html.append(String.format(Locale.ROOT, " Thresholds: %s p99 &le; %.1f ms, error rate &le; "
        + "%.2f%%.", HtmlPage.esc(thresholds.metric()), thresholds.maxP99Ms(),
        thresholds.maxErrorRate() * 100));
    if (thresholds.maxNoBidRate() < 1) {
      html.append(String.format(Locale.ROOT, " No-bid answers &le; %.2f%% of pings.",
          thresholds.maxNoBidRate() * 100));
    }
    if (result.stopReason() != null) {
      html.append(" Stopped: ").append(HtmlPage.esc(result.stopReason())).append('.');
    }
    html.append("</p>\n<table><tr><th>step</th><th>rate/s</th><th>repeat</th><th>sent/s</th>"
        + "<th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th><th>verdict</th>"
        + "<th>report</th></tr>\n");
    for (StepRow r : result.rows()) {
      html.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%d</td><td>%.1f</td>"
          + "<td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.2f%%</td><td class=\"%s\">%s%s</td>"
          + "<td>%s</td></tr>%n", r.step(), StepRunner.rate(r.rate()), r.repeat(),
          r.achievedRate(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.errorRate() * 100,
          r.status().equals("pass") ? "pass" : "fail", r.status(),
          r.reason() == null ? "" : ": " + HtmlPage.esc(r.reason()),
          r.report() == null ? "" : "<a href=\"" + HtmlPage.esc(r.report()) + "\">report</a>"));
    }
    html.append("</table>\n");
    List<double[]> p99 = new ArrayList<>();
    List<double[]> max = new ArrayList<>();
    for (StepRow r : result.rows()) {
      if (!r.status().equals("skipped")) {
        p99.add(new double[] {r.rate(), r.p99Ms()});
        max.add(new double[] {r.rate(), r.maxMs()});
      }
    }
    html.append(HtmlPage.lineChart("Latency by rate", "target rate (per second)", "latency (ms)",
        List.of(new HtmlPage.Line("p99", false, p99), new HtmlPage.Line("max", true, max)),
        "limit " + thresholds.maxP99Ms() + " ms", thresholds.maxP99Ms()));
    HtmlPage.settings(html, settings);
    html.append("</body></html>\n");
    return html.toString();
  }
}
