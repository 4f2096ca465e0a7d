package org.leadex.exchange.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.Json;

/**
 * The plan changes a replay tries: campaign settings ({@code floor}, {@code auction}, {@code sale},
 * {@code rank_by}, {@code tiers}) at the top level, and buyer settings ({@code caps},
 * {@code filters}) under {@code "buyers": {"<code>": {...}}}. Each replaces the field of the
 * document it names, in every version of the plan the replayed pings were decided under. Immutable.
 */
public final class ReplayChanges {
  static final Set<String> CAMPAIGN_FIELDS = Set.of("floor", "auction", "sale", "rank_by", "tiers");
  static final Set<String> BUYER_FIELDS = Set.of("caps", "filters");
  static final ReplayChanges NONE = new ReplayChanges(Json.object(), Map.of());

  private final ObjectNode campaign;
  private final Map<String, ObjectNode> buyers;

  private ReplayChanges(ObjectNode campaign, Map<String, ObjectNode> buyers) {
    this.campaign = campaign;
    this.buyers = buyers;
  }

  /** Reads {@code changes}; a field a replay cannot change is refused, naming it. Values are checked when applied. */
  static ReplayChanges read(JsonNode changes) {
    if (changes == null || changes.isNull()) {
      return NONE;
    }
    if (!changes.isObject()) {
      throw ApiError.validation("changes", "changes must be an object");
    }
    ObjectNode campaign = Json.object();
    Map<String, ObjectNode> buyers = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = changes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("buyers")) {
        if (!field.getValue().isObject()) {
          throw ApiError.validation("changes.buyers", "changes.buyers must be an object of buyer codes");
        }
        for (Iterator<Map.Entry<String, JsonNode>> b = field.getValue().fields(); b.hasNext(); ) {
          Map.Entry<String, JsonNode> buyer = b.next();
          String path = "changes.buyers." + buyer.getKey();
          if (!buyer.getValue().isObject()) {
            throw ApiError.validation(path, path + " must be an object");
          }
          for (Iterator<String> names = buyer.getValue().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!BUYER_FIELDS.contains(name)) {
              throw ApiError.validation(path + "." + name, "a replay can change a buyer's " + BUYER_FIELDS + ", not '"
                  + name + "'");
            }
          }
          buyers.put(buyer.getKey(), (ObjectNode) buyer.getValue());
        }
      } else if (CAMPAIGN_FIELDS.contains(field.getKey())) {
        campaign.set(field.getKey(), field.getValue());
      } else {
        throw ApiError.validation("changes." + field.getKey(), "a replay can change the campaign's "
            + CAMPAIGN_FIELDS + " and buyers' " + BUYER_FIELDS + ", not '" + field.getKey() + "'");
      }
    }
    return new ReplayChanges(campaign, Map.copyOf(buyers));
  }

  boolean none() {
    return campaign.isEmpty() && buyers.isEmpty();
  }

  boolean changesTiers() {
    return campaign.has("tiers");
  }

  Set<String> buyers() {
    return buyers.keySet();
  }

  /** Whether the buyer's caps are changed: then the replay counts its sales against them itself. */
  boolean changesCaps(String buyer) {
    return buyers.containsKey(buyer) && buyers.get(buyer).has("caps");
  }

  boolean changesFilters(String buyer) {
    return buyers.containsKey(buyer) && buyers.get(buyer).has("filters");
  }

  ObjectNode onCampaign(ObjectNode doc) {
    doc.setAll(campaign.deepCopy());
    return doc;
  }

  ObjectNode onBuyer(String code, ObjectNode doc) {
    ObjectNode change = buyers.get(code);
    if (change != null) {
      doc.setAll(change.deepCopy());
    }
    return doc;
  }

  ObjectNode json() {
    ObjectNode out = campaign.deepCopy();
    if (!buyers.isEmpty()) {
      ObjectNode b = out.putObject("buyers");
      buyers.forEach(b::set);
    }
    return out;
  }
}
