package org.leadex.exchange.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.leadex.exchange.auction.PingResult;
import org.leadex.exchange.json.Json;

/** The seller's answer to a ping: its id, and a price with its expiry, or no bid (and why, when the seller may know). */
public final class PingAnswer {
  private PingAnswer() {}

  public static ObjectNode of(PingResult result) {
    ObjectNode answer = Json.object();
    answer.put("ping_id", result.request().pingId().toString());
    if (result.sellerPrice().isPresent()) {
      answer.put("status", "bid");
      answer.put("price", result.sellerPrice().get().toDecimal());
      answer.put("expires_at", result.expiresAt().toString());
    } else {
      answer.put("status", "no_bid");
      if (result.duplicate()) {
        answer.put("reason", "duplicate_lead");
      }
    }
    return answer;
  }
}
