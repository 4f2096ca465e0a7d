package org.leadex.exchange.compliance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.leads.Contacts;

/**
 * Erases the PII of leads older than their campaign's {@code pii_retention_days}: {@code leads.pii}
 * becomes null and the hashes of the lead's phone and e-mail are kept on the lead (the PII is
 * hashed here, once, on a worker thread); the CRM copies of those leads in the delivery outbox lose
 * their bodies (a copy still pending after the retention period is given up). Nothing the trace,
 * returns or reports read is PII, so they work as before. Buyer and campaign dedupe already keep
 * hashes only.
 *
 * <p>Runs every hour on each instance, through the pool (never blocking an event loop), 500 leads
 * per statement; instances sweeping at once do the same idempotent updates. A lead still being
 * delivered is left for the next sweep.
 */
public final class PiiRetention {
  private static final Logger LOG = Logger.getLogger(PiiRetention.class.getName());
  private static final int BATCH = 500;
  private static final long EVERY_MILLIS = 3_600_000;

  private final Vertx vertx;
  private final Pool pool;
  private final Supplier<Catalog> catalog;
  private final Clock clock;
  private long timer = -1;
  private boolean sweeping;

  public PiiRetention(Vertx vertx, Pool pool, Supplier<Catalog> catalog, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.catalog = catalog;
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(60_000, EVERY_MILLIS, id -> {
      if (!sweeping) {
        sweeping = true;
        sweep().onComplete(ar -> {
          sweeping = false;
          if (ar.failed()) {
            LOG.log(Level.WARNING, "PII retention sweep failed; next in an hour", ar.cause());
          }
        });
      }
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Sweeps every campaign now; completes with the number of leads whose PII was erased. */
  public Future<Integer> sweep() {
    Future<Integer> total = Future.succeededFuture(0);
    for (Campaign campaign : catalog.get().campaigns().values()) {
      OffsetDateTime before = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)
          .minusDays(campaign.piiRetentionDays());
      total = total.compose(n -> sweepCampaign(campaign.id(), before, 0).map(m -> n + m));
    }
    return total.onSuccess(n -> {
      if (n > 0) {
        LOG.info("PII retention: erased the PII of " + n + " leads");
      }
    });
  }

  private Future<Integer> sweepCampaign(int campaignId, OffsetDateTime before, int done) {
    return pool.preparedQuery("select id, pii::text from leads where campaign_id = $1 and created_at < $2"
            + " and pii is not null and status <> 'delivering' limit " + BATCH)
        .execute(Tuple.of(campaignId, before))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(done);
          }
          List<UUID> ids = new ArrayList<>();
          List<String> pii = new ArrayList<>();
          for (Row r : rows) {
            ids.add(r.getUUID(0));
            pii.add(r.getString(1));
          }
          int count = rows.size();
          return vertx.executeBlocking(() -> hashes(pii), false)
              .compose(hashed -> erase(ids, hashed))
              .compose(v -> count < BATCH ? Future.succeededFuture(done + count)
                  : sweepCampaign(campaignId, before, done + count));
        });
  }

  private static List<Contacts> hashes(List<String> pii) {
    List<Contacts> out = new ArrayList<>(pii.size());
    for (String json : pii) {
      out.add(Contacts.of(Json.parse(json)));
    }
    return out;
  }

  private Future<Void> erase(List<UUID> ids, List<Contacts> hashed) {
    UUID[] leadIds = ids.toArray(new UUID[0]);
    Buffer[] phones = new Buffer[ids.size()];
    Buffer[] emails = new Buffer[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      phones[i] = hashed.get(i).phone().map(Buffer::buffer).orElse(null);
      emails[i] = hashed.get(i).email().map(Buffer::buffer).orElse(null);
    }
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return pool.withTransaction(conn -> conn
        .preparedQuery("update leads l set pii = null, pii_erased_at = $4, phone_hash = h.phone, email_hash = h.email"
            + " from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as h(id, phone, email)"
            + " where l.id = h.id and l.pii is not null")
        .execute(Tuple.of(leadIds, phones, emails, now))
        .compose(v -> conn.preparedQuery("update deliveries set body = '',"
                + " status = case when status = 'pending' then 'dead' else status end,"
                + " last_error = case when status = 'pending' then 'PII erased after the retention period' else last_error end"
                + " where lead_id = any($1) and kind = 'crm' and body <> ''")
            .execute(Tuple.of((Object) leadIds)))
        .mapEmpty());
  }
}
