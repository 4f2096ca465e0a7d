package org.leadex.exchange.ledger;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.auction.BidResult;

/**
 * Writes pings and their bid outcomes to PostgreSQL in batches, off the ping path: a ping hands
 * its record over and answers at once; every {@code flushMillis} the batch goes out as two
 * {@code INSERT ... SELECT FROM unnest(arrays)} statements in one transaction (one round trip per
 * table, however many rows).
 *
 * <p>A failed write is retried, oldest first. At most {@code maxBacklog} pings wait in memory,
 * queued or to be retried; beyond that pings are dropped and counted, since an exchange that stops
 * answering because its database is down loses more than it saves.
 *
 * <p>Thread safe: any event loop may {@link #record}; flushes run one at a time on the recorder's
 * own context.
 */
public final class PingRecorder {
  private static final Logger LOG = Logger.getLogger(PingRecorder.class.getName());
  private static final int MAX_BATCH = 5_000;

  /**
   * One statement for a whole batch: the pings, then the bids and the daily rollup (ping_daily) of
   * the pings actually inserted. A batch retried after a commit whose acknowledgement was lost finds
   * its pings already there and inserts nothing twice, nor counts them twice, instead of failing on
   * the primary key forever. Rollup rows are updated in key order, so two instances flushing at once
   * wait for each other rather than deadlock.
   */
  private static final String INSERT_BATCH = "with inserted as ("
      + " insert into pings (id, received_at, campaign_id, seller_id, source, test, direct, status, price_cents,"
      + " seller_price_cents, answered_us, lead, offers, sub_id, phone_hash, email_hash, sale_buyers, plan_version)"
      + " select id, received_at, campaign_id, seller_id, source, test, direct, status, price_cents,"
      + " seller_price_cents, answered_us, lead::jsonb, offers::jsonb, sub_id, phone_hash, email_hash, sale_buyers,"
      + " plan_version"
      + " from unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::text[], $6::bool[], $7::bool[],"
      + " $8::int2[], $9::int[], $10::int[], $11::int[], $12::text[], $13::text[], $24::text[], $25::bytea[],"
      + " $26::bytea[], $27::int2[], $29::int[])"
      + " as t(id, received_at, campaign_id, seller_id, source, test, direct, status, price_cents,"
      + " seller_price_cents, answered_us, lead, offers, sub_id, phone_hash, email_hash, sale_buyers, plan_version)"
      + " on conflict do nothing returning id, received_at, campaign_id, seller_id, source, test, offers, sub_id),"
      + " bid_rows as (insert into bids (ping_id, received_at, buyer_id, tier, outcome, bid_cents, latency_us, detail,"
      + " modifier_percent, return_rate_bp, shared_bid_cents)"
      + " select b.* from unnest($14::uuid[], $15::timestamptz[], $16::int[], $17::int2[], $18::int2[], $19::int[],"
      + " $20::int[], $21::text[], $22::int2[], $23::int2[], $28::int[]) as b(ping_id, received_at, buyer_id, tier,"
      + " outcome, bid_cents, latency_us, detail, modifier_percent, return_rate_bp, shared_bid_cents)"
      + " where b.ping_id in (select id from inserted))"
      + " insert into ping_daily (day, campaign_id, seller_id, source, sub_id, buyer_id, pings, bids)"
      + " select (received_at at time zone 'UTC')::date, campaign_id, seller_id, source, coalesce(sub_id, ''),"
      + " coalesce((offers -> 0 ->> 0)::integer, 0), count(*), count(*) filter (where jsonb_array_length(offers) > 0)"
      + " from inserted where not test group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6"
      + " on conflict (day, campaign_id, seller_id, source, sub_id, buyer_id) do update"
      + " set pings = ping_daily.pings + excluded.pings, bids = ping_daily.bids + excluded.bids";

  private final Vertx vertx;
  private final io.vertx.core.Context context;
  private final Pool pool;
  private final int flushMillis;
  private final int maxBacklog;
  private final ConcurrentLinkedQueue<Sequenced> queue = new ConcurrentLinkedQueue<>();
  /** The pings recorded and not yet written (or dropped), for a post that comes before its ping's batch. */
  private final ConcurrentHashMap<UUID, PingRecord> unwritten = new ConcurrentHashMap<>();
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
  private final ArrayDeque<Sequenced> retry = new ArrayDeque<>();
  private final TreeMap<Long, List<Promise<Void>>> waiters = new TreeMap<>();
  private volatile long writtenThrough;
  private boolean flushing;
  private long timer = -1;
  /** While the database fails: when the failures began, when they were last logged, when to try next. */
  private long failingSince = -1;
  private long lastWarned;
  private long nextAttempt;
  private int failures;

