package org.leadex.simulator.behaviour;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Immutable. What a buyer does with one post: accept, decline or never answer, after a delay; or,
 * for a post of a lead it was posted before, answer as it did the first time ({@link Outcome#REPEAT}).
 *
 * @param reference the {@code reference} of an accepted lead, else null
 * @param reason the {@code reason} of a declined one, else null
 * @param priceCents the price of the post in cents (−1 when it was missing or invalid)
 * @param test whether the post was test traffic (not charged)
 */
public record PostDecision(Outcome outcome, long delayMs, String reference, String reason, long priceCents, boolean test) {

  public enum Outcome { ACCEPT, REJECT, HANG, REPEAT }

  /** The answer to a repeated post of the same lead: the first answer again, at once, buying nothing. */
  public PostDecision repeated() {
    return new PostDecision(Outcome.REPEAT, 0, reference, reason, priceCents, test);
  }

  public String answerJson() {
    return reference != null
        ? "{\"accepted\":true,\"reference\":\"" + reference + "\"}"
        : "{\"accepted\":false,\"reason\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(reason)) + "\"}";
  }
}
