package org.leadex.loadtest.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Pings answered after the campaign's {@code ping_timeout_ms}, measured as a seller measures it
 * (from the intended send time, so connection queueing on our side counts against the server;
 * keep {@code --connections} large enough, and check the service time, before blaming it).
 *
 * @param deadlineMs the deadline given with {@code --deadline-ms}
 * @param pings pings that ended (answered, failed or timed out)
 * @param later pings that ended later than the deadline
 * @param laterBy10Ms pings that ended more than 10 ms later than the deadline
 */
public record DeadlineReport(long deadlineMs, long pings,
    @JsonProperty("later_than_deadline") long later,
    @JsonProperty("later_than_deadline_plus_10_ms") long laterBy10Ms) {
}
