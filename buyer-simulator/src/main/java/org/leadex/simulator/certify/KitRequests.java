package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.leadex.simulator.config.Json;

/**
 * Pure. The kit's requests, shaped as the exchange shapes them (exchange/…/auction/PingAuction
 * {@code bidRequestPrefix} and delivery/LeadDelivery {@code postBody}), fields in the same order.
 */
final class KitRequests {
  private KitRequests() {}

  /**
   * {@code {"ping_id","campaign","vertical","test","sale_modes","lead":{…,"score"},"tmax_ms"}}: the
   * exchange writes {@code tmax_ms} last, per buyer. Never carries PII.
   */
  static ObjectNode bid(KitSettings s, String pingId, boolean test, List<String> saleModes, Map<String, JsonNode> lead, int score) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("ping_id", pingId);
    body.put("campaign", s.campaign());
    body.put("vertical", s.vertical());
    body.put("test", test);
    saleModes.forEach(body.putArray("sale_modes")::add);
    ObjectNode fields = body.putObject("lead");
    lead.forEach(fields::set);
    fields.put("score", score);
    body.put("tmax_ms", s.tmaxMs());
    return body;
  }

  /** {@code {"ping_id","lead_id","bid_id","price","test","lead":{all fields}}}; {@code bid_id} null when there was none. */
  static ObjectNode post(String pingId, String leadId, String bidId, BigDecimal price, boolean test,
                         Map<String, JsonNode> lead, Map<String, JsonNode> pii) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("ping_id", pingId);
    body.put("lead_id", leadId);
    if (bidId == null) {
      body.putNull("bid_id");
    } else {
      body.put("bid_id", bidId);
    }
    body.put("price", price.setScale(2));
    body.put("test", test);
    ObjectNode fields = body.putObject("lead");
    lead.forEach(fields::set);
    pii.forEach(fields::set);
    return body;
  }
}
