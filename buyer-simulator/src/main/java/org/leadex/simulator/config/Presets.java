package org.leadex.simulator.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stateless. The named buyer profiles selectable with {@code --preset} or {@code "preset"} in a
 * config file. Their numbers are documented in docs/buyer-simulator.md; change both together.
 */
public final class Presets {
  private Presets() {}

  /** Latency log-normal 20/80 ms with 2% hangs, bids 70% around $10 ($1–$50), accepts 90% of posts. */
  public static BuyerProfile realistic() {
    return new BuyerProfile(
        0.7,
        new PriceDistribution.LogNormal(Money.parse("10.00"), Money.parse("30.00"), Money.parse("1.00"), Money.parse("50.00")),
        0.5,
        new LatencyModel(20, 80, 0.02),
        ErrorRates.NONE,
        new PostBehaviour(0.9, new LatencyModel(40, 150, 0), "not_interested"),
        0,
        Preferences.ANY,
        120,
        false);
  }

  /** Always bids $10.00 at once and accepts every post at once: for functional tests. */
  public static BuyerProfile fast() {
    return new BuyerProfile(
        1.0,
        new PriceDistribution.Fixed(Money.parse("10.00")),
        0.5,
        LatencyModel.IMMEDIATE,
        ErrorRates.NONE,
        new PostBehaviour(1.0, LatencyModel.IMMEDIATE, "not_interested"),
        0,
        Preferences.ANY,
        120,
        false);
  }

  /** Realistic, but 5% hangs, 5% each of 500, malformed, trickle and reset, 2% oversized: 27% broken. */
  public static BuyerProfile flaky() {
    return realistic()
        .withLatency(new LatencyModel(20, 80, 0.05))
        .withErrors(new ErrorRates(0.05, 0.05, 0.05, 0.05, 0.02, ErrorRates.DEFAULT_TRICKLE_MS, ErrorRates.DEFAULT_OVERSIZED_BYTES))
        .withPost(new PostBehaviour(0.8, new LatencyModel(40, 150, 0.02), "not_interested"));
  }

  /** Realistic, but answers late: median 120 ms, p99 400 ms, 5% hangs; most miss a 150 ms ping. */
  public static BuyerProfile slow() {
    return realistic().withLatency(new LatencyModel(120, 400, 0.05));
  }

  /** Realistic, but bids only on CA and NV leads scored 40 or more. */
  public static BuyerProfile picky() {
    return realistic().withPreferences(new Preferences(List.of("CA", "NV"), 40));
  }

  private static final Map<String, BuyerProfile> BY_NAME = byName();

  private static Map<String, BuyerProfile> byName() {
    Map<String, BuyerProfile> m = new LinkedHashMap<>();
    m.put("realistic", realistic());
    m.put("fast", fast());
    m.put("flaky", flaky());
    m.put("slow", slow());
    m.put("picky", picky());
    return Collections.unmodifiableMap(m);
  }

  /** The preset names, in the order the documentation lists them. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  public static BuyerProfile named(String name) {
    BuyerProfile p = BY_NAME.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown preset '" + name + "'; known: " + String.join(", ", names()));
    }
    return p;
  }
}
