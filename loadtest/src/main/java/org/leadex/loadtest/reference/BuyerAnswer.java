package org.leadex.loadtest.reference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * What a buyer's answer to a bid request amounts to, by the contract's "Buyers' endpoints": a bid
 * is 200 {@code {"bid": 14.25}}; 204 or {@code {"bid": 0}} is no bid; anything else counts as no
 * bid too, and says why. Pure.
 *
 * @param cents the bid in cents when {@code kind} is {@link Kind#BID}, else 0
 */
public record BuyerAnswer(Kind kind, long cents) {

  public enum Kind {
    BID, NO_BID,
    /** 200 with a body that is not a JSON object with a usable {@code bid}. */
    MALFORMED,
    /** Any status other than 200 and 204. */
    HTTP_ERROR
  }

  static final BuyerAnswer NO_BID = new BuyerAnswer(Kind.NO_BID, 0);
  static final BuyerAnswer MALFORMED = new BuyerAnswer(Kind.MALFORMED, 0);
  static final BuyerAnswer HTTP_ERROR = new BuyerAnswer(Kind.HTTP_ERROR, 0);
  private static final JsonFactory FACTORY = new JsonFactory();

  /**
   * Reads the top-level {@code bid} with a streaming parser, without building a tree. A bid that
   * is negative, not a number, or has more than two decimals is malformed.
   */
  public static BuyerAnswer read(int status, byte[] body) {
    if (status == 204) {
      return NO_BID;
    }
    if (status != 200) {
      return HTTP_ERROR;
    }
    BigDecimal bid = null;
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return MALFORMED;
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("bid")) {
          if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            return MALFORMED;
          }
          bid = parser.getDecimalValue();
        } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return MALFORMED;
      }
    } catch (IOException | RuntimeException e) {
      return MALFORMED;
    }
    if (bid == null || bid.signum() < 0 || bid.stripTrailingZeros().scale() > 2) {
      return MALFORMED;
    }
    if (bid.signum() == 0) {
      return NO_BID;
    }
    try {
      return new BuyerAnswer(Kind.BID, bid.movePointRight(2).longValueExact());
    } catch (ArithmeticException tooBig) {
      return MALFORMED;
    }
  }
}
