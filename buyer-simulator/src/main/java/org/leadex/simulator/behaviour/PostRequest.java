package org.leadex.simulator.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Immutable. The parts of the exchange's post a simulated buyer looks at.
 *
 * @param price the price the exchange says the buyer pays, exact (JSON number read as BigDecimal);
 *     null when absent or not a number
 */
public record PostRequest(String pingId, String leadId, String bidId, BigDecimal price, boolean test) {

  public static PostRequest from(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("a post must be a JSON object");
    }
    JsonNode price = body.path("price");
    return new PostRequest(
        body.path("ping_id").asText(null),
        body.path("lead_id").asText(null),
        body.path("bid_id").asText(null),
        price.isNumber() ? price.decimalValue() : null,
        body.path("test").asBoolean(false));
  }

  /** The price in cents, or -1 when it is missing, negative or has more than 2 decimals. */
  public long priceCents() {
    if (price == null || price.signum() < 0 || price.stripTrailingZeros().scale() > 2) {
      return -1;
    }
    try {
      return price.movePointRight(2).longValueExact();
    } catch (ArithmeticException e) {
      return -1;
    }
  }
}
