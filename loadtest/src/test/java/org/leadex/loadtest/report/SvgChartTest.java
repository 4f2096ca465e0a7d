package org.leadex.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SvgChartTest {

  @Test
  void thePercentileAxisSpacesNinesEvenly() {
    assertEquals(0, SvgChart.x(SvgChart.XAxis.PERCENTILE, 0), 1e-9);
    assertEquals(1, SvgChart.x(SvgChart.XAxis.PERCENTILE, 90), 1e-9);
    assertEquals(2, SvgChart.x(SvgChart.XAxis.PERCENTILE, 99), 1e-9);
    assertEquals(3, SvgChart.x(SvgChart.XAxis.PERCENTILE, 99.9), 1e-9);
    assertEquals(List.of("0%", "90%", "99%", "99.9%", "99.99%"),
        List.of(0, 1, 2, 3, 4).stream().map(SvgChart::percentileLabel).toList());
  }

  @Test
  void percentilePointsEndAtTheMaximumAndRiseMonotonically() {
    Histogram micros = new Histogram(3);
    for (int i = 1; i <= 10_000; i++) {
      micros.recordValue(i * 10L);
    }
    List<double[]> points = HtmlReport.percentilePoints(micros);
    double[] last = points.get(points.size() - 1);
    assertEquals(100.0, last[1], 0.1, "max 100 ms");
    assertEquals(99.99, last[0], 1e-9, "1 - 1/count");
    for (int i = 1; i < points.size(); i++) {
      assertTrue(points.get(i)[0] >= points.get(i - 1)[0]);
      assertTrue(points.get(i)[1] >= points.get(i - 1)[1]);
    }
  }
}
