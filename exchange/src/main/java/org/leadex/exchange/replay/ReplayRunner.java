package org.leadex.exchange.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import org.leadex.exchange.postgres.Database;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * Runs a replay: reads the campaign's recorded pings of the period from PostgreSQL in batches (by
 * ping id, so memory stays at two batches), each with its bids, its post and its sales, and decides
 * them again on a worker thread; nothing is written. A replay runs on a Vert.x of its own (one event
 * loop, one worker, one database connection), started for it and closed after: decoding a million
 * pings' rows is real work, and on the exchange's own event loops it would sit in front of live
 * pings. One replay at a time per instance.
 */
public final class ReplayRunner {
  /**
   * Pings per batch: about 10 bids each, so ~50,000 rows, two batches in memory. (1,000 made the
   * replay 2.5 times slower, read-bound, without helping live pings: docs/performance.md.)
   */
  static final int BATCH = 5_000;

  /** Above this event-loop lag live pings are feeling the load: the replay waits before its next batch. */
  static final long YIELD_LAG_MILLIS = 5;
  private static final long YIELD_PAUSE_MILLIS = 10;
  private static final int YIELD_MAX_PAUSES = 20;
  /**
   * While live pings are flowing, a replay works one part of the time and rests eight (after a batch
   * that took t, it rests 8t): about a ninth of a core, so that live pings keep theirs (with 2t live
   * p99 rose by ~10 ms on this 2-core machine, with 4t by 3–4 ms; docs/performance.md). Alone, it
   * runs flat out.
   */
  static final int REST_PER_WORK = 8;

  private final PgConnectOptions database;
  private final LongSupplier liveLagMillis;
  private final IntSupplier livePings;
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param liveLagMillis the exchange's event-loop lag now: a replay gives way to live traffic when it grows
   * @param livePings     pings being decided now: while there are any, a replay paces itself
   */
  public ReplayRunner(PgConnectOptions database, LongSupplier liveLagMillis, IntSupplier livePings) {
    this.database = database;
    this.liveLagMillis = liveLagMillis;
    this.livePings = livePings;
  }

  public Future<ObjectNode> run(Catalog catalog, ReplayRequest request) {
    return run(catalog, request, Promise.promise());
  }

  /**
   * @param checked completed (on the caller's context) once the changes are known to make a valid plan
   *                and the pings are being read; failed when they do not. An answer may start then.
   */
  public Future<ObjectNode> run(Catalog catalog, ReplayRequest request, Promise<Void> checked) {
    Campaign campaign = catalog.campaign(request.campaign())
        .orElseThrow(() -> ApiError.notFound("no campaign '" + request.campaign() + "'"));
    for (String buyer : request.changes().buyers()) {
      if (catalog.buyer(buyer).isEmpty()) {
        throw ApiError.validation("changes.buyers." + buyer, "no buyer '" + buyer + "'");
      }
    }
    if (!running.compareAndSet(false, true)) {
      throw ApiError.conflict("a replay is already running on this instance; try again when it is done");
    }
    long started = System.nanoTime();
    Map<Integer, String> buyerCodes = new HashMap<>();
    catalog.buyersById().forEach((id, b) -> buyerCodes.put(id, b.code()));
    Map<Integer, String> sellerCodes = new HashMap<>();
    catalog.sellers().values().forEach(s -> sellerCodes.put(s.id(), s.code()));
    Map<Integer, String> campaignCodes = new HashMap<>();
    catalog.campaignsById().forEach((id, c) -> campaignCodes.put(id, c.code()));
    PlanVersions plans = new PlanVersions(new PlanVersions.Codes(campaignCodes, buyerCodes, sellerCodes),
        request.changes());
    Context caller = Vertx.currentContext();
    Promise<ObjectNode> answer = Promise.promise();
    Vertx own = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    Pool pool = Database.pool(own, database, 1);
    Run run = new Run(own, pool, request, campaign.id(), plans, buyerCodes);
    own.runOnContext(v -> history(pool, campaign.id(), plans)
        // the changes must make a valid plan: tried on the plan in force now, before any ping is read
        .compose(x -> {
          plans.changed(campaign.id(), catalog.version());
          onCaller(caller, () -> checked.tryComplete());
          return batches(run);
        })
        .map(x -> run.answer(started))
        .onComplete(ar -> {
          running.set(false);
          pool.close().onComplete(closed -> own.close());
          onCaller(caller, () -> {
            if (ar.failed()) {
              checked.tryFail(ar.cause());
            }
            answer.handle(ar);
          });
        }));
    return answer.future();
  }

