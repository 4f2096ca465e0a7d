package org.leadex.exchange.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.samskivert.mustache.MustacheException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Webhook;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.DeliveryOutbox;
import org.leadex.exchange.money.Money;

/**
 * The webhook deliveries a sale makes: the copy of the lead to the buyer's CRM and the notice to
 * its channel, rendered now from the buyer's compiled templates (pure, cheap, on the event loop) and
 * written to the outbox with the sale. A body that cannot be rendered is stored dead with its error,
 * so that it shows in the dead-letter list instead of failing the sale.
 */
final class SaleCopies {
  private SaleCopies() {}

  /** What a template or mapping can name: {@code lead.<field>} (every field, PII included) and the sale's facts. */
  static Map<String, Object> context(UUID pingId, UUID leadId, Buyer buyer, String campaign, String source,
                                     boolean test, Money price, String reference, ObjectNode lead, Instant soldAt) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("ping_id", pingId.toString());
    context.put("lead_id", leadId.toString());
    context.put("price", price.toDecimal());
    context.put("buyer", buyer.code());
    context.put("buyer_name", buyer.name());
    context.put("campaign", campaign);
    context.put("source", source);
    context.put("test", test);
    context.put("sold_at", soldAt.toString());
    context.put("reference", reference);
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = Json.MAPPER.convertValue(lead, Map.class);
    context.put("lead", fields);
    return context;
  }

  static List<DeliveryOutbox.Item> of(Buyer buyer, Map<String, Object> context) {
    if (buyer.crm().isEmpty() && buyer.notice().isEmpty()) {
      return List.of();
    }
    List<DeliveryOutbox.Item> items = new ArrayList<>(2);
    buyer.crm().ifPresent(crm -> items.add(item(buyer, "crm", crm, context)));
    buyer.notice().ifPresent(notice -> items.add(item(buyer, "notify", notice, context)));
    return items;
  }

  private static DeliveryOutbox.Item item(Buyer buyer, String kind, Webhook hook, Map<String, Object> context) {
    String body = null;
    String error = null;
    try {
      body = hook.render(context);
    } catch (MustacheException | IllegalArgumentException e) {
      error = "template: " + e.getMessage();
    }
    return new DeliveryOutbox.Item(buyer.id(), kind, hook.url().toString(), hook.format().contentType, body,
        hook.maxAttempts(), error);
  }

}
