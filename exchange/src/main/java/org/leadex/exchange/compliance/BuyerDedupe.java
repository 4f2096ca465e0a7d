package org.leadex.exchange.compliance;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.leadex.exchange.leads.Contacts;

/**
 * A buyer's {@code dedupe_days}: the contacts (hash prefixes) each buyer bought and when it last did,
 * in any campaign. Kept in PostgreSQL rather than in memory: a sale on any instance must hold on
 * every other at once, and the table grows with every person ever sold. The lookup is one indexed
 * query per lead for all the buyers that have a window (primary key (buyer_id, contact): an index
 * probe per buyer and contact), about a third of a millisecond on a warm database; it is issued only
 * when the lead's contacts are known and at least one of its buyers has a window. Thread safe.
 */
public final class BuyerDedupe {
  private final Pool pool;

  public BuyerDedupe(Pool pool) {
    this.pool = pool;
  }

  /** Of {@code windows} (buyer id → dedupe_days), the buyers that bought one of the contacts within theirs. */
  public Future<Set<Integer>> boughtRecently(Map<Integer, Integer> windows, Contacts contacts, Instant now) {
    long[] wanted = prefixes(contacts);
    if (windows.isEmpty() || wanted.length == 0) {
      return Future.succeededFuture(Set.of());
    }
    Integer[] buyers = new Integer[windows.size()];
    OffsetDateTime[] since = new OffsetDateTime[windows.size()];
    int i = 0;
    for (Map.Entry<Integer, Integer> window : windows.entrySet()) {
      buyers[i] = window.getKey();
      since[i++] = OffsetDateTime.ofInstant(now, ZoneOffset.UTC).minusDays(window.getValue());
    }
    Long[] contactsArray = new Long[wanted.length];
    for (int k = 0; k < wanted.length; k++) {
      contactsArray[k] = wanted[k];
    }
    return pool.preparedQuery("select distinct c.buyer_id from unnest($1::int[], $2::timestamptz[]) as w(buyer_id, since)"
            + " join buyer_contacts c on c.buyer_id = w.buyer_id and c.contact = any($3::int8[]) and c.bought_at > w.since")
        .execute(Tuple.of(buyers, since, contactsArray))
        .map(rows -> {
          Set<Integer> out = new HashSet<>();
          for (Row r : rows) {
            out.add(r.getInteger(0));
          }
          return out;
        });
  }

  /** In the sale's transaction: the buyer bought these contacts now. */
  public Future<Void> recordPurchase(SqlConnection conn, int buyerId, Contacts contacts, Instant at) {
    long[] bought = prefixes(contacts);
    if (bought.length == 0) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>();
    for (long contact : bought) {
      rows.add(Tuple.of(buyerId, contact, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)));
    }
    return conn.preparedQuery("insert into buyer_contacts (buyer_id, contact, bought_at) values ($1, $2, $3)"
            + " on conflict (buyer_id, contact) do update set bought_at = greatest(buyer_contacts.bought_at, excluded.bought_at)")
        .executeBatch(rows).mapEmpty();
  }

  private static long[] prefixes(Contacts contacts) {
    List<Long> out = new ArrayList<>(2);
    contacts.phone().ifPresent(h -> out.add(ContactHashes.prefix(h)));
    contacts.email().ifPresent(h -> out.add(ContactHashes.prefix(h)));
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
