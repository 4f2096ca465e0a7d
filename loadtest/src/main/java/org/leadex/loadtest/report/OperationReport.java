package org.leadex.loadtest.report;

import java.util.Map;

/**
 * One operation's results in one phase.
 *
 * @param sent requests started
 * @param completed requests that ended: answered, failed or timed out
 * @param errors non-2xx answers, bad answers, connection errors and timeouts
 * @param errorRate errors / completed
 * @param outcomes counts by outcome ({@code bid}, {@code no_bid}, {@code sold}, {@code unsold},
 *     {@code timeout}, {@code connection_error}, {@code bad_answer},
 *     {@code http_<status>[:<code>]})
 * @param unsoldReasons for posts and direct posts: the reasons given for {@code unsold}
 * @param latencyMs from the intended send time to the end of the answer: what a seller sees
 * @param serviceMs from having a connection to the end of the answer: what the server took
 * @param goodput answers with a real decision in time (for pings: {@code bid} or {@code no_bid}
 *     within the deadline + 10 ms)
 * @param shed answers 503 {@code overloaded}
 * @param shedLatencyMs the latency of those, from the intended send time
 */
public record OperationReport(long sent, long completed, long errors, double errorRate,
    Map<String, Long> outcomes, Map<String, Long> unsoldReasons, LatencySummary latencyMs,
    LatencySummary serviceMs, long goodput, long shed, LatencySummary shedLatencyMs) {
}
