package org.leadex.simulator.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable. The parts of the exchange's bid request a simulated buyer looks at.
 *
 * @param pingId the exchange's ping id (informational)
 * @param test whether the exchange marked it as test traffic
 * @param state the lead's {@code state}, or null
 * @param score the lead's {@code score}; 0 when absent
 * @param saleModes the campaign's {@code sale_modes}; {@code ["exclusive"]} when absent
 */
public record BidRequest(String pingId, boolean test, String state, int score, List<String> saleModes) {

  public static final List<String> EXCLUSIVE = List.of("exclusive");

  public BidRequest {
    saleModes = saleModes == null || saleModes.isEmpty() ? EXCLUSIVE : List.copyOf(saleModes);
  }

  /** Reads a request body; only a body that is not a JSON object (or whose lead is not one) is refused. */
  public static BidRequest from(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("a bid request must be a JSON object");
    }
    JsonNode lead = body.path("lead");
    if (!lead.isMissingNode() && !lead.isObject()) {
      throw new IllegalArgumentException("lead must be a JSON object");
    }
    JsonNode state = lead.path("state");
    JsonNode score = lead.path("score");
    List<String> modes = new ArrayList<>(2);
    for (JsonNode m : body.path("sale_modes")) {
      modes.add(m.asText());
    }
    return new BidRequest(
        body.path("ping_id").asText(null),
        body.path("test").asBoolean(false),
        state.isTextual() ? state.asText() : null,
        score.isNumber() ? score.intValue() : 0,
        modes);
  }

  /** A {@code best} campaign: the buyer may add a {@code shared_bid}. */
  public boolean offersBoth() {
    return saleModes.size() > 1 && saleModes.get(0).equals("exclusive") && saleModes.contains("shared");
  }

  /** A {@code shared} campaign: {@code bid} is the shared price. */
  public boolean sharedOnly() {
    return saleModes.get(0).equals("shared");
  }
}
