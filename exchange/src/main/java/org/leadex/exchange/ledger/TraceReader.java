package org.leadex.exchange.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * Builds a ping's decision trace from the ledger: every buyer considered with its tier, outcome,
 * bid, latency and why it was skipped, the winner and prices, and the post's attempts. Read-only;
 * thread safe.
 */
public final class TraceReader {
  private final Pool pool;

  public TraceReader(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<ObjectNode>> trace(UUID pingId, Catalog catalog) {
    Optional<OffsetDateTime> at = RecordIds.timeOf(pingId).map(t -> OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    if (at.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("select campaign_id, seller_id, source, test, direct, price_cents, seller_price_cents,"
            + " answered_us, offers::text, sale_buyers from pings where id = $1 and received_at = $2")
        .execute(Tuple.of(pingId, at.get()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<ObjectNode>empty());
          }
          Row ping = rows.iterator().next();
          ObjectNode trace = Json.object();
          trace.put("ping_id", pingId.toString());
          Campaign campaign = catalog.campaignsById().get(ping.getInteger(0));
          trace.put("campaign", campaign == null ? null : campaign.code());
          Seller seller = catalog.sellers().values().stream().filter(s -> s.id() == ping.getInteger(1)).findFirst()
              .orElse(null);
          trace.put("seller", seller == null ? null : seller.code());
          trace.put("source", ping.getString(2));
          trace.put("test", ping.getBoolean(3));
          trace.put("direct", ping.getBoolean(4));
          trace.put("received_at", at.get().toInstant().toString());
          trace.put("answered_ms", Math.round(ping.getInteger(7) / 100.0) / 10.0);
          var offers = OffersJson.read(ping.getString(8), catalog);
          trace.put("winner", offers.isEmpty() ? null : offers.get(0).buyerCode());
          putMoney(trace, "price", ping.getInteger(5));
          putMoney(trace, "seller_price", ping.getInteger(6));
          // how the ping chose to sell the lead: exclusive, or shared with up to max_buyers buyers
          Short sharedBuyers = ping.getShort(9);
          ObjectNode sale = trace.putObject("sale");
          sale.put("mode", sharedBuyers == null ? "exclusive" : "shared");
          if (sharedBuyers != null) {
            sale.put("max_buyers", sharedBuyers.intValue());
          }
          if (campaign != null) {
            sale.put("campaign_mode", campaign.sale().mode().wire());
          }
          ArrayNode offerList = trace.putArray("offers");
          offers.forEach(o -> offerList.addObject().put("buyer", o.buyerCode()).put("tier", o.tier())
              .put("bid", o.bid().toDecimal()).put("price", o.price().toDecimal()));
          return bids(pingId, at.get(), catalog, trace.putArray("buyers"))
              .compose(v -> post(pingId, catalog, trace))
              .map(v -> Optional.of(trace));
        });
  }

  private Future<Void> bids(UUID pingId, OffsetDateTime at, Catalog catalog, ArrayNode out) {
    return pool.preparedQuery("select buyer_id, tier, outcome, bid_cents, latency_us, detail, modifier_percent,"
            + " return_rate_bp, shared_bid_cents from bids"
            + " where ping_id = $1 and received_at = $2")
        .execute(Tuple.of(pingId, at))
        .map(rows -> {
          java.util.List<Row> sorted = new java.util.ArrayList<>();
          rows.forEach(sorted::add);
          sorted.sort(java.util.Comparator.comparingInt((Row r) -> r.getShort(1)));
          for (Row r : sorted) {
            Buyer buyer = catalog.buyersById().get(r.getInteger(0));
            BidOutcome outcome = BidOutcome.ofCode(r.getShort(2));
            ObjectNode b = out.addObject();
            b.put("buyer", buyer == null ? "#" + r.getInteger(0) : buyer.code());
            b.put("tier", r.getShort(1));
            b.put("skipped", outcome == BidOutcome.SKIPPED ? r.getString(5) : null);
            b.put("outcome", outcome.wire);
            putMoney(b, "bid", r.getInteger(3));
            if (r.getInteger(8) != null) {
              putMoney(b, "shared_bid", r.getInteger(8));
            }
            Integer micros = r.getInteger(4);
            if (micros == null) {
              b.putNull("latency_ms");
            } else {
              b.put("latency_ms", Math.round(micros / 100.0) / 10.0);
            }
            b.put("reason", outcome == BidOutcome.SKIPPED ? null : r.getString(5));
            Integer bid = r.getInteger(3);
            Short modifier = r.getShort(6);
            Short rate = r.getShort(7);
            if (bid != null && (modifier != null || rate != null)) {
              // The ranking inputs as the decision saw them; the value is in dollars, to compare with bids.
              int m = modifier == null ? 0 : modifier;
              int bp = rate == null ? 0 : rate;
              b.put("modifier_percent", m);
              b.put("return_rate", java.math.BigDecimal.valueOf(bp, 4));
              b.put("ranking_value", java.math.BigDecimal.valueOf((long) bid * (100 + m) * (10_000 - bp), 8)
                  .setScale(4, java.math.RoundingMode.HALF_UP));
            }
          }
          return null;
        });
  }

  private Future<Void> post(UUID pingId, Catalog catalog, ObjectNode trace) {
    return pool.preparedQuery("select id, status, reason, seller_price_cents, consent::text from leads where ping_id = $1")
        .execute(Tuple.of(pingId))
        .compose(rows -> {
          if (rows.size() == 0) {
            trace.putNull("post");
            return Future.succeededFuture();
          }
          Row lead = rows.iterator().next();
          ObjectNode post = trace.putObject("post");
          post.put("lead_id", lead.getUUID(0).toString());
          post.put("status", lead.getString(1));
          post.put("reason", lead.getString(2));
          putMoney(post, "seller_price", lead.getInteger(3));
          if (lead.getString(4) != null) {
            post.set("consent", Json.parse(lead.getString(4)));
          }
          ArrayNode attempts = post.putArray("attempts");
          return pool.preparedQuery("select buyer_id, price_cents, accepted, latency_ms, reason from post_attempts"
                  + " where lead_id = $1 order by attempt")
              .execute(Tuple.of(lead.getUUID(0)))
              .map(list -> {
                list.forEach(a -> {
                  Buyer buyer = catalog.buyersById().get(a.getInteger(0));
                  ObjectNode o = attempts.addObject();
                  o.put("buyer", buyer == null ? "#" + a.getInteger(0) : buyer.code());
                  o.put("price", Money.ofCents(a.getInteger(1)).toDecimal());
                  o.put("accepted", a.getBoolean(2));
                  o.put("latency_ms", a.getInteger(3));
                  o.put("reason", a.getString(4));
                });
                return null;
              });
        });
  }

  private static void putMoney(ObjectNode node, String field, Integer cents) {
    if (cents == null) {
      node.putNull(field);
    } else {
      node.put(field, Money.ofCents(cents).toDecimal());
    }
  }
}
