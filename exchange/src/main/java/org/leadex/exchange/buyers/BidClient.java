package org.leadex.exchange.buyers;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.leadex.exchange.adapters.Adapter;
import org.leadex.exchange.adapters.AdapterRequest;
import org.leadex.exchange.adapters.AdapterResponse;
import org.leadex.exchange.adapters.BuyerAdapters;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.auction.BidRequest;
import org.leadex.exchange.auction.BidResult;
import org.leadex.exchange.auction.Deadline;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.metrics.ExchangeMetrics;
import org.leadex.exchange.metrics.LoopLag;

/**
 * Asks one buyer for a bid under a hard deadline. The returned future always succeeds, by the
 * deadline at the latest, with a {@link BidResult} whatever the buyer does: answer, refuse, hang,
 * trickle, send garbage or megabytes.
 *
 * <p>Event-loop confined per call: call it on the ping's event loop; the timer and the response
 * callbacks run there too.
 *
 * <p>At the deadline the call completes as {@code timeout}, but the HTTP request is not reset:
 * the late answer is read and dropped on its keep-alive connection, and only a request still open
 * {@code silentCloseMillis} after its deadline is reset, and no more of them per buyer per second
 * than its reset budget allows. Resetting every late request makes the exchange reconnect for each
 * ping of a slow buyer, which is how a fan-out server collapses under load.
 */
public final class BidClient {
  /**
   * A deadline timer this late (or a tenth of its budget, if more), or an event loop running this
   * late when the timer fires, shows a starved exchange: the answer may be waiting unread.
   */
  static final long LATE_MILLIS = 10;
  /**
   * When at least this many buyers were called for a ping and at least {@link #SHARED_TIMEOUT_SHARE}
   * of them timed out, the fault is taken to be shared (ours, the machine's, the network's).
   */
  static final int SHARED_TIMEOUT_BUYERS = 3;
  /**
   * 70 %: a stall of the machine makes most of a ping's buyers late together, and counting it opened
   * the circuits of whichever buyers happened to be slowest in a step run (3 of 10, for 30 s each);
   * a buyer storm in which half the buyers hang stays below it, so theirs open.
   */
  static final double SHARED_TIMEOUT_SHARE = 0.7;
  private final Vertx vertx;
  private final BuyerEndpoints endpoints;
  private final ExchangeMetrics metrics;
  private final LoopLag loopLag;

  public BidClient(Vertx vertx, BuyerEndpoints endpoints, ExchangeMetrics metrics, LoopLag loopLag) {
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.metrics = metrics;
    this.loopLag = loopLag;
  }

  /**
   * The bid calls of one ping. Their verdicts go to the buyers' circuit breakers together, once every
   * call has ended ({@link #settle}), because one call alone cannot tell whose fault a timeout is:
   * when most buyers of a ping (70 % of three or more) timed out, the likelier cause is this exchange (a
   * saturated machine, a stalled loop, its network), and counting it would open every buyer's
   * circuit at once and turn a slow second into thirty seconds of "no bid" — the collapse seen under
   * overload. A buyer that hangs while most others answer is counted as before. Confined to the ping's
   * event loop.
   */
  public static final class Round {
    private final java.util.List<Call> calls = new java.util.ArrayList<>(8);
    /**
     * The calls that end at the ping's own deadline (not earlier, by a buyer's shorter timeout_ms):
     * most of them, so they share one timer. A timer per call, plus a per-request idle timer, was 20
     * timers a ping, and Netty's timer queue showed among the top frames of a profile at 600/s.
     */
    private final java.util.List<Call> atDeadline = new java.util.ArrayList<>(8);
    private long deadlineTimer = -1;
    private long deadlineStart;
    private long deadlineBudget;
    private int open;

