package org.leadex.exchange.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.json.Json;

/** Who changed what in the catalog, and when: written with the change, read by admins. Thread safe. */
public final class AuditLog {
  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /** Appends an entry through {@code client} (a transaction's connection, so it commits with the change). */
  public static Future<Void> record(SqlClient client, Principal who, String action, String target, ObjectNode changes) {
    return client.preparedQuery("insert into audit_log (at, actor_role, actor, key_id, action, target, changes)"
            + " values ($1, $2, $3, $4, $5, $6, $7::text::jsonb)")
        .execute(Tuple.tuple().addValue(OffsetDateTime.now(ZoneOffset.UTC)).addValue(who.role().wire())
            .addValue(who.id()).addValue(who.keyId()).addValue(action).addValue(target).addValue(Json.text(changes)))
        .mapEmpty();
  }

  /** Appends an entry on its own (for changes made elsewhere, e.g. by the admin API). */
  public Future<Void> record(Principal who, String action, String target, ObjectNode changes) {
    return record(pool, who, action, target, changes);
  }

  /** The newest entries first, at most {@code limit}, optionally of one target. */
  public Future<ObjectNode> list(String target, int limit) {
    String sql = "select id, at, actor_role, actor, key_id, action, target, changes::text from audit_log"
        + (target == null ? "" : " where target = $2") + " order by id desc limit $1";
    Tuple params = target == null ? Tuple.of(limit) : Tuple.of(limit, target);
    return pool.preparedQuery(sql).execute(params).map(rows -> {
      ObjectNode out = Json.object();
      ArrayNode entries = out.putArray("entries");
      for (Row r : rows) {
        ObjectNode e = entries.addObject();
        e.put("id", r.getLong(0));
        e.put("at", r.getOffsetDateTime(1).toInstant().toString());
        e.put("actor_role", r.getString(2));
        e.put("actor", r.getString(3));
        e.put("key_id", r.getString(4));
        e.put("action", r.getString(5));
        e.put("target", r.getString(6));
        e.set("changes", Json.parse(r.getString(7)));
      }
      return out;
    });
  }
}
