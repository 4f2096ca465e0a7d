package org.leadex.exchange.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.leadex.exchange.json.Json;

/**
 * A buyer's answer to a lead's post (pure): accepted only on 200 {@code {"accepted": true}};
 * anything else, including a timeout, is a rejection with its reason.
 */
public record PostAnswer(boolean accepted, String reason, String reference, long latencyMillis) {

  static PostAnswer read(int status, byte[] body, long latencyMillis) {
    if (status != 200) {
      return rejected("status " + status, latencyMillis);
    }
    JsonNode node;
    try {
      node = Json.parse(body);
    } catch (IOException e) {
      return rejected("malformed: not JSON", latencyMillis);
    }
    JsonNode accepted = node.get("accepted");
    if (!node.isObject() || accepted == null || !accepted.isBoolean()) {
      return rejected("malformed: no boolean accepted", latencyMillis);
    }
    String reference = text(node.get("reference"));
    if (accepted.booleanValue()) {
      return new PostAnswer(true, null, reference, latencyMillis);
    }
    String reason = text(node.get("reason"));
    return rejected(reason == null ? "rejected" : reason, latencyMillis);
  }

  static PostAnswer rejected(String reason, long latencyMillis) {
    return new PostAnswer(false, reason, null, latencyMillis);
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String text = node.isTextual() ? node.textValue() : node.toString();
    return text.length() <= 256 ? text : text.substring(0, 256);
  }
}
