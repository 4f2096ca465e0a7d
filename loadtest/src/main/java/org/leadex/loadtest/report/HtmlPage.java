package org.leadex.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Pieces of a self-contained report page, for reports outside this package. Pure. */
public final class HtmlPage {
  private HtmlPage() {
  }

  /** A line of a chart over a linear axis; {@code points} are (x, y) pairs. */
  public record Line(String name, boolean dashed, List<double[]> points) {
  }

  public static void open(StringBuilder html, String title) {
    html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(title)).append("</title><style>").append(HtmlReport.STYLE)
        .append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
  }

  public static void settings(StringBuilder html, Map<String, Object> settings) {
    HtmlReport.settingsTable(html, settings);
  }

  /** An inline SVG line chart, with an optional horizontal marker (null label for none). */
  public static String lineChart(String title, String xLabel, String yLabel, List<Line> lines,
      String markerLabel, double markerY) {
    List<SvgChart.Series> series = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      series.add(new SvgChart.Series(line.name(), SvgChart.COLORS[i % SvgChart.COLORS.length],
          line.dashed(), line.points()));
    }
    return SvgChart.render(title, xLabel, yLabel, SvgChart.XAxis.LINEAR, series,
        markerLabel == null ? List.of() : List.of(new SvgChart.Marker(markerLabel, markerY)));
  }

  public static String esc(String text) {
    return SvgChart.esc(text);
  }
}
