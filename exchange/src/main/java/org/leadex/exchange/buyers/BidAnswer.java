package org.leadex.exchange.buyers;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
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
    Fields fields;
    try {
      fields = Fields.read(body);
    } catch (IOException e) {
      return error("malformed: not JSON");
    }
    if (fields == null || fields.bid == null) {
      return error("malformed: no numeric bid");
    }
    Money sharedBid = null;
    if (fields.sharedBid != null || fields.sharedBidNotNumber) {
      Optional<Money> exact = fields.sharedBid != null && fields.sharedBid.signum() >= 0
          ? Money.exact(fields.sharedBid) : Optional.empty();
      if (exact.isEmpty()) {
        return error("malformed: shared_bid must be a number >= 0 with at most 2 decimals");
      }
      sharedBid = exact.get().cents() == 0 ? null : exact.get();
    }
    if (fields.bid.signum() == 0 && sharedBid == null) {
      return new BidAnswer(BidOutcome.NO_BID, null, null, null);
    }
    if (fields.bid.signum() < 0) {
      return error("malformed: negative bid");
    }
    Optional<Money> price = Money.exact(fields.bid);
    if (price.isEmpty()) {
      return error("malformed: bid has more than 2 decimals or is out of range");
    }
    if (fields.bidIdInvalid) {
      return error("malformed: bid_id must be a string of at most 256 characters");
    }
    return new BidAnswer(BidOutcome.BID, price.get(), fields.bidId, null, sharedBid);
  }

  /**
   * The three fields a bid answer may carry, read by streaming over the body rather than building a
   * tree of it: ten answers a ping made the tree the largest single cost of reading them (a 600/s
   * profile: Jackson's tree model about 12 % of the exchange's CPU). The same rules as the exchange's
   * one mapper: decimals exact, a duplicate key or trailing garbage is not JSON.
   */
  private static final class Fields {
    BigDecimal bid;
    BigDecimal sharedBid;
    boolean sharedBidNotNumber;
    String bidId;
    boolean bidIdInvalid;

    /** Null when the body is JSON but not an object; throws when it is not JSON at all. */
    static Fields read(byte[] body) throws IOException {
      try (JsonParser parser = Json.MAPPER.createParser(body)) {
        JsonToken first = parser.nextToken();
        if (first == null) {
          throw new JsonParseException(parser, "empty body");
        }
        Fields fields = first == JsonToken.START_OBJECT ? new Fields() : null;
        if (fields == null) {
          parser.skipChildren();
        } else {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
              case "bid" -> fields.bid = value.isNumeric() ? parser.getDecimalValue() : null;
              case "shared_bid" -> {
                fields.sharedBid = value.isNumeric() ? parser.getDecimalValue() : null;
                fields.sharedBidNotNumber = !value.isNumeric() && value != JsonToken.VALUE_NULL;
              }
              case "bid_id" -> {
                fields.bidId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                fields.bidIdInvalid = value != JsonToken.VALUE_NULL
                    && (value != JsonToken.VALUE_STRING || fields.bidId.length() > 256);
              }
              default -> { }
            }
            parser.skipChildren();
          }
        }
        if (parser.nextToken() != null) {
          throw new JsonParseException(parser, "trailing tokens");
        }
        return fields;
      }
    }
  }

  static BidAnswer error(String reason) {
    return new BidAnswer(BidOutcome.ERROR, null, null, reason);
  }
}
