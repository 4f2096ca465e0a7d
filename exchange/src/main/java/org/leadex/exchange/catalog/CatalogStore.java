package org.leadex.exchange.catalog;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;

/**
 * Reads and writes the catalog in PostgreSQL. Every write bumps {@code catalog_version} and
 * notifies channel {@code catalog} in the same transaction, so that every instance reloads.
 * Thread safe (stateless over a pool).
 */
public final class CatalogStore {
  /** The three kinds of catalog document; each has a table of the same name. */
  public enum Kind { SELLERS, BUYERS, CAMPAIGNS }

  /** A stored document and whether this write created it (and the key issued with it, if any). */
  public record Stored(int id, boolean created, Optional<IssuedKey> key) {}

  public record IssuedKey(String id, String apiKey) {}

  /** What is known of an issued key: never the key, nor its hash. {@code revokedAt} is null while live. */
  public record KeyInfo(String id, Role role, String principal, String name, java.time.OffsetDateTime createdAt,
                        java.time.OffsetDateTime revokedAt) {}

  private final Pool pool;

  public CatalogStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Catalog> load() {
    return pool.withConnection(conn -> conn.query("select version from catalog_version").execute()
        .compose(version -> docs(conn, "sellers").compose(sellers -> docs(conn, "buyers")
            .compose(buyers -> docs(conn, "campaigns").compose(campaigns -> keys(conn)
                .map(keys -> build(version.iterator().next().getLong(0), sellers, buyers, campaigns, keys)))))));
  }

  public Future<Long> version() {
    return pool.query("select version from catalog_version").execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Creates or replaces a document. For a new seller or buyer, a key for it is issued in the same
   * transaction.
   */
  public Future<Stored> put(Kind kind, String code, String docJson, Role keyRole) {
    String table = kind.name().toLowerCase();
    // An admin's PUT of a buyer owns its status from then on: a pause it sets, the buyer cannot lift.
    String owner = kind == Kind.BUYERS ? ", paused_by_buyer = false" : "";
    return pool.withTransaction(conn -> conn.preparedQuery("insert into " + table + " (code, doc) values ($1, $2::text::jsonb) "
            + "on conflict (code) do update set doc = excluded.doc, updated_at = now()" + owner + " "
            + "returning id, (xmax = 0) as inserted")
        .execute(Tuple.of(code, docJson))
        .compose(rows -> {
          Row row = rows.iterator().next();
          int id = row.getInteger("id");
          boolean created = row.getBoolean("inserted");
          Future<Optional<IssuedKey>> key = created && keyRole != null
              ? insertKey(conn, keyRole, code, code).map(Optional::of)
              : Future.succeededFuture(Optional.empty());
          return key.compose(k -> bump(conn).map(v -> new Stored(id, created, k)));
        }));
  }

  /** A buyer's own settings as stored, and whether it paused itself. */
  public record BuyerSelf(String docJson, boolean pausedByBuyer) {}

  public Future<Optional<BuyerSelf>> buyerSelf(String code) {
    return pool.preparedQuery("select doc::text, paused_by_buyer from buyers where code = $1").execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? Optional.<BuyerSelf>empty()
            : Optional.of(new BuyerSelf(rows.iterator().next().getString(0), rows.iterator().next().getBoolean(1))));
  }

