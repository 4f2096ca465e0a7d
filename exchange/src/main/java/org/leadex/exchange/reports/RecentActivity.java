package org.leadex.exchange.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.UUID;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.ledger.RecordIds;
import org.leadex.exchange.money.Money;

/**
 * What the dashboard reads from the ledger, across all instances: revenue per lead by campaign and
 * source over the last hours, and the latest pings. Both stay cheap at volume: leads are few and
 * indexed by time, and pings are read newest first along their time-ordered primary key within the
 * last hour's partitions. Read-only; thread safe.
 */
public final class RecentActivity {
  private final Pool pool;

  public RecentActivity(Pool pool) {
    this.pool = pool;
  }

  /** Posted leads of the last {@code hours} (test traffic excluded) by campaign and source, best first. */
  public Future<ObjectNode> revenue(int hours, Catalog catalog) {
    return pool.preparedQuery("select l.campaign_id, l.source, count(*), count(*) filter (where l.status = 'sold'),"
            + " coalesce(sum(s.cents), 0) as gross from leads l"
            + " left join lateral (select sum(price_cents) as cents from sales where lead_id = l.id) s on true"
            + " where l.created_at > now() - make_interval(hours => $1) and not l.test"
            + " group by l.campaign_id, l.source order by gross desc, 1, 2 limit 50")
        .execute(Tuple.of(hours))
        .map(rows -> {
          ObjectNode out = Json.object();
          out.put("hours", hours);
          ArrayNode items = out.putArray("rows");
          for (Row r : rows) {
            Campaign campaign = catalog.campaignsById().get(r.getInteger(0));
            long posts = r.getLong(2);
            long sold = r.getLong(3);
            long gross = r.getLong(4);
            ObjectNode row = items.addObject();
            row.put("campaign", campaign == null ? null : campaign.code());
            row.put("source", r.getString(1));
            row.put("posts", posts);
            row.put("sold", sold);
            row.put("gross_revenue", Money.ofCents(gross).toDecimal());
            row.put("revenue_per_lead", sold == 0 ? null
                : BigDecimal.valueOf(gross).divide(BigDecimal.valueOf(sold * 100), 2, RoundingMode.HALF_UP));
            row.put("fill_rate", posts == 0 ? null
                : BigDecimal.valueOf(sold).divide(BigDecimal.valueOf(posts), 4, RoundingMode.HALF_UP));
          }
          return out;
        });
  }

  /** The latest pings of the last hour, newest first, with their quote and winner. */
  public Future<ObjectNode> pings(int limit, Catalog catalog) {
    return pool.preparedQuery("select id, campaign_id, source, status, seller_price_cents, price_cents, answered_us,"
            + " test, direct, (offers->0->>0)::int from pings where received_at > now() - interval '1 hour'"
            + " order by id desc limit $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          ObjectNode out = Json.object();
          ArrayNode items = out.putArray("pings");
          for (Row r : rows) {
            UUID id = r.getUUID(0);
            Campaign campaign = catalog.campaignsById().get(r.getInteger(1));
            Integer winnerId = r.getInteger(9);
            Buyer winner = winnerId == null ? null : catalog.buyersById().get(winnerId);
            ObjectNode ping = items.addObject();
            ping.put("ping_id", id.toString());
            ping.put("received_at", RecordIds.timeOf(id).map(Object::toString).orElse(null));
            ping.put("campaign", campaign == null ? null : campaign.code());
            ping.put("source", r.getString(2));
            ping.put("status", r.getShort(3) == 1 ? "bid" : "no_bid");
            ping.put("seller_price", r.getInteger(4) == null ? null : Money.ofCents(r.getInteger(4)).toDecimal());
            ping.put("price", r.getInteger(5) == null ? null : Money.ofCents(r.getInteger(5)).toDecimal());
            ping.put("winner", winner == null ? null : winner.code());
            ping.put("answered_ms", Math.round(r.getInteger(6) / 100.0) / 10.0);
            ping.put("test", r.getBoolean(7));
            ping.put("direct", r.getBoolean(8));
          }
          return out;
        });
  }
}
