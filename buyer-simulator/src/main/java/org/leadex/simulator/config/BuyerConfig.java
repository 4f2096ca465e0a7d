package org.leadex.simulator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable. One simulated buyer: its id (also its path segment and its id at the exchange), the
 * name it registers with, and its behaviour.
 */
public record BuyerConfig(String id, String name, BuyerProfile profile) {

  /** The contract's rule for admin-chosen ids. */
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public BuyerConfig {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("buyer id '" + id + "' must match " + ID.pattern());
    }
    name = name == null || name.isBlank() ? "Simulated buyer " + id : name;
    Objects.requireNonNull(profile, "buyer " + id + ": profile is required");
  }

  public static BuyerConfig of(String id, BuyerProfile profile) {
    return new BuyerConfig(id, null, profile);
  }

  /**
   * {@code count} buyers with the same profile, named {@code prefix-001}, {@code prefix-002}, …
   * (zero-padded to at least 3 digits, so ids sort in order).
   */
  public static List<BuyerConfig> group(String prefix, int count, BuyerProfile profile) {
    if (count < 1) {
      throw new IllegalArgumentException("a group of buyers needs count ≥ 1, got " + count);
    }
    int width = Math.max(3, Integer.toString(count).length());
    List<BuyerConfig> buyers = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      buyers.add(of(prefix + "-" + String.format("%0" + width + "d", i), profile));
    }
    return List.copyOf(buyers);
  }

  public BuyerConfig withProfile(BuyerProfile p) {
    return new BuyerConfig(id, name, p);
  }
}