  /**
   * Replaces a buyer's document with the changes it made itself, with its audit entry, in one
   * transaction; false (nothing written) when the document changed since {@code expectedDocJson}
   * was read, so two concurrent changes cannot undo each other.
   */
  public Future<Boolean> updateBuyerSelf(String code, String expectedDocJson, String docJson, boolean pausedByBuyer,
                                         java.util.function.Function<SqlConnection, Future<Void>> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery("update buyers set doc = $3::text::jsonb, updated_at = now(),"
            + " paused_by_buyer = $4 where code = $1 and doc = $2::text::jsonb")
        .execute(Tuple.of(code, expectedDocJson, docJson, pausedByBuyer))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : audit.apply(conn).compose(v -> bump(conn)).map(v -> true)));
  }

  public Future<IssuedKey> issueKey(Role role, String principal, String name) {
    return pool.withTransaction(conn -> insertKey(conn, role, principal, name).compose(k -> bump(conn).map(v -> k)));
  }

  /** Revokes a key; false when no live key has that id. */
  public Future<Boolean> revokeKey(String keyId) {
    return pool.withTransaction(conn -> conn.preparedQuery(
            "update api_keys set revoked_at = now() where id = $1 and revoked_at is null")
        .execute(Tuple.of(keyId))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false) : bump(conn).map(v -> true)));
  }

  /** Every key issued, oldest first, revoked ones included (for rotation: which key ids to delete). */
  public Future<java.util.List<KeyInfo>> keys() {
    return pool.query("select id, role, principal, name, created_at, revoked_at from api_keys order by created_at, id")
        .execute().map(rows -> {
          java.util.List<KeyInfo> out = new java.util.ArrayList<>();
          rows.forEach(r -> out.add(new KeyInfo(r.getString(0), Role.valueOf(r.getString(1).toUpperCase()), r.getString(2),
              r.getString(3), r.getOffsetDateTime(4), r.getOffsetDateTime(5))));
          return out;
        });
  }

  /** The stored document of one id, as JSON text. */
  public Future<Optional<String>> document(Kind kind, String code) {
    return pool.preparedQuery("select doc::text from " + kind.name().toLowerCase() + " where code = $1")
        .execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /** All stored documents of a kind, by code, in code order. */
  public Future<Map<String, String>> documents(Kind kind) {
    return pool.query("select code, doc::text from " + kind.name().toLowerCase() + " order by code").execute()
        .map(rows -> {
          Map<String, String> out = new java.util.LinkedHashMap<>();
          rows.forEach(r -> out.put(r.getString(0), r.getString(1)));
          return out;
        });
  }

  private static Future<IssuedKey> insertKey(SqlConnection conn, Role role, String principal, String name) {
    String key = ApiKeys.newKey();
    String id = ApiKeys.newKeyId();
    return conn.preparedQuery("insert into api_keys (id, key_hash, role, principal, name) values ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(id, Buffer.buffer(ApiKeys.hash(key)), role.wire(), principal, name))
        .map(r -> new IssuedKey(id, key));
  }

  private static Future<Long> bump(SqlConnection conn) {
    return conn.query("update catalog_version set version = version + 1 returning version").execute()
        .compose(rows -> {
          long version = rows.iterator().next().getLong(0);
          return conn.query("select pg_notify('catalog', '" + version + "')").execute().map(r -> version);
        });
  }

  private record Doc(int id, String code, String json) {}

  private static Future<java.util.List<Doc>> docs(SqlConnection conn, String table) {
    return conn.query("select id, code, doc::text from " + table).execute().map(rows -> {
      java.util.List<Doc> out = new java.util.ArrayList<>();
      rows.forEach(r -> out.add(new Doc(r.getInteger(0), r.getString(1), r.getString(2))));
      return out;
    });
  }

  private static Future<Map<String, Principal>> keys(SqlConnection conn) {
    return conn.query("select id, key_hash, role, principal from api_keys where revoked_at is null").execute()
        .map(rows -> {
          Map<String, Principal> out = new HashMap<>();
          rows.forEach(r -> out.put(HexFormat.of().formatHex(r.getBuffer(1).getBytes()),
              new Principal(Role.valueOf(r.getString(2).toUpperCase()), r.getString(3), r.getString(0))));
          return out;
        });
  }

  private static Catalog build(long version, java.util.List<Doc> sellerDocs, java.util.List<Doc> buyerDocs,
                               java.util.List<Doc> campaignDocs, Map<String, Principal> keys) {
    Map<String, Seller> sellers = new HashMap<>();
    for (Doc d : sellerDocs) {
      sellers.put(d.code(), Seller.read(d.id(), d.code(), DocReader.of(Json.parse(d.json()), "")));
    }
    Map<String, Buyer> buyers = new HashMap<>();
    Map<Integer, Buyer> buyersById = new HashMap<>();
    for (Doc d : buyerDocs) {
      Buyer buyer = Buyer.read(d.id(), d.code(), DocReader.of(Json.parse(d.json()), ""));
      buyers.put(d.code(), buyer);
      buyersById.put(d.id(), buyer);
    }
    Map<String, Campaign> campaigns = new HashMap<>();
    Map<Integer, Campaign> campaignsById = new HashMap<>();
    for (Doc d : campaignDocs) {
      Campaign campaign = Campaign.read(d.id(), d.code(), DocReader.of(Json.parse(d.json()), ""));
      campaigns.put(d.code(), campaign);
      campaignsById.put(d.id(), campaign);
    }
    return new Catalog(version, Map.copyOf(sellers), Map.copyOf(buyers), Map.copyOf(buyersById),
        Map.copyOf(campaigns), Map.copyOf(campaignsById), Map.copyOf(keys));
  }
}