  private static void onCaller(Context caller, Runnable step) {
    if (caller == null) {
      step.run();
    } else {
      caller.runOnContext(x -> step.run());
    }
  }

  /** The state of one replay, touched by one batch at a time. */
  private static final class Run {
    final Vertx vertx;
    final Pool pool;
    final ReplayRequest request;
    final int campaignId;
    final Map<Integer, String> buyerCodes;
    final PingReplayer replayer;
    final ReplayFigures actual = new ReplayFigures();
    final ReplayFigures replayed = new ReplayFigures();
    final ArrayNode leads = Json.array();
    long changedLeads;
    /** Where the time went: reading from PostgreSQL, deciding on the worker (nanoseconds). */
    long readNanos;
    long decideNanos;
    long restNanos;

    Run(Vertx vertx, Pool pool, ReplayRequest request, int campaignId, PlanVersions plans,
        Map<Integer, String> buyerCodes) {
      this.vertx = vertx;
      this.pool = pool;
      this.request = request;
      this.campaignId = campaignId;
      this.buyerCodes = buyerCodes;
      this.replayer = new PingReplayer(plans, request.changes(), campaignId);
    }

    void decide(List<RecordedPing> batch) {
      for (RecordedPing ping : batch) {
        List<PingReplayer.Sold> was = PingReplayer.actual(ping);
        List<PingReplayer.Sold> now = replayer.replay(ping);
        actual.add(ping, was, buyerCodes);
        replayed.add(ping, now, buyerCodes);
        boolean changed = !was.equals(now);
        changedLeads += changed ? 1 : 0;
        if (request.listLeads() && ping.post() != null && leads.size() < ReplayRequest.MAX_LEADS_LISTED) {
          ObjectNode lead = leads.addObject();
          lead.put("ping_id", ping.id().toString());
          lead.put("changed", changed);
          lead.set("actual", sales(was));
          lead.set("replayed", sales(now));
        }
      }
    }

    private ArrayNode sales(List<PingReplayer.Sold> sales) {
      ArrayNode out = Json.array();
      for (PingReplayer.Sold s : sales) {
        out.addObject().put("buyer", buyerCodes.getOrDefault(s.buyerId(), "#" + s.buyerId()))
            .put("price", Money.ofCents(s.priceCents()).toDecimal())
            .put("payout", Money.ofCents(s.payoutCents()).toDecimal());
      }
      return out;
    }

    ObjectNode answer(long startedNanos) {
      ObjectNode out = Json.object();
      out.put("campaign", request.campaign());
      out.put("from", request.period().from().toString());
      out.put("to", request.period().to().toString());
      out.set("changes", request.changes().json());
      out.set("actual", actual.json());
      out.set("replayed", replayed.json());
      out.put("changed_leads", changedLeads);
      ArrayNode assumptions = out.putArray("assumptions");
      assumptions.add("Buyers that were not asked for a bid at the time (not in the campaign's tiers, or skipped)"
          + " have no bid in the replay.");
      assumptions.add("Each buyer answers the post as it answered then; a buyer that was never offered the lead is"
          + " assumed to accept it (" + replayer.assumedAccepts + " such offers in this replay).");
      assumptions.add("Only pings that were posted can be sold; a lead closed for a reason of its own (duplicate,"
          + " error, consent) stays unsold.");
      assumptions.add("Buyers skipped at the time (paused, closed, over a cap, short of funds) stay skipped; changed"
          + " caps count the replay's own sales from the start of the period.");
      assumptions.add("Round-robin turns and weighted draws are reused from the record where the change leaves a"
          + " tier's buyers unchanged; return rates are those recorded (0 where the campaign did not rank by"
          + " expected net then).");
      assumptions.add("gross, payout and margin are at sale time, before returns.");
      if (request.listLeads()) {
        out.set("leads", leads);
      }
      out.put("elapsed_ms", (System.nanoTime() - startedNanos) / 1_000_000);
      out.put("read_ms", readNanos / 1_000_000);
      out.put("decide_ms", decideNanos / 1_000_000);
      out.put("rested_ms", restNanos / 1_000_000);
      return out;
    }
  }

