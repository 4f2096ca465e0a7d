package org.leadex.exchange.auction;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.json.Json;

/**
 * One ping's bid request, built at most once per form and shared by all of its buyers: the buyer
 * protocol's JSON (left open so each buyer's {@code tmax_ms} can be appended) for buyers that speak
 * it, and the template context for buyers with a bid adapter. Neither holds PII: a ping carries
 * none, and the consent certificate is kept for the post. Confined to the ping's event loop.
 */
public final class BidRequest {
  private final PingRequest ping;
  private final int score;
  private Buffer prefix;
  private Map<String, Object> context;

  BidRequest(PingRequest ping, int score) {
    this.ping = ping;
    this.score = score;
  }

  /** The buyer protocol's request without its closing brace. */
  public Buffer prefix() {
    if (prefix == null) {
      prefix = PingAuction.bidRequestPrefix(ping, score);
    }
    return prefix;
  }

  /**
   * What a bid adapter's templates read: {@code ping_id}, {@code campaign}, {@code vertical},
   * {@code test}, {@code sale_modes}, {@code tmax_ms}, {@code lead.*} (with {@code score}) and
   * {@code secret.*} (the buyer's own).
   */
  public Map<String, Object> adapterContext(long tmaxMillis, Secrets secrets) {
    if (context == null) {
      Map<String, Object> base = new HashMap<>();
      base.put("ping_id", ping.pingId().toString());
      base.put("campaign", ping.campaign().code());
      base.put("vertical", ping.campaign().vertical());
      base.put("test", ping.test());
      base.put("sale_modes", ping.campaign().sale().saleModes());
      Map<String, Object> lead = new LinkedHashMap<>();
      String certificate = ping.campaign().consentField();
      for (Iterator<Map.Entry<String, JsonNode>> fields = ping.lead().fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getKey().equals(certificate)) {
          lead.put(field.getKey(), Json.MAPPER.convertValue(field.getValue(), Object.class));
        }
      }
      lead.put("score", score);
      base.put("lead", lead);
      context = base;
    }
    Map<String, Object> call = new HashMap<>(context);
    call.put("tmax_ms", tmaxMillis);
    call.put("secret", secrets.values());
    return call;
  }
}
