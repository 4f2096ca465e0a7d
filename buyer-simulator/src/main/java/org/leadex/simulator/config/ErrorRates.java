package org.leadex.simulator.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Immutable. How often a buyer misbehaves on a bid request, each a probability per request. The
 * kinds exclude each other (one draw decides), together with the latency's hang rate, so their sum
 * with {@code hang_rate} must not exceed 1.
 *
 * @param error500 answer 500 with a JSON error body, after the usual delay
 * @param malformed answer 200 with a body that is not valid JSON, after the usual delay
 * @param trickle answer 200 with a valid bid, sent a few bytes at a time so that the whole answer
 *     takes the delay plus {@code trickle_ms}; the headers go out at once, so an idle timeout
 *     does not catch it
 * @param reset close the connection abruptly (TCP RST) after the usual delay, without answering
 * @param oversized answer 200 with a JSON body of {@code oversized_bytes} (default 8 MiB), streamed
 * @param trickleMs how long a trickled answer takes beyond the sampled delay
 * @param oversizedBytes size of an oversized body; above 64 KiB, the contract's limit
 */
public record ErrorRates(
    @JsonProperty("error_500") double error500,
    double malformed,
    double trickle,
    double reset,
    double oversized,
    long trickleMs,
    long oversizedBytes) {

  public static final long DEFAULT_TRICKLE_MS = 1_000;
  public static final long DEFAULT_OVERSIZED_BYTES = 8L * 1024 * 1024;
  public static final long CONTRACT_LIMIT_BYTES = 64L * 1024;
  public static final ErrorRates NONE = new ErrorRates(0, 0, 0, 0, 0, DEFAULT_TRICKLE_MS, DEFAULT_OVERSIZED_BYTES);

  public ErrorRates {
    Rates.requireRate("errors.error_500", error500);
    Rates.requireRate("errors.malformed", malformed);
    Rates.requireRate("errors.trickle", trickle);
    Rates.requireRate("errors.reset", reset);
    Rates.requireRate("errors.oversized", oversized);
    if (total(error500, malformed, trickle, reset, oversized) > 1) {
      throw new IllegalArgumentException("errors: the rates add up to more than 1");
    }
    if (trickleMs < 1 || trickleMs > LatencyModel.MAX_DELAY_MS) {
      throw new IllegalArgumentException("errors.trickle_ms must be within 1.." + LatencyModel.MAX_DELAY_MS + ", got " + trickleMs);
    }
    if (oversizedBytes <= CONTRACT_LIMIT_BYTES || oversizedBytes > 256L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "errors.oversized_bytes must be above 65536 (64 KiB) and at most 256 MiB, got " + oversizedBytes);
    }
  }

  /** Every kind at the same rate. */
  public static ErrorRates each(double rate) {
    return new ErrorRates(rate, rate, rate, rate, rate, DEFAULT_TRICKLE_MS, DEFAULT_OVERSIZED_BYTES);
  }

  public double total() {
    return total(error500, malformed, trickle, reset, oversized);
  }

  private static double total(double... rates) {
    double sum = 0;
    for (double r : rates) {
      sum += r;
    }
    return sum;
  }

  public ErrorRates withError500(double rate) {
    return new ErrorRates(rate, malformed, trickle, reset, oversized, trickleMs, oversizedBytes);
  }

  public ErrorRates withMalformed(double rate) {
    return new ErrorRates(error500, rate, trickle, reset, oversized, trickleMs, oversizedBytes);
  }

  public ErrorRates withTrickle(double rate, long ms) {
    return new ErrorRates(error500, malformed, rate, reset, oversized, ms, oversizedBytes);
  }

  public ErrorRates withReset(double rate) {
    return new ErrorRates(error500, malformed, trickle, rate, oversized, trickleMs, oversizedBytes);
  }

  public ErrorRates withOversized(double rate, long bytes) {
    return new ErrorRates(error500, malformed, trickle, reset, rate, trickleMs, bytes);
  }
}
