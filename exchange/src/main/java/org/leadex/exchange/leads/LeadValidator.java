package org.leadex.exchange.leads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.json.Json;

/**
 * Checks a lead against its campaign's schema and splits it into the fields buyers may see in a
 * ping and the PII that only the post's winner receives. Pure.
 *
 * <p>A ping carries schema fields only: a PII field is refused, and so is any field the schema does
 * not name, since an unknown field may be PII the campaign forgot to list and would otherwise
 * travel to every bidder. A post or direct post carries schema fields and the campaign's PII fields.
 */
public final class LeadValidator {
  private static final int MAX_PII_LENGTH = 1_000;

  private LeadValidator() {}

  /** A lead split into the non-PII fields (canonical values) and the PII fields. */
  public record SplitLead(ObjectNode fields, ObjectNode pii) {}

  /** The ping's lead, canonical; PII and unknown fields are refused. */
  public static ObjectNode forPing(Campaign campaign, JsonNode lead) {
    ObjectNode object = requireObject(lead);
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (campaign.piiFields().contains(name)) {
        throw ApiError.validation("lead." + name, "lead." + name + " is personal data (PII) and must not be sent in a"
            + " ping; send it with the post");
      }
    }
    return split(campaign, object).fields();
  }

  /** The posted lead, split; unknown fields are refused. */
  public static SplitLead forPost(Campaign campaign, JsonNode lead) {
    return split(campaign, requireObject(lead));
  }

  private static SplitLead split(Campaign campaign, ObjectNode lead) {
    ObjectNode fields = Json.object();
    ObjectNode pii = Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = lead.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      String path = "lead." + name;
      JsonNode value = field.getValue();
      FieldRule rule = campaign.fields().get(name);
      if (rule != null) {
        if (!value.isNull()) {
          fields.set(name, rule.check(value, path));
        }
      } else if (campaign.piiFields().contains(name)) {
        if (!value.isNull()) {
          if (!(value.isTextual() || value.isNumber() && storableNumber(value))
              || value.asText().length() > MAX_PII_LENGTH) {
            throw ApiError.validation(path, path + " must be a string or number of at most " + MAX_PII_LENGTH
                + " characters");
          }
          pii.set(name, value);
        }
      } else {
        throw ApiError.validation(path, path + " is not a field of campaign '" + campaign.code() + "'");
      }
    }
    for (FieldRule rule : campaign.fields().values()) {
      if (rule.required() && !fields.has(rule.name())) {
        throw ApiError.validation("lead." + rule.name(), "lead." + rule.name() + " is required");
      }
    }
    return new SplitLead(fields, pii);
  }

  /** A number PostgreSQL's jsonb can hold (1e999999 is valid JSON but overflows its numeric). */
  private static boolean storableNumber(JsonNode value) {
    java.math.BigDecimal number = value.decimalValue().stripTrailingZeros();
    return number.precision() - number.scale() <= 30 && number.scale() <= 30;
  }

  private static ObjectNode requireObject(JsonNode lead) {
    if (lead == null || lead.isNull()) {
      throw ApiError.validation("lead", "lead is required");
    }
    if (!lead.isObject()) {
      throw ApiError.validation("lead", "lead must be a JSON object");
    }
    return (ObjectNode) lead;
  }

  /** Equal values; numbers compare by value (42, 42.0 and a long 42 are the same). */
  private static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** The first schema field whose posted value differs from the ping's, or null when all agree. */
  public static String firstMismatch(Campaign campaign, ObjectNode pinged, ObjectNode posted) {
    for (String name : campaign.fields().keySet()) {
      JsonNode a = pinged.get(name);
      JsonNode b = posted.get(name);
      if (!same(a, b)) {
        return name;
      }
    }
    // fields no longer in the schema but present at ping time
    for (Iterator<String> names = pinged.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!campaign.fields().containsKey(name) && !same(pinged.get(name), posted.get(name))) {
        return name;
      }
    }
    return null;
  }
}