    /** Gives each finished call's verdict to its buyer's circuit breaker. Call once, after every call ended. */
    public void settle() {
      long timedOut = calls.stream().filter(c -> c.outcome == BidOutcome.TIMEOUT).count();
      boolean shared = calls.size() >= SHARED_TIMEOUT_BUYERS && timedOut >= SHARED_TIMEOUT_SHARE * calls.size();
      for (Call call : calls) {
        CircuitBreaker circuit = call.endpoint.circuit();
        if (call.exchangeWasLate || (shared && call.outcome == BidOutcome.TIMEOUT)) {
          circuit.releasePermission();
        } else if (call.outcome.failure()) {
          circuit.onError(call.latencyMicros, TimeUnit.MICROSECONDS, new TimeoutException(call.outcome.wire));
        } else {
          circuit.onSuccess(call.latencyMicros, TimeUnit.MICROSECONDS);
        }
      }
      calls.clear();
      atDeadline.clear();
    }
  }

  /** A new round for one ping's calls. */
  public Round round() {
    return new Round();
  }

  /**
   * @param round   the ping's round: its {@link Round#settle} must follow once every call of it has ended
   * @param request the ping's bid request: the protocol's JSON, to which {@code ,"tmax_ms":N}} is added
   *                per buyer (each buyer is told its own budget), or, for a buyer with a bid adapter,
   *                the context its templates render
   */
  public Future<BidResult> call(Round round, Buyer buyer, int tier, BidRequest request, Deadline deadline) {
    long start = System.nanoTime();
    BuyerEndpoint endpoint = endpoints.of(buyer);
    CircuitBreaker circuit = endpoint.circuit();
    if (!circuit.tryAcquirePermission()) {
      return done(new BidResult(buyer, tier, BidOutcome.CIRCUIT_OPEN, null, null, 0, "circuit_open"));
    }
    long remaining = deadline.buyerBudgetMillis(start, Integer.MAX_VALUE);
    long budget = Math.min(buyer.timeoutMs(), remaining);
    if (budget < 1) {
      circuit.releasePermission();
      return done(new BidResult(buyer, tier, BidOutcome.TIMEOUT, null, null, 0, "no time left"));
    }
    StallWatch stalls = endpoint.stalls();
    if (stalls.stalled(start) && loopLag.currentMillis() <= LATE_MILLIS) {
      // Not sent, and not held against its circuit: its calls out will time out and count. (When this
      // exchange's own loop is late, the answers may be waiting unread, so the buyer is not judged.)
      circuit.releasePermission();
      return done(new BidResult(buyer, tier, BidOutcome.ERROR, null, null, 0, "silent buyer: no answer for "
          + stalls.silentMillis(start) + " ms with " + stalls.callsOut() + " calls out"));
    }
    BuyerAdapters adapters = buyer.adapters();
    Adapter adapter = adapters.bid().orElse(null);
    RequestOptions options;
    Buffer body;
    if (adapter == null) {
      body = request.prefix().copy().appendString(",\"tmax_ms\":" + budget + "}");
      options = endpoint.bidRequest();
    } else {
      try {
        AdapterRequest rendered = adapter.render(request.adapterContext(budget, adapters.secrets()));
        body = rendered.body() == null ? null : Buffer.buffer(rendered.body());
        options = new RequestOptions().setMethod(rendered.method()).setAbsoluteURI(rendered.url());
        rendered.headers().forEach(options::putHeader);
      } catch (RuntimeException e) { // a template that fails on this lead, or a URL that does not parse once filled in
        circuit.releasePermission();
        return done(new BidResult(buyer, tier, BidOutcome.ERROR, null, null, 0,
            adapters.secrets().mask("adapter: " + reason(e))));
      }
    }
    // No idle timeout per request: every call ends by its deadline timer, and a late answer is cut off
    // after silentCloseMillis by the grace timer (one more timer, and only for calls that timed out).
    if (!endpoint.bulkhead().tryAcquirePermission()) {
      circuit.releasePermission();
      return done(new BidResult(buyer, tier, BidOutcome.ERROR, null, null, 0,
          "bulkhead: " + endpoints.settings().poolSize() + " calls already in flight"));
    }
    LoopClients.Lane lane = endpoint.bidLane();
    if (lane.needsConnection() && !endpoint.takeConnect()) {
      // the exchange's own bound on reconnects, not the buyer's failure: not held against its circuit
      endpoint.bulkhead().onComplete();
      circuit.releasePermission();
      return done(new BidResult(buyer, tier, BidOutcome.ERROR, null, null, 0, "connection budget: "
          + endpoints.settings().connectsPerSecond() + " new connections a second to this buyer"));
    }
    lane.taken();
    stalls.sent(start);
    Call call = new Call(buyer, tier, endpoint, lane, start, budget, adapter, adapters.secrets());
    round.calls.add(call);
    if (budget == remaining) {
      awaitDeadline(round, call, start, budget);
    } else {
      call.timer = vertx.setTimer(budget, id -> expire(List.of(call), start, budget));
    }
    lane.client.request(options)
        .compose(sent -> {
          call.request = sent;
          return body == null ? sent.send() : sent.send(body);
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            call.read(ar.result());
          } else {
            call.finish(BidOutcome.ERROR, null, null, reason(ar.cause()));
            call.release();
          }
        });
    return call.promise.future();
  }

  /** Joins the round's one timer for the calls that end at the ping's deadline, starting it with the first. */
  private void awaitDeadline(Round round, Call call, long start, long budget) {
    call.round = round;
    round.atDeadline.add(call);
    round.open++;
    if (round.deadlineTimer < 0) {
      round.deadlineStart = start;
      round.deadlineBudget = budget;
      round.deadlineTimer = vertx.setTimer(budget, id -> {
        round.deadlineTimer = -1;
        expire(round.atDeadline, round.deadlineStart, round.deadlineBudget);
      });
    }
  }

  /**
   * Times out the calls of a timer that fired, with one grace timer for their late answers. A timer
   * that fires far past its time means this event loop was starved (GC, CPU): a buyer may have
   * answered and its answer is waiting unread. That must not count against the buyer, or one stall of
   * the exchange opens every buyer's circuit at once.
   */
  private void expire(List<Call> expiring, long start, long budget) {
    long lateMillis = (System.nanoTime() - start) / 1_000_000 - budget;
    // (The first rule, "late by half the budget", let a loop 20-70 ms late on a 150 ms deadline open
    // circuits in step runs on a busy machine, and the exchange answered no_bid to everything.)
    boolean exchangeWasLate = lateMillis > Math.max(LATE_MILLIS, budget / 10) || loopLag.currentMillis() > LATE_MILLIS;
    List<Call> timedOut = new java.util.ArrayList<>(expiring.size());
    for (Call call : List.copyOf(expiring)) {
      if (call.promise.future().isComplete()) {
        continue;
      }
      call.exchangeWasLate = exchangeWasLate;
      call.finish(BidOutcome.TIMEOUT, null, null, "no answer within " + call.budget + " ms"
          + (exchangeWasLate ? " (the exchange was " + lateMillis + " ms late)" : ""));
      timedOut.add(call);
    }
    if (timedOut.isEmpty()) {
      return;
    }
    // A trickling buyer is never idle; give late answers a bounded grace on their keep-alive
    // connections, then cut them off.
    vertx.setTimer(endpoints.settings().silentCloseMillis(), id -> cutOff(timedOut));
  }

  /**
   * Resets the calls still silent, as far as each buyer's reset budget allows; the others keep their
   * connection (their answer may still come) and are looked at again one grace period later (not as
   * soon as a token is back: thousands of kept calls would then wake up 25 times a second).
   */
  private void cutOff(List<Call> silent) {
    List<Call> kept = null;
    long waitNanos = Long.MAX_VALUE;
    for (Call call : silent) {
      if (call.released || call.request == null) {
        continue;
      }
      long wait = call.endpoint.takeReset();
      if (wait == 0) {
        call.request.reset();
        call.release();
      } else {
        if (kept == null) {
          kept = new java.util.ArrayList<>();
        }
        kept.add(call);
        waitNanos = Math.min(waitNanos, wait);
      }
    }
    if (kept != null) {
      List<Call> again = kept;
      long retryMillis = Math.max(endpoints.settings().silentCloseMillis(), waitNanos / 1_000_000);
      vertx.setTimer(retryMillis, id -> cutOff(again));
    }
  }

  /** A call that ends before it is sent (circuit open, no time left, silent buyer, bulkhead full, connection budget): counted all the same. */
  private Future<BidResult> done(BidResult result) {
    metrics.bid(result.buyer().code(), result.outcome(), 0);
    return Future.succeededFuture(result);
  }

  private static String reason(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + truncate(message));
  }

  private static String truncate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200);
  }

  /** One bid call in flight. Confined to the ping's event loop. */
  private final class Call {
    BidOutcome outcome;
    long latencyMicros;
    final Buyer buyer;
    final int tier;
    final BuyerEndpoint endpoint;
    final LoopClients.Lane lane;
    final long start;
    final long budget;
    /** Set when the call ends at the round's shared deadline timer. */
    Round round;
    /** Null for a buyer that speaks the buyer protocol. */
    final Adapter adapter;
    final Secrets secrets;
    final Promise<BidResult> promise = Promise.promise();
    long timer = -1;
    boolean released;
    boolean exchangeWasLate;
    io.vertx.core.http.HttpClientRequest request;

    Call(Buyer buyer, int tier, BuyerEndpoint endpoint, LoopClients.Lane lane, long start, long budget, Adapter adapter,
         Secrets secrets) {
      this.buyer = buyer;
      this.tier = tier;
      this.endpoint = endpoint;
      this.lane = lane;
      this.start = start;
      this.budget = budget;
      this.adapter = adapter;
      this.secrets = secrets;
    }

    void read(HttpClientResponse response) {
      int limit = endpoints.settings().maxAnswerBytes();
      Buffer body = Buffer.buffer();
      response.exceptionHandler(e -> {
        finish(BidOutcome.ERROR, null, null, reason(e));
        release();
      });
      response.handler(chunk -> {
        if (body.length() + chunk.length() > limit) {
          finish(BidOutcome.TOO_LARGE, null, null, "answer over " + limit + " bytes");
          response.handler(null);
          response.request().reset(); // the only way to stop a buyer streaming megabytes at us
          release();
        } else {
          body.appendBuffer(chunk);
        }
      });
      response.endHandler(v -> {
        if (!promise.future().isComplete()) {
          BidAnswer answer = adapter == null
              ? BidAnswer.read(response.statusCode(), body.getBytes())
              : AdaptedAnswers.bid(adapter.rules(), new AdapterResponse(response.statusCode(),
                  response.getHeader("content-type"), body.getBytes()), secrets);
          finish(answer.outcome(), answer, answer.bidId(), answer.reason());
        }
        release();
      });
    }

    void finish(BidOutcome outcome, BidAnswer answer, String bidId, String reason) {
      if (promise.future().isComplete()) {
        return;
      }
      long latencyMicros = (System.nanoTime() - start) / 1_000;
      // A buyer's secrets may turn up in an error's text (a URL) or in its own answer: never kept.
      BidResult result = new BidResult(buyer, tier, outcome, answer == null ? null : answer.bid(), bidId,
          latencyMicros, secrets.mask(reason), null, answer == null ? null : answer.sharedBid());
      // Set before completing: completing runs the ping's next step, which may settle the round now.
      this.outcome = outcome;
      this.latencyMicros = latencyMicros;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      } else if (round != null && --round.open == 0 && round.deadlineTimer >= 0) {
        vertx.cancelTimer(round.deadlineTimer); // every call of the deadline ended before it
        round.deadlineTimer = -1;
      }
      endpoint.stalls().ended(start + latencyMicros * 1_000, outcome != BidOutcome.TIMEOUT);
      metrics.bid(buyer.code(), outcome, latencyMicros);
      promise.complete(result);
    }

    /** Frees the bulkhead slot once the HTTP exchange is really over, not merely past its deadline. */
    void release() {
      if (!released) {
        released = true;
        endpoint.bulkhead().onComplete();
        lane.given();
      }
    }
  }
}
