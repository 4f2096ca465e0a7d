package org.leadex.exchange.compliance;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Suppression lists in PostgreSQL, so every instance loads the same: a list is its sorted distinct
 * hash prefixes in 1 MiB {@code bytea} chunks. A replacement is one transaction (the old list stays
 * in force until it commits) that bumps the catalog version and notifies channel {@code catalog},
 * which is how every instance learns to reload (see {@link Suppressions}). Thread safe.
 */
public final class SuppressionStore {
  /** Prefixes per chunk: 1 MiB. */
  static final int CHUNK = 131_072;

  private final Pool pool;

  public SuppressionStore(Pool pool) {
    this.pool = pool;
  }

  /** One list's identity: the catalog version its upload made, and how many hashes it holds. */
  public record Listed(long version, int hashes) {}

  /** Replaces the buyer's list; completes with its version once committed and announced. */
  public Future<Long> replace(int buyerId, long[] sortedPrefixes, Instant at) {
    return pool.withTransaction(conn -> conn
        // two uploads of one buyer at once: the second waits, then replaces the first
        .preparedQuery("select pg_advisory_xact_lock(hashtextextended('suppression:' || $1::int, 0))")
        .execute(Tuple.of(buyerId))
        .compose(v -> conn.preparedQuery("delete from suppression_chunks where buyer_id = $1").execute(Tuple.of(buyerId)))
        .compose(v -> insertChunks(conn, buyerId, sortedPrefixes, 0))
        // the catalog row is locked last and briefly: admin writes do not wait for the chunks
        .compose(v -> conn.query("update catalog_version set version = version + 1 returning version").execute())
        .compose(rows -> {
          long version = rows.iterator().next().getLong(0);
          return conn.preparedQuery("insert into suppression_lists (buyer_id, version, hashes, uploaded_at)"
                  + " values ($1, $2, $3, $4) on conflict (buyer_id) do update set version = excluded.version,"
                  + " hashes = excluded.hashes, uploaded_at = excluded.uploaded_at")
              .execute(Tuple.of(buyerId, version, sortedPrefixes.length, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
              .compose(r -> conn.query("select pg_notify('catalog', '" + version + "')").execute())
              .map(r -> version);
        }));
  }

  private static Future<Void> insertChunks(SqlConnection conn, int buyerId, long[] prefixes, int chunk) {
    int from = chunk * CHUNK;
    if (from >= prefixes.length) {
      return Future.succeededFuture();
    }
    int to = Math.min(prefixes.length, from + CHUNK);
    Buffer bytes = Buffer.buffer((to - from) * Long.BYTES);
    for (int i = from; i < to; i++) {
      bytes.appendLong(prefixes[i]);
    }
    return conn.preparedQuery("insert into suppression_chunks (buyer_id, chunk, prefixes) values ($1, $2, $3)")
        .execute(Tuple.of(buyerId, chunk, bytes))
        .compose(v -> insertChunks(conn, buyerId, prefixes, chunk + 1));
  }

  /** Every buyer's list as it stands. */
  public Future<Map<Integer, Listed>> listed() {
    return pool.query("select buyer_id, version, hashes from suppression_lists").execute().map(rows -> {
      Map<Integer, Listed> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getInteger(0), new Listed(r.getLong(1), r.getInteger(2)));
      }
      return out;
    });
  }

  /**
   * A buyer's list as of {@code version}, read one chunk at a time (no query holds more than 1 MiB);
   * empty when a newer upload replaced it meanwhile (the reload that newer one triggers reads it).
   */
  public Future<java.util.Optional<long[]>> load(int buyerId, Listed listed) {
    long[] prefixes = new long[listed.hashes()];
    return loadChunk(buyerId, prefixes, 0)
        .compose(v -> pool.preparedQuery("select version from suppression_lists where buyer_id = $1")
            .execute(Tuple.of(buyerId)))
        .map(rows -> rows.size() == 1 && rows.iterator().next().getLong(0) == listed.version()
            ? java.util.Optional.of(prefixes) : java.util.Optional.empty());
  }

  private Future<Void> loadChunk(int buyerId, long[] into, int chunk) {
    int from = chunk * CHUNK;
    if (from >= into.length) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("select prefixes from suppression_chunks where buyer_id = $1 and chunk = $2")
        .execute(Tuple.of(buyerId, chunk))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new IllegalStateException("suppression list of buyer " + buyerId
                + " changed while it was read"));
          }
          Buffer bytes = rows.iterator().next().getBuffer(0);
          int count = Math.min(bytes.length() / Long.BYTES, into.length - from);
          for (int i = 0; i < count; i++) {
            into[from + i] = bytes.getLong(i * Long.BYTES);
          }
          return loadChunk(buyerId, into, chunk + 1);
        });
  }
}
