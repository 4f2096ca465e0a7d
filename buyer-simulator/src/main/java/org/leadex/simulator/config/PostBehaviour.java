package org.leadex.simulator.config;

import java.util.Objects;

/**
 * Immutable. How a buyer answers the post of a lead it won.
 *
 * @param acceptRate probability that it accepts a post (when under its daily capacity)
 * @param latency how long it takes to answer; its {@code hang_rate} makes some posts never answered
 * @param rejectReason the {@code reason} it gives when it declines by chance
 */
public record PostBehaviour(double acceptRate, LatencyModel latency, String rejectReason) {

  public PostBehaviour {
    Rates.requireRate("post.accept_rate", acceptRate);
    Objects.requireNonNull(latency, "post.latency is required");
    if (rejectReason == null || rejectReason.isBlank()) {
      throw new IllegalArgumentException("post.reject_reason must not be blank");
    }
  }

  public PostBehaviour withAcceptRate(double rate) {
    return new PostBehaviour(rate, latency, rejectReason);
  }

  public PostBehaviour withLatency(LatencyModel model) {
    return new PostBehaviour(acceptRate, model, rejectReason);
  }
}
