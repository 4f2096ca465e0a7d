package org.leadex.exchange.catalog;

import org.leadex.exchange.json.DocReader;

/**
 * How a campaign sells its leads (document field {@code "sale"}): to one buyer ({@code exclusive},
 * the default), to up to {@code max_buyers} distinct buyers each at its own price ({@code shared}),
 * or whichever of the two earns the exchange more on each ping ({@code best}).
 */
public record SalePlan(Mode mode, int maxBuyers) {
  /** The most buyers one lead may be shared with: a lead is a person, not a mailing list. */
  public static final int MAX_BUYERS_LIMIT = 10;
  public static final int DEFAULT_MAX_BUYERS = 3;
  public static final SalePlan EXCLUSIVE = new SalePlan(Mode.EXCLUSIVE, 1);

  public enum Mode {
    EXCLUSIVE, SHARED, BEST;

    public String wire() {
      return name().toLowerCase();
    }
  }

  /** The modes a bid request offers buyers ({@code sale_modes}), in the order a buyer's {@code bid} prices the first. */
  public String[] saleModes() {
    return switch (mode) {
      case EXCLUSIVE -> new String[] {"exclusive"};
      case SHARED -> new String[] {"shared"};
      case BEST -> new String[] {"exclusive", "shared"};
    };
  }

  public static SalePlan read(DocReader doc) {
    Mode mode = doc.optEnum("mode", Mode.class).orElse(Mode.EXCLUSIVE);
    int maxBuyers = doc.integer("max_buyers", 1, MAX_BUYERS_LIMIT, DEFAULT_MAX_BUYERS);
    doc.done();
    return mode == Mode.EXCLUSIVE ? EXCLUSIVE : new SalePlan(mode, maxBuyers);
  }
}
