package org.leadex.loadtest.traffic;

/**
 * Which call each arrival makes, and whether a bid ping is followed by its post. Pure.
 *
 * @param directRatio share of arrivals that are direct posts ({@code /v1/leads}); the rest
 *     are pings
 * @param postRatio share of pings answered with a bid that the seller goes on to post
 */
public record TrafficMix(double directRatio, double postRatio, long seed) {
  private static final long KIND = 1;
  private static final long POST = 2;

  public TrafficMix {
    requireShare("direct ratio", directRatio);
    requireShare("post ratio", postRatio);
  }

  public Operation arrivalKind(long arrivalIndex) {
    return directRatio > 0 && Draws.of(seed, arrivalIndex, KIND).nextDouble() < directRatio
        ? Operation.DIRECT : Operation.PING;
  }

  public boolean postFollowsBid(long arrivalIndex) {
    return postRatio > 0 && Draws.of(seed, arrivalIndex, POST).nextDouble() < postRatio;
  }

  private static void requireShare(String what, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException(what + " must be between 0 and 1, got " + share);
    }
  }
}
