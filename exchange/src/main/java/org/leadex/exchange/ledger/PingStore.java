package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.leadex.exchange.leads.Contacts;

/**
 * Reads recorded pings. The ping's id carries its arrival millisecond, which is also its
 * partition key, so every lookup touches one day's partition through the primary key.
 * Thread safe.
 */
public final class PingStore {
  private final Pool pool;

  public PingStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<StoredPing>> find(UUID id) {
    OffsetDateTime at = RecordIds.timeOf(id).map(t -> OffsetDateTime.ofInstant(t, ZoneOffset.UTC)).orElse(null);
    if (at == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("select id, received_at, campaign_id, seller_id, source, test, lead::text, offers::text,"
            + " sub_id, phone_hash, email_hash, sale_buyers"
            + " from pings where id = $1 and received_at = $2")
        .execute(Tuple.of(id, at))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new StoredPing(r.getUUID(0), r.getOffsetDateTime(1).toInstant(), r.getInteger(2),
              r.getInteger(3), r.getString(4), r.getBoolean(5), r.getString(6), r.getString(7), r.getString(8),
              new Contacts(Optional.ofNullable(r.getBuffer(9)).map(Buffer::getBytes),
                  Optional.ofNullable(r.getBuffer(10)).map(Buffer::getBytes)),
              r.getShort(11) == null ? 0 : r.getShort(11)));
        });
  }
}
