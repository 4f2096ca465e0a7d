package org.leadex.exchange.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import org.leadex.exchange.auction.Offer;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * The compact stored form of a ping's offers: {@code [[buyer_id, tier, price_cents, bid_cents,
 * bid_id], ...]} in offer order. Pure.
 */
public final class OffersJson {
  private OffersJson() {}

  public static String write(List<Offer> offers) {
    ArrayNode array = Json.array();
    for (Offer offer : offers) {
      ArrayNode row = array.addArray();
      row.add(offer.buyerId()).add(offer.tier()).add(offer.price().cents()).add(offer.bid().cents());
      if (offer.bidId() == null) {
        row.addNull();
      } else {
        row.add(offer.bidId());
      }
    }
    return Json.text(array);
  }

  /** Reads stored offers; buyer codes come from the catalog (ids are stable, codes never change). */
  public static List<Offer> read(String json, Catalog catalog) {
    List<Offer> offers = new ArrayList<>();
    for (JsonNode row : Json.parse(json)) {
      int buyerId = row.get(0).intValue();
      Buyer buyer = catalog.buyersById().get(buyerId);
      offers.add(new Offer(buyerId, buyer == null ? "#" + buyerId : buyer.code(), row.get(1).intValue(),
          Money.ofCents(row.get(3).longValue()), Money.ofCents(row.get(2).longValue()),
          row.get(4).isNull() ? null : row.get(4).textValue()));
    }
    return offers;
  }
}
