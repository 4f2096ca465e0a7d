package org.leadex.loadtest.measure;

/**
 * One operation's numbers over one monitor interval (about a second).
 *
 * @param sent requests that started in the interval
 * @param completed requests that ended in the interval (answered, failed or timed out)
 * @param errors of those, the ones that count as errors
 * @param p50Ms median latency of the requests that ended in the interval
 * @param p99Ms 99th percentile of the same
 * @param maxMs the largest of the same
 * @param goodput of those, the ones answered with a real decision ({@code bid}, {@code no_bid},
 *     {@code sold}, {@code unsold}) in time: for pings within the deadline + 10 ms
 * @param shed of those, the ones refused with 503 {@code overloaded}
 * @param timeouts of those, the ones the generator gave up on
 * @param shedP99Ms 99th percentile latency of the shed ones (0 if none)
 * @param shedMaxMs the largest latency of the shed ones (0 if none)
 */
public record IntervalSample(long sent, long completed, long errors, double p50Ms, double p99Ms,
    double maxMs, long goodput, long shed, long timeouts, double shedP99Ms, double shedMaxMs) {
}
