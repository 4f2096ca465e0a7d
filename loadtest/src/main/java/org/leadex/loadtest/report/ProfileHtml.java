package org.leadex.loadtest.report;

import java.util.List;
import java.util.Map;
import org.leadex.loadtest.report.SvgChart.Band;

/** A rate-profile run (surge or buyer storm) as one self-contained HTML page. Pure. */
public final class ProfileHtml {
  private ProfileHtml() {
  }

  public static String render(String title, Map<String, Object> settings, ProfileReport p) {
    StringBuilder html = new StringBuilder(65_536);
    HtmlPage.open(html, title);
    String window = p.kind().equals("surge")
        ? HtmlReport.f("a surge to %s/s (%s&times;)", HtmlReport.num(p.baseRate() * p.multiple()),
            HtmlReport.num(p.multiple()))
        : "a buyer storm at the same rate";
    html.append(HtmlReport.f("<p>%s pings/s for %s s, with %s from %s s to %s s. "
        + "Goodput: <code>bid</code> or <code>no_bid</code> within the deadline + 10 ms; shed: "
        + "503 <code>overloaded</code>, fast when within %s ms.</p>%n",
        HtmlReport.num(p.baseRate()), HtmlReport.num(p.durationSeconds()), window,
        HtmlReport.num(p.windowAtSeconds()), HtmlReport.num(p.windowAtSeconds()
            + p.windowForSeconds()), HtmlReport.num(p.shedLimitMs())));
    if (p.control() != null) {
      html.append("<p>Storm asked for at ").append(p.controlAtSeconds()).append(" s; the "
          + "simulator answered: <code>").append(HtmlPage.esc(p.control())).append("</code></p>\n");
    }
    html.append("<h2>By phase (pings)</h2>\n<table><tr><th>phase</th><th>rate/s</th>"
        + "<th>pings</th><th>goodput/s</th><th>of base</th><th>bids/s</th><th>shed</th>"
        + "<th>shed fast</th>"
        + "<th>shed p99 ms</th><th>shed max ms</th><th>neither</th><th>timeouts</th>"
        + "<th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th>"
        + "<th>buyer conns/s (max)</th></tr>\n");
    for (PhaseFigures f : p.phases()) {
      html.append(HtmlReport.f("<tr><td>%s%s</td><td>%s</td><td>%d</td><td>%.1f</td>"
          + "<td>%.1f%%</td><td>%.1f</td><td>%d</td><td>%d</td><td>%.2f</td><td>%.2f</td><td class=\"%s\">%d"
          + "</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%s</td>"
          + "</tr>%n", HtmlPage.esc(f.name()),
          f.status().equals("completed") ? "" : " (" + f.status() + ")",
          HtmlReport.num(f.targetRate()), f.pings(), f.goodputPerSecond(),
          f.goodputShareOfBase() * 100, f.bidsPerSecond(), f.shed(), f.shedWithinLimit(),
          f.shedLatencyMs().p99(),
          f.shedLatencyMs().max(), f.neither() == 0 ? "pass" : "fail", f.neither(), f.timeouts(),
          f.latencyMs().p50(), f.latencyMs().p99(), f.latencyMs().p999(), f.latencyMs().max(),
          f.buyerConnectionsPerSecond() < 0 ? "&ndash;"
              : HtmlReport.f("%.1f (%d)", f.buyerConnectionsPerSecond(),
                  f.buyerConnectionsMaxPerSecond())));
    }
    html.append("</table>\n<p class=\"note\">Bids/s: pings answered with a bid; a fan-out past "
        + "its capacity answers no_bid at its deadline, on time, so its goodput holds while its bids "
        + "fall. Neither: pings that got no usable answer in time "
        + "and no fast 503 (late answers, slow 503s, other errors, timeouts). A ping belongs to "
        + "the phase its intended send time fell in.</p>\n");
    Recovery r = p.recovery();
    html.append(HtmlReport.f("<h2>Recovery</h2>\n<p>After the %s ended (at %s s): ping p99 back "
        + "under %.1f ms (the <i>before</i> p99 %.1f ms + %.0f%%) <b>%s</b>; goodput back over "
        + "%.1f/s (the <i>before</i> %.1f/s &minus; %.0f%%) <b>%s</b>.</p>%n", p.kind(),
        HtmlReport.num(r.windowEndSeconds()), r.p99LimitMs(), r.referenceP99Ms(),
        r.margin() * 100, after(r.p99RecoverySeconds()), r.goodputLimitPerSecond(),
        r.referenceGoodputPerSecond(), r.margin() * 100, after(r.goodputRecoverySeconds())));
    html.append("<h2>The whole run</h2>\n");
    HtmlReport.body(html, settings, p.whole(), List.of(new Band(p.kind(), p.windowAtSeconds(),
        p.windowAtSeconds() + p.windowForSeconds())), p.shedLimitMs());
    html.append("</body></html>\n");
    return html.toString();
  }

  static String after(Double seconds) {
    return seconds == null ? "not within the run" : HtmlReport.f("%.1f s after", seconds);
  }
}