  private static Future<Void> history(Pool pool, int campaignId, PlanVersions plans) {
    return pool.preparedQuery("select kind, id, version, doc::text from catalog_history"
            + " where kind <> 'campaign' or id = $1")
        .execute(Tuple.of(campaignId))
        .map(rows -> {
          for (Row r : rows) {
            plans.add(r.getString(0), r.getInteger(1), r.getLong(2), Json.parse(r.getString(3)));
          }
          return null;
        });
  }

  /**
   * Reads the batches one after another and decides each on a worker while the next is read: one
   * batch in hand, one on the way, so reading and deciding overlap. A loop of callbacks, not a chain
   * of composed futures: a chain would keep every batch it ever read until the last one completes.
   */
  private Future<Void> batches(Run run) {
    Promise<Void> done = Promise.promise();
    read(run, null).onComplete(first -> step(run, first, done));
    return done.future();
  }

  private void step(Run run, AsyncResult<Batch> read, Promise<Void> done) {
    if (read.failed()) {
      done.fail(read.cause());
      return;
    }
    Batch batch = read.result();
    if (batch.pings().isEmpty()) {
      done.complete();
      return;
    }
    long began = System.nanoTime();
    Future<Batch> next = batch.full() ? yieldToLive(run.vertx, 0).compose(v -> read(run, batch.lastId()))
        : Future.succeededFuture(Batch.EMPTY);
    Future<Void> decided = run.vertx.executeBlocking(() -> {
      long t0 = System.nanoTime();
      run.decide(batch.pings());
      run.decideNanos += System.nanoTime() - t0;
      return null;
    }, true);
    Future.all(decided, next).onComplete(both -> {
      if (both.failed()) {
        done.fail(both.cause());
        return;
      }
      long restMillis = livePings.getAsInt() > 0 ? REST_PER_WORK * (System.nanoTime() - began) / 1_000_000 : 0;
      if (restMillis < 1) {
        step(run, next, done);
      } else {
        run.restNanos += restMillis * 1_000_000;
        run.vertx.setTimer(restMillis, id -> step(run, next, done));
      }
    });
  }

