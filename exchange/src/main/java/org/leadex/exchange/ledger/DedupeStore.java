package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.leadex.exchange.leads.Contacts;
import org.leadex.exchange.postgres.Transactions;

/**
 * A campaign's dedupe window over phones and e-mails. A lead about to be delivered claims its
 * contacts: if a lead of the same campaign with the same phone or e-mail was sold, or is being
 * delivered, within {@code dedupe_days}, the claim fails and the lead is a duplicate. Check and claim
 * run under a transaction-level advisory lock per contact, so two posts of one person at once
 * cannot both pass. An unsold lead gives its claim back. Thread safe.
 */
public final class DedupeStore {
  private final Pool pool;

  public DedupeStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * True when the lead may be delivered (and its contacts are now claimed); false: a duplicate.
   * {@code first} runs first in the claim's transaction: the lead's lease check, so that an instance
   * that lost the lead claims nothing for it (its claim would outlive the lead's unsold answer).
   */
  public Future<Boolean> claim(int campaignId, int days, UUID leadId, Contacts contacts,
                               Function<SqlConnection, Future<Void>> first) {
    if (days <= 0 || contacts.isEmpty()) {
      return Future.succeededFuture(true);
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    OffsetDateTime since = now.minusDays(days);
    Buffer phone = contacts.phone().map(Buffer::buffer).orElse(null);
    Buffer email = contacts.email().map(Buffer::buffer).orElse(null);
    // Pipelined with its BEGIN: the lease check, the contacts' locks, the lead's own earlier claim
    // removed, then the look and the claim in one statement, which runs after the locks are held.
    return Transactions.run(pool, conn -> {
      Future<Void> leased = first.apply(conn);
      Future<Void> locked = lock(conn, campaignId, contacts);
      // a lead resumed after its instance died may find its own claim: it is not its own duplicate
      Future<RowSet<Row>> own = conn.preparedQuery("delete from lead_contacts where lead_id = $1")
          .execute(Tuple.of(leadId));
      Future<RowSet<Row>> claimed = conn.preparedQuery(CLAIM)
          .execute(Tuple.of(campaignId, since, phone, email, leadId, now));
      return Future.join(leased, locked, own, claimed).map(all -> claimed.result().iterator().next().getBoolean(0));
    });
  }

  /**
   * The contacts of the lead $5 claimed for campaign $1 at $6 (phone $3, e-mail $4, either null)
   * unless the campaign has one of them since $2; answers whether it claimed them.
   */
  private static final String CLAIM = "with seen as (select 1 from lead_contacts where campaign_id = $1 and at > $2"
      + " and ((kind = 'p' and hash = $3) or (kind = 'e' and hash = $4)) limit 1),"
      + " claimed as (insert into lead_contacts (campaign_id, kind, hash, lead_id, at)"
      + " select $1, c.kind, c.hash, $5, $6 from (values ('p', $3::bytea), ('e', $4::bytea)) c (kind, hash)"
      + " where c.hash is not null and not exists (select 1 from seen))"
      + " select not exists (select 1 from seen)";

  /**
   * Whether the campaign sold (or is delivering) a lead with one of these contacts within its window:
   * the ping-time check of a ping that carried hashes. Only a look: the post's {@link #claim} decides.
   */
  public Future<Boolean> seen(int campaignId, int days, Contacts contacts) {
    if (days <= 0 || contacts.isEmpty()) {
      return Future.succeededFuture(false);
    }
    OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minusDays(days);
    Buffer phone = contacts.phone().map(Buffer::buffer).orElse(null);
    Buffer email = contacts.email().map(Buffer::buffer).orElse(null);
    return pool.preparedQuery("select 1 from lead_contacts where campaign_id = $1 and at > $2"
            + " and ((kind = 'p' and hash = $3) or (kind = 'e' and hash = $4)) limit 1")
        .execute(Tuple.of(campaignId, since, phone, email))
        .map(rows -> rows.size() > 0);
  }

  /** In the caller's transaction (the lead's unsold answer): gives the lead's claim back. */
  public Future<Void> release(SqlConnection conn, UUID leadId) {
    return conn.preparedQuery("delete from lead_contacts where lead_id = $1").execute(Tuple.of(leadId)).mapEmpty();
  }

  private static Future<Void> lock(SqlConnection conn, int campaignId, Contacts contacts) {
    List<Future<RowSet<Row>>> locks = new ArrayList<>(2);
    // always phone before e-mail (sent in that order, run in that order), so two claims never wait
    // for each other in opposite orders
    for (byte[] hash : new byte[][] {contacts.phone().orElse(null), contacts.email().orElse(null)}) {
      if (hash != null) {
        String key = campaignId + ":" + HexFormat.of().formatHex(hash);
        locks.add(conn.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 0))").execute(Tuple.of(key)));
      }
    }
    return Future.join(locks).mapEmpty();
  }
}
