package org.leadex.exchange.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.buyers.PostRequest;
import org.leadex.exchange.json.Json;

/** The post of a claimed lead to the buyer of one offer. Built when it is sent; pure. */
record BuyerPost(ClaimedLead claimed, Offer offer) implements PostRequest {

  /** {@code {"ping_id", "lead_id", "bid_id", "price", "sale_mode", "test", "consent", "lead"}} */
  @Override
  public Buffer json() {
    return Buffer.buffer(Json.bytes(body()));
  }

  /**
   * The post body's names ({@code ping_id}, {@code lead_id}, {@code bid_id}, {@code price},
   * {@code sale_mode}, {@code test}, {@code consent}, {@code lead.*}) plus {@code campaign},
   * {@code source} and {@code secret.*}.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> adapterContext(Secrets secrets) {
    Map<String, Object> context = Json.MAPPER.convertValue(body(), Map.class);
    context.put("campaign", claimed.campaign().code());
    context.put("source", claimed.source());
    context.put("secret", secrets.values());
    return context;
  }

  private ObjectNode body() {
    ObjectNode body = Json.object();
    body.put("ping_id", claimed.pingId().toString());
    body.put("lead_id", claimed.leadId().toString());
    if (offer.bidId() == null) {
      body.putNull("bid_id");
    } else {
      body.put("bid_id", offer.bidId());
    }
    body.put("price", offer.price().toDecimal());
    body.put("sale_mode", claimed.sharedBuyers() > 0 ? "shared" : "exclusive");
    body.put("test", claimed.test());
    if (claimed.consent() != null) {
      body.set("consent", claimed.consent().json());
    }
    body.set("lead", claimed.lead());
    return body;
  }
}