  private record Sequenced(long seq, PingRecord ping) {}

  public PingRecorder(Vertx vertx, Pool pool, int flushMillis, int maxBacklog) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.flushMillis = flushMillis;
    this.maxBacklog = maxBacklog;
  }

  public void start() {
    context.runOnContext(v -> timer = vertx.setPeriodic(flushMillis, id -> flush()));
  }

  /** Queues a ping for the next batch; beyond {@code maxBacklog} waiting pings it is dropped and counted. */
  public void record(PingRecord ping) {
    if (queued.incrementAndGet() > maxBacklog) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    unwritten.put(ping.id(), ping);
    queue.add(new Sequenced(enqueued.incrementAndGet(), ping));
  }

  /**
   * A ping recorded here and not written yet, as its post reads it: a post usually comes within
   * milliseconds of its ping, before the ping's batch, and need neither wait for the batch nor read
   * the ping back. Empty once the ping is written (then it is in the database) or dropped.
   */
  public Optional<StoredPing> unwritten(UUID id) {
    PingRecord ping = unwritten.get(id);
    return ping == null ? Optional.empty() : Optional.of(new StoredPing(ping.id(), ping.receivedAt(),
        ping.campaignId(), ping.sellerId(), ping.source(), ping.test(), ping.leadJson(),
        OffersJson.write(ping.offers()), ping.subId(), ping.hashes(), ping.sharedBuyers()));
  }

  /** Completes once every ping recorded before this call is in the database. */
  public Future<Void> flushed() {
    long target = enqueued.get();
    if (writtenThrough >= target) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      if (writtenThrough >= target) {
        promise.complete();
      } else {
        waiters.computeIfAbsent(target, k -> new ArrayList<>()).add(promise);
        flush();
      }
    });
    return promise.future();
  }

  public long dropped() {
    return dropped.get();
  }

  public int backlog() {
    return queued.get() + retry.size();
  }

  /** Stops the timer and writes what is left (shutdown). */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      flushed().onComplete(done);
    });
    return done.future();
  }

  private void flush() {
    if (flushing || (failures > 0 && System.nanoTime() < nextAttempt)) {
      return;
    }
    List<Sequenced> batch = new ArrayList<>();
    while (batch.size() < MAX_BATCH && !retry.isEmpty()) {
      batch.add(retry.poll());
    }
    Sequenced next;
    while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
      queued.decrementAndGet();
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    flushing = true;
    write(batch).onComplete(ar -> {
      flushing = false;
      if (ar.succeeded()) {
        if (failingSince >= 0) {
          LOG.info("writing pings works again after " + (System.nanoTime() - failingSince) / 1_000_000 + " ms of failures;"
              + " writing the " + backlog() + " pings kept meanwhile");
          failingSince = -1;
          failures = 0;
        }
        markWritten(batch.get(batch.size() - 1).seq());
        batch.forEach(written -> unwritten.remove(written.ping().id()));
        if (!queue.isEmpty() || !retry.isEmpty()) {
          context.runOnContext(v -> flush());
        }
      } else {
        // Retried at most every 100 ms doubling to 1 s, and logged once, then every 10 s: a database
        // that is away for a minute must not bring 3,000 stack traces.
        long now = System.nanoTime();
        failures++;
        nextAttempt = now + Math.min(1_000L, 100L << Math.min(failures - 1, 4)) * 1_000_000L;
        if (failingSince < 0) {
          failingSince = now;
          lastWarned = now;
          LOG.log(Level.WARNING, "writing " + batch.size() + " pings failed; they are kept in memory and retried", ar.cause());
        } else if (now - lastWarned > 10_000_000_000L) {
          lastWarned = now;
          LOG.warning("writing pings still fails after " + (now - failingSince) / 1_000_000 + " ms (" + backlog()
              + " pings kept, " + dropped.get() + " dropped so far): " + ar.cause());
        }
        for (int i = batch.size() - 1; i >= 0; i--) {
          retry.addFirst(batch.get(i));
        }
        while (retry.size() > maxBacklog) {
          Sequenced lost = retry.pollFirst();
          unwritten.remove(lost.ping().id());
          dropped.incrementAndGet();
          markWritten(lost.seq());
        }
      }
    });
  }

  private void markWritten(long seq) {
    if (seq > writtenThrough) {
      writtenThrough = seq;
    }
    Iterator<Map.Entry<Long, List<Promise<Void>>>> it = waiters.headMap(writtenThrough, true).entrySet().iterator();
    while (it.hasNext()) {
      it.next().getValue().forEach(Promise::tryComplete);
      it.remove();
    }
  }

  private Future<Void> write(List<Sequenced> batch) {
    int n = batch.size();
    UUID[] ids = new UUID[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    Integer[] campaign = new Integer[n];
    Integer[] seller = new Integer[n];
    String[] source = new String[n];
    Boolean[] test = new Boolean[n];
    Boolean[] direct = new Boolean[n];
    Short[] status = new Short[n];
    Integer[] price = new Integer[n];
    Integer[] sellerPrice = new Integer[n];
    Integer[] answered = new Integer[n];
    String[] lead = new String[n];
    String[] offers = new String[n];
    String[] subIds = new String[n];
    Buffer[] phoneHashes = new Buffer[n];
    Buffer[] emailHashes = new Buffer[n];
    Short[] saleBuyers = new Short[n];
    Integer[] planVersions = new Integer[n];
    int bidRows = 0;
    for (Sequenced s : batch) {
      bidRows += s.ping().results().size();
    }
    UUID[] bPing = new UUID[bidRows];
    OffsetDateTime[] bAt = new OffsetDateTime[bidRows];
    Integer[] bBuyer = new Integer[bidRows];
    Short[] bTier = new Short[bidRows];
    Short[] bOutcome = new Short[bidRows];
    Integer[] bCents = new Integer[bidRows];
    Integer[] bLatency = new Integer[bidRows];
    String[] bDetail = new String[bidRows];
    Short[] bModifier = new Short[bidRows];
    Short[] bReturnRate = new Short[bidRows];
    Integer[] bShared = new Integer[bidRows];
    int b = 0;
    for (int i = 0; i < n; i++) {
      PingRecord p = batch.get(i).ping();
      ids[i] = p.id();
      at[i] = OffsetDateTime.ofInstant(p.receivedAt(), ZoneOffset.UTC);
      campaign[i] = p.campaignId();
      seller[i] = p.sellerId();
      source[i] = p.source();
      test[i] = p.test();
      direct[i] = p.direct();
      status[i] = (short) (p.bid() ? 1 : 0);
      price[i] = p.price() == null ? null : Math.toIntExact(p.price().cents());
      sellerPrice[i] = p.sellerPrice() == null ? null : Math.toIntExact(p.sellerPrice().cents());
      answered[i] = (int) Math.min(Integer.MAX_VALUE, p.answeredMicros());
      lead[i] = p.leadJson();
      offers[i] = OffersJson.write(p.offers());
      subIds[i] = p.subId();
      phoneHashes[i] = p.hashes().phone().map(Buffer::buffer).orElse(null);
      emailHashes[i] = p.hashes().email().map(Buffer::buffer).orElse(null);
      saleBuyers[i] = p.sharedBuyers() == 0 ? null : (short) p.sharedBuyers();
      planVersions[i] = (int) p.planVersion();
      for (BidResult r : p.results()) {
        bPing[b] = p.id();
        bAt[b] = at[i];
        bBuyer[b] = r.buyer().id();
        bTier[b] = (short) r.tier();
        bOutcome[b] = r.outcome().code;
        bCents[b] = r.bid() == null ? null : Math.toIntExact(r.bid().cents());
        bLatency[b] = r.latencyMicros() == 0 ? null : (int) Math.min(Integer.MAX_VALUE, r.latencyMicros());
        bDetail[b] = r.detail();
        bModifier[b] = r.bid() == null || r.buyer().bidModifierPercent() == 0 ? null : (short) r.buyer().bidModifierPercent();
        bReturnRate[b] = r.returnRateBasisPoints() == null ? null : r.returnRateBasisPoints().shortValue();
        bShared[b] = r.sharedBid() == null ? null : Math.toIntExact(r.sharedBid().cents());
        b++;
      }
    }
    Tuple batchRows = Tuple.tuple().addValue(ids).addValue(at).addValue(campaign).addValue(seller).addValue(source)
        .addValue(test).addValue(direct).addValue(status).addValue(price).addValue(sellerPrice).addValue(answered)
        .addValue(lead).addValue(offers)
        .addValue(bPing).addValue(bAt).addValue(bBuyer).addValue(bTier).addValue(bOutcome)
        .addValue(bCents).addValue(bLatency).addValue(bDetail).addValue(bModifier).addValue(bReturnRate)
        .addValue(subIds).addValue(phoneHashes).addValue(emailHashes).addValue(saleBuyers).addValue(bShared).addValue(planVersions);
    return pool.preparedQuery(INSERT_BATCH).execute(batchRows).mapEmpty();
  }
}
