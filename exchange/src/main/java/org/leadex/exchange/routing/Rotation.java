package org.leadex.exchange.routing;

import java.time.Instant;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What the order of offers depends on besides the bids: when each buyer last bought a lead (round
 * robin), a source of random draws (weighted), and each buyer's recent return rate (auction tiers
 * of campaigns ranked by expected net). Passing them in keeps {@link DistributionPlan} a pure
 * function.
 *
 * @param lastSold    buyer id → time of its last sale; absent when it never bought
 * @param returnRates buyer id → its approved returns ÷ sales over the last 30 days, in basis points
 *                    (0.01 %), when it had at least 20 sales; absent: 0
 * @param funds       what each prepaid buyer can spend: an offer its wallet cannot cover is dropped
 */
public record Rotation(Map<Integer, Instant> lastSold, RandomGenerator random, Map<Integer, Integer> returnRates,
                       Funds funds) {

  public Rotation(Map<Integer, Instant> lastSold, RandomGenerator random, Map<Integer, Integer> returnRates) {
    this(lastSold, random, returnRates, Funds.UNLIMITED);
  }

  public Rotation(Map<Integer, Instant> lastSold, RandomGenerator random) {
    this(lastSold, random, Map.of());
  }

  public static Rotation none(RandomGenerator random) {
    return new Rotation(Map.of(), random);
  }
}
