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
 */
public record IntervalSample(long sent, long completed, long errors, double p50Ms, double p99Ms,
    double maxMs) {
}
