package org.leadex.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Line charts as inline SVG, so a report is one self-contained file (no scripts, no downloads).
 * Pure.
 *
 * <p>The percentile axis is HdrHistogram's: position log10(1 / (1 − p)), so 90%, 99%, 99.9% and
 * 99.99% are evenly spaced and the tail, where the interesting things happen, gets most of the
 * width.
 */
final class SvgChart {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 380;
  private static final int LEFT = 72;
  private static final int RIGHT = 150;
  private static final int TOP = 34;
  private static final int BOTTOM = 52;
  static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
      "#8c564b", "#17becf", "#7f7f7f"};

  enum XAxis { LINEAR, PERCENTILE }

  /** @param points (x, y) pairs; for a percentile axis x is the percentile, 0..100 */
  record Series(String name, String color, boolean dashed, List<double[]> points) {
  }

  /** A horizontal reference line, such as a deadline or a threshold. */
  record Marker(String label, double y) {
  }

  /** A shaded stretch of the x axis, such as a surge, from {@code from} to {@code to}. */
  record Band(String label, double from, double to) {
  }

  private SvgChart() {
  }

  static String render(String title, String xLabel, String yLabel, XAxis axis, List<Series> series,
      List<Marker> markers) {
    return render(title, xLabel, yLabel, axis, series, markers, List.of());
  }

  static String render(String title, String xLabel, String yLabel, XAxis axis, List<Series> series,
      List<Marker> markers, List<Band> bands) {
    double xMax = axis == XAxis.PERCENTILE ? 2 : 1;
    double yMax = 1e-9;
    for (Series s : series) {
      for (double[] p : s.points()) {
        if (Double.isFinite(x(axis, p[0])) && Double.isFinite(p[1])) {
          xMax = Math.max(xMax, x(axis, p[0]));
          yMax = Math.max(yMax, p[1]);
        }
      }
    }
    for (Marker m : markers) {
      yMax = Math.max(yMax, m.y());
    }
    for (Band b : bands) {
      xMax = Math.max(xMax, b.to());
    }
    if (axis == XAxis.PERCENTILE) {
      xMax = Math.ceil(xMax);
    }
    double yStep = niceStep(yMax, 6);
    yMax = Math.ceil(yMax * 1.05 / yStep) * yStep;
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    final double xTop = xMax;
    final double yTop = yMax;
    java.util.function.DoubleUnaryOperator px = v -> LEFT + v / xTop * plotW;
    java.util.function.DoubleUnaryOperator py = v -> TOP + plotH - v / yTop * plotH;

    StringBuilder svg = new StringBuilder(8192);
    svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
        + "height=\"%d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">%n",
        WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(f("<title>%s</title>%n", esc(title)));
    svg.append(f("<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
        LEFT, esc(title)));
    // Y grid and labels.
    for (double v = 0; v <= yMax + yStep / 2; v += yStep) {
      double y = py.applyAsDouble(v);
      svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n",
          LEFT, y, LEFT + plotW, y));
      svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
          label(v)));
    }
    for (Band b : bands) {
      double x1 = px.applyAsDouble(b.from());
      double x2 = px.applyAsDouble(b.to());
      svg.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#fbe3c5\" "
          + "fill-opacity=\"0.6\"><title>%s</title></rect>%n", x1, TOP, Math.max(1, x2 - x1), plotH,
          esc(b.label())));
      svg.append(f("<text x=\"%.1f\" y=\"%d\" fill=\"#a05a00\">%s</text>%n", x1 + 4, TOP + 14,
          esc(b.label())));
    }
    // X grid and labels.
    List<double[]> xTicks = new ArrayList<>();
    if (axis == XAxis.PERCENTILE) {
      for (int k = 0; k <= (int) xMax; k++) {
        xTicks.add(new double[] {k});
      }
    } else {
      double xStep = niceStep(xMax, 8);
      for (double v = 0; v <= xMax + xStep / 2; v += xStep) {
        xTicks.add(new double[] {v});
      }
    }
    for (double[] t : xTicks) {
      double x = px.applyAsDouble(t[0]);
      svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n",
          x, TOP, x, TOP + plotH));
      svg.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", x,
          TOP + plotH + 16, axis == XAxis.PERCENTILE ? percentileLabel((int) t[0]) : label(t[0])));
    }
    svg.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
        + "stroke=\"#999\"/>%n", LEFT, TOP, plotW, plotH));
    svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
        LEFT + plotW / 2, HEIGHT - 12, esc(xLabel)));
    svg.append(f("<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">%s"
        + "</text>%n", TOP + plotH / 2, esc(yLabel)));
    for (Marker m : markers) {
      double y = py.applyAsDouble(m.y());
      svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
          + "stroke-dasharray=\"2 3\"/>%n", LEFT, y, LEFT + plotW, y));
      svg.append(f("<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">%s</text>%n", LEFT + plotW + 6,
          y + 4, esc(m.label())));
    }
    int legendY = TOP + 4;
    for (Series s : series) {
      if (s.points().isEmpty()) {
        continue;
      }
      StringBuilder path = new StringBuilder();
      for (double[] p : s.points()) {
        if (!Double.isFinite(x(axis, p[0])) || !Double.isFinite(p[1])) {
          continue;
        }
        path.append(path.length() == 0 ? "M" : " L").append(f("%.1f %.1f",
            px.applyAsDouble(x(axis, p[0])), py.applyAsDouble(p[1])));
      }
      svg.append(f("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s>"
          + "<title>%s</title></path>%n", path, s.color(),
          s.dashed() ? " stroke-dasharray=\"6 4\"" : "", esc(s.name())));
      legendY += 18;
      svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"2\"%s/>%n", LEFT + plotW + 8, legendY - 4, LEFT + plotW + 30,
          legendY - 4, s.color(), s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
      svg.append(f("<text x=\"%.1f\" y=\"%d\">%s</text>%n", LEFT + plotW + 34, legendY,
          esc(s.name())));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** Position on the axis: the value itself, or log10(1 / (1 − p)) for a percentile. */
  static double x(XAxis axis, double value) {
    if (axis == XAxis.LINEAR) {
      return value;
    }
    double remaining = 1 - value / 100.0;
    return remaining <= 0 ? Double.NaN : Math.log10(1 / remaining);
  }

  /** 0 → "0%", 1 → "90%", 2 → "99%", 3 → "99.9%"... */
  static String percentileLabel(int k) {
    return switch (k) {
      case 0 -> "0%";
      case 1 -> "90%";
      case 2 -> "99%";
      default -> "99." + "9".repeat(k - 2) + "%";
    };
  }

  static double niceStep(double range, int ticks) {
    if (range <= 0) {
      return 1;
    }
    double raw = range / ticks;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double normalized = raw / magnitude;
    double nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
    return nice * magnitude;
  }

  private static String label(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return String.valueOf((long) v);
    }
    return f("%.3g", v);
  }

  static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
