package org.leadex.loadtest.traffic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few top-level fields the generator reads from an answer of the exchange: enough to count
 * outcomes and to post a bid ping. Reads with a streaming parser, without building a tree.
 *
 * @param status {@code bid}, {@code no_bid}, {@code sold}, {@code unsold}, or null
 * @param pingId the ping's id (needed to post it)
 * @param reason why a lead went unsold
 * @param error the error code of an error answer
 * @param leadId a post's lead id
 * @param price the seller's price as the exchange wrote it (never parsed to a binary fraction)
 */
public record Answer(String status, String pingId, String reason, String error, String leadId, String price) {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** The answer's fields, or null when the body is not a JSON object. */
  public static Answer read(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    String status = null;
    String pingId = null;
    String reason = null;
    String error = null;
    String leadId = null;
    String price = null;
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          parser.skipChildren();
          continue;
        }
        String text = value == JsonToken.VALUE_NULL ? null : parser.getText();
        switch (name) {
          case "status" -> status = text;
          case "ping_id" -> pingId = text;
          case "reason" -> reason = text;
          case "error" -> error = text;
          case "lead_id" -> leadId = text;
          case "price" -> price = text;
          default -> { }
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return null;
      }
    } catch (IOException e) {
      return null;
    }
    return new Answer(status, pingId, reason, error, leadId, price);
  }
}
