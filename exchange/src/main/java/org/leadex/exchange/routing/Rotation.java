package org.leadex.exchange.routing;

import java.time.Instant;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What the order of a round-robin or weighted tier depends on besides the bids: when each buyer last
 * bought a lead (round robin) and a source of random draws (weighted). Passing them in keeps
 * {@link DistributionPlan} a pure function.
 *
 * @param lastSold buyer id → time of its last sale; absent when it never bought
 */
public record Rotation(Map<Integer, Instant> lastSold, RandomGenerator random) {

  public static Rotation none(RandomGenerator random) {
    return new Rotation(Map.of(), random);
  }
}