  /**
   * Live pings come first: while the event loops lag, the next batch waits (10 ms at a time, at most
   * 200 ms a batch, so that a busy exchange still finishes its replay).
   */
  private Future<Void> yieldToLive(Vertx vertx, int pauses) {
    if (pauses >= YIELD_MAX_PAUSES || liveLagMillis.getAsLong() <= YIELD_LAG_MILLIS) {
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(YIELD_PAUSE_MILLIS, id -> yieldToLive(vertx, pauses + 1).onComplete(later));
    return later.future();
  }

  /** One batch of recorded pings; {@code full}: there may be more after {@code lastId}. */
  private record Batch(List<RecordedPing> pings, boolean full, UUID lastId) {
    static final Batch EMPTY = new Batch(List.of(), false, null);
  }

  private Future<Batch> read(Run run, UUID afterId) {
    long t0 = System.nanoTime();
    OffsetDateTime start = run.request.period().start();
    OffsetDateTime end = run.request.period().end();
    return run.pool.preparedQuery("select id, received_at, seller_id, coalesce(plan_version, 0), lead::text, offers::text,"
            + " coalesce(sale_buyers, 0) from pings where campaign_id = $1 and not test and received_at >= $2"
            + " and received_at < $3 and ($4::uuid is null or id > $4) order by id limit $5")
        .execute(Tuple.of(run.campaignId, start, end, afterId, BATCH))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Batch.EMPTY);
          }
          List<Row> pings = new ArrayList<>(rows.size());
          rows.forEach(pings::add);
          return details(run.pool, pings).map(recorded -> {
            run.readNanos += System.nanoTime() - t0;
            return new Batch(recorded, pings.size() == BATCH, pings.get(pings.size() - 1).getUUID(0));
          });
        });
  }

  /** The batch's bids, leads, post answers and sales, joined to its pings in memory. */
  private static Future<List<RecordedPing>> details(Pool pool, List<Row> pings) {
    UUID first = pings.get(0).getUUID(0);
    UUID last = pings.get(pings.size() - 1).getUUID(0);
    OffsetDateTime earliest = pings.get(0).getOffsetDateTime(1);
    OffsetDateTime latest = earliest;
    UUID[] ids = new UUID[pings.size()];
    Set<UUID> wanted = new HashSet<>();
    for (int i = 0; i < pings.size(); i++) {
      ids[i] = pings.get(i).getUUID(0);
      wanted.add(ids[i]);
      OffsetDateTime at = pings.get(i).getOffsetDateTime(1);
      earliest = at.isBefore(earliest) ? at : earliest;
      latest = at.isAfter(latest) ? at : latest;
    }
    Map<UUID, List<RecordedPing.Bid>> bids = new HashMap<>();
    Map<UUID, Row> leadOf = new HashMap<>();
    Map<UUID, Map<Integer, Boolean>> answers = new HashMap<>();
    Map<UUID, List<RecordedPing.Sale>> sales = new HashMap<>();
    // Ping ids are time-ordered, so the batch's bids lie in one id range the BRIN index finds
    // cheaply; bids of other campaigns' pings in that range are read and dropped.
    Future<Void> bidRows = pool.preparedQuery("select ping_id, buyer_id, tier, outcome, bid_cents, detail, return_rate_bp,"
            + " shared_bid_cents from bids where received_at >= $1 and received_at <= $2 and ping_id >= $3 and ping_id <= $4")
        .execute(Tuple.of(earliest, latest, first, last))
        .map(rows -> {
          for (Row r : rows) {
            UUID ping = r.getUUID(0);
            if (wanted.contains(ping)) {
              bids.computeIfAbsent(ping, k -> new ArrayList<>()).add(new RecordedPing.Bid(r.getInteger(1), r.getShort(2),
                  r.getShort(3), r.getInteger(4), r.getString(5), r.getShort(6) == null ? null : r.getShort(6).intValue(),
                  r.getInteger(7)));
            }
          }
          return null;
        });
    Future<Void> posts = pool.preparedQuery("select ping_id, id, status, reason from leads where ping_id = any($1)")
        .execute(Tuple.of(ids))
        .compose(rows -> {
          List<UUID> leadIds = new ArrayList<>();
          for (Row r : rows) {
            leadOf.put(r.getUUID(0), r);
            leadIds.add(r.getUUID(1));
          }
          if (leadIds.isEmpty()) {
            return Future.succeededFuture();
          }
          UUID[] leadArray = leadIds.toArray(UUID[]::new);
          Future<Void> tried = pool.preparedQuery("select lead_id, buyer_id, bool_or(accepted) from post_attempts"
                  + " where lead_id = any($1) group by 1, 2")
              .execute(Tuple.of(leadArray))
              .map(list -> {
                list.forEach(r -> answers.computeIfAbsent(r.getUUID(0), k -> new HashMap<>()).put(r.getInteger(1),
                    r.getBoolean(2)));
                return null;
              });
          Future<Void> bought = pool.preparedQuery("select lead_id, buyer_id, price_cents, seller_payout_cents from sales"
                  + " where lead_id = any($1) order by id")
              .execute(Tuple.of(leadArray))
              .map(list -> {
                list.forEach(r -> sales.computeIfAbsent(r.getUUID(0), k -> new ArrayList<>()).add(
                    new RecordedPing.Sale(r.getInteger(1), r.getInteger(2), r.getInteger(3))));
                return null;
              });
          return Future.all(tried, bought).mapEmpty();
        });
    return Future.all(bidRows, posts).map(v -> {
      List<RecordedPing> out = new ArrayList<>(pings.size());
      for (Row p : pings) {
        UUID id = p.getUUID(0);
        Row lead = leadOf.get(id);
        RecordedPing.Post post = lead == null ? null : new RecordedPing.Post(lead.getString(2), lead.getString(3),
            answers.getOrDefault(lead.getUUID(1), Map.of()), sales.getOrDefault(lead.getUUID(1), List.of()));
        List<RecordedPing.Offer> offers = new ArrayList<>();
        for (var o : Json.parse(p.getString(5))) {
          offers.add(new RecordedPing.Offer(o.get(0).intValue(), o.get(1).intValue(), o.get(2).longValue()));
        }
        out.add(new RecordedPing(id, p.getOffsetDateTime(1).toInstant(), p.getInteger(2), p.getInteger(3),
            (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(p.getString(4)),
            bids.getOrDefault(id, List.of()), offers, p.getInteger(6), post));
      }
      return out;
    });
  }
}
