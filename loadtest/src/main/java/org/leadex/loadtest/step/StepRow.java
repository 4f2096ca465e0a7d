package org.leadex.loadtest.step;

/**
 * One line of the step table.
 *
 * @param status {@code pass}, {@code fail}, or {@code skipped} (never judged: the run stopped
 *     before or during it)
 * @param reason why it failed or was skipped
 * @param report where its own report files are, relative to the step run's directory
 */
public record StepRow(int step, double rate, int repeat, String status, String reason,
    double achievedRate, long arrivals, double p50Ms, double p99Ms, double maxMs, double errorRate,
    String report) {
}
