package org.leadex.exchange.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * Reads a buyer's answer to a bid request (pure): 200 {@code {"bid": 14.25, "bid_id": "..."}} is a
 * bid; 204 or a zero bid is no bid; anything else (another status, a body that is not such an
 * object, a negative bid, a bid with more than two decimals) is an error with its reason. In a
 * {@code best} campaign a bid may carry {@code "shared_bid"}: the buyer's price for the lead shared
 * ({@code sharedBid}, null when absent or zero: exclusive only); a zero {@code bid} with a shared
 * bid is a bid for the shared lead only.
 */
public record BidAnswer(BidOutcome outcome, Money bid, String bidId, String reason, Money sharedBid) {

  public BidAnswer(BidOutcome outcome, Money bid, String bidId, String reason) {
    this(outcome, bid, bidId, reason, null);
  }

  static BidAnswer read(int status, byte[] body) {
    if (status == 204) {
      return new BidAnswer(BidOutcome.NO_BID, null, null, null);
    }
    if (status != 200) {
      return error("status " + status);
    }
    JsonNode node;
    try {
      node = Json.parse(body);
    } catch (IOException e) {
      return error("malformed: not JSON");
    }
    JsonNode bid = node.get("bid");
    if (!node.isObject() || bid == null || !bid.isNumber()) {
      return error("malformed: no numeric bid");
    }
    JsonNode shared = node.get("shared_bid");
    Money sharedBid = null;
    if (shared != null && !shared.isNull()) {
      Optional<Money> exact = shared.isNumber() && shared.decimalValue().signum() >= 0
          ? Money.exact(shared.decimalValue()) : Optional.empty();
      if (exact.isEmpty()) {
        return error("malformed: shared_bid must be a number >= 0 with at most 2 decimals");
      }
      sharedBid = exact.get().cents() == 0 ? null : exact.get();
    }
    if (bid.decimalValue().signum() == 0 && sharedBid == null) {
      return new BidAnswer(BidOutcome.NO_BID, null, null, null);
    }
    if (bid.decimalValue().signum() < 0) {
      return error("malformed: negative bid");
    }
    Optional<Money> price = Money.exact(bid.decimalValue());
    if (price.isEmpty()) {
      return error("malformed: bid has more than 2 decimals or is out of range");
    }
    JsonNode bidId = node.get("bid_id");
    String id = null;
    if (bidId != null && !bidId.isNull()) {
      if (!bidId.isTextual() || bidId.textValue().length() > 256) {
        return error("malformed: bid_id must be a string of at most 256 characters");
      }
      id = bidId.textValue();
    }
    return new BidAnswer(BidOutcome.BID, price.get(), id, null, sharedBid);
  }

  static BidAnswer error(String reason) {
    return new BidAnswer(BidOutcome.ERROR, null, null, reason);
  }
}
