package org.leadex.loadtest.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;

/**
 * The latency spectrum of a histogram recorded in microseconds, in milliseconds. The percentiles
 * are HdrHistogram's: the value at or below which that share of the recorded values lie, to three
 * significant digits.
 */
public record LatencySummary(long count, double mean, double p50, double p90, double p99,
    @JsonProperty("p99_9") double p999, @JsonProperty("p99_99") double p9999, double max) {

  public static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(micros.getTotalCount(), round(micros.getMean() / 1000.0),
        at(micros, 50), at(micros, 90), at(micros, 99), at(micros, 99.9), at(micros, 99.99),
        round(micros.getMaxValue() / 1000.0));
  }

  private static double at(Histogram micros, double percentile) {
    return round(micros.getValueAtPercentile(percentile) / 1000.0);
  }

  private static double round(double millis) {
    return Math.round(millis * 1000.0) / 1000.0;
  }
}
