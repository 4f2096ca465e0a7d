package org.leadex.exchange.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.leadex.exchange.adapters.AdapterResponse;
import org.leadex.exchange.adapters.ResponseRules;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.buyers.AdaptedAnswers;
import org.leadex.exchange.buyers.PostAnswer;
import org.leadex.exchange.ledger.DeliveryOutbox;
import org.leadex.exchange.logs.LeadLog;
import org.leadex.exchange.metrics.ExchangeMetrics;

/**
 * Sends the outbox's webhook deliveries (CRM copies and notifications): one worker per instance
 * polls for due rows, which several instances share through {@code for update skip locked}. An
 * answer with a 2xx status is a delivery; anything else, or no answer within 10 s, is retried with
 * exponential backoff (base, 2 × base, 4 × base … at most 10 minutes) until the row's
 * {@code max_attempts}, then dead-lettered. Nothing here runs on a seller's time: rows exist only
 * after their sale is committed and answered.
 *
 * <p>Confined to the event-loop context its timer was created on.
 */
public final class WebhookWorker {
  private static final Logger LOG = Logger.getLogger(WebhookWorker.class.getName());
  private static final int BATCH = 32;
  private static final long POLL_MILLIS = 250;
  private static final long COUNT_MILLIS = 5_000;
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final long MAX_BACKOFF_MILLIS = 600_000;

  private final Function<DeliveryOutbox.Due, Optional<ResponseRules>> rules;
  private final Vertx vertx;
  private final DeliveryOutbox outbox;
  private final ExchangeMetrics metrics;
  private final long backoffMillis;
  private final HttpClient client;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();
  private long pollTimer = -1;
  private long countTimer = -1;
  private boolean polling;
  private int sending;

  /**
   * @param rules the response rules a delivery's answer is read by, if its webhook has them (looked up
   *              when it is sent: the outbox keeps bodies, not configuration)
   */
  public WebhookWorker(Vertx vertx, DeliveryOutbox outbox, ExchangeMetrics metrics, long backoffMillis,
                       Function<DeliveryOutbox.Due, Optional<ResponseRules>> rules) {
    this.rules = rules;
    this.vertx = vertx;
    this.outbox = outbox;
    this.metrics = metrics;
    this.backoffMillis = backoffMillis;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000)
        .setName("webhooks"), new PoolOptions().setHttp1MaxSize(BATCH));
  }

  public void start() {
    pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> poll());
    countTimer = vertx.setPeriodic(COUNT_MILLIS, id -> count());
    metrics.gauge("exchange_deliveries_pending", "Webhook deliveries (CRM copies, notifications) waiting to be sent",
        pending::get);
    metrics.gauge("exchange_deliveries_dead", "Webhook deliveries dead-lettered after their last attempt, awaiting a"
        + " resend", dead::get);
  }

  /** The backoff before attempt {@code attempt + 1}: base × 2^(attempt − 1), capped. */
  static long backoff(long baseMillis, int attempt) {
    int doublings = Math.min(30, Math.max(0, attempt - 1));
    return Math.min(MAX_BACKOFF_MILLIS, baseMillis << doublings);
  }

  private void poll() {
    // One claim at a time, and none while a batch is still being sent: the batch bounds what this
    // instance holds, and a slow receiver cannot make it claim more than it sends.
    if (polling || sending > 0) {
      return;
    }
    polling = true;
    outbox.claim(BATCH).onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        LOG.log(Level.FINE, "claiming deliveries failed", ar.cause());
        return;
      }
      List<DeliveryOutbox.Due> due = ar.result();
      sending = due.size();
      due.forEach(d -> send(d).onComplete(done -> {
        sending--;
        if (sending == 0 && due.size() == BATCH) {
          poll(); // more may be due
        }
      }));
    });
  }

  private void count() {
    outbox.counts().onSuccess(c -> {
      pending.set(c.get("pending"));
      dead.set(c.get("dead"));
    });
  }

  private Future<Void> send(DeliveryOutbox.Due due) {
    return post(due).compose(error -> {
      if (error == null) {
        metrics.delivery(due.kind(), "delivered");
        return outbox.delivered(due.id());
      }
      metrics.delivery(due.kind(), due.last() ? "dead" : "failed");
      long retry = backoff(backoffMillis, due.attempt());
      if (due.last()) {
        LeadLog.log(LOG, Level.WARNING, null, due.leadId(), "delivery " + due.id() + " (" + due.kind() + ") dead-lettered"
            + " after " + due.attempt() + " attempts: " + error);
      } else {
        LeadLog.log(LOG, Level.INFO, null, due.leadId(), "delivery " + due.id() + " (" + due.kind() + ") attempt "
            + due.attempt() + " of " + due.maxAttempts() + " failed: " + error + "; next in " + retry + " ms");
      }
      return outbox.failed(due, error, retry);
    }).recover(e -> {
      // The outcome could not be written: the lease runs out and the row is sent again.
      LOG.log(Level.WARNING, "recording delivery " + due.id() + " failed", e);
      return Future.succeededFuture();
    });
  }

  /**
   * Posts the body; completes with null on a 2xx answer (whose {@code accepted} rule holds, where the
   * webhook has rules), else with why not. Never fails.
   */
  private Future<String> post(DeliveryOutbox.Due due) {
    Promise<String> result = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(TIMEOUT_MILLIS, id -> {
      if (result.tryComplete("no answer within " + TIMEOUT_MILLIS + " ms") && sent[0] != null) {
        sent[0].reset();
      }
    });
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(due.url())
          .putHeader("content-type", due.contentType()).putHeader("user-agent", "leadex-exchange");
    } catch (RuntimeException e) {
      vertx.cancelTimer(timer);
      return Future.succeededFuture("bad url: " + e.getMessage());
    }
    client.request(options)
        .compose(request -> {
          sent[0] = request;
          return request.send(Buffer.buffer(due.body()));
        })
        .compose(response -> response.body().map(body -> refusal(due, new AdapterResponse(response.statusCode(),
            response.getHeader("content-type"), body.getBytes()))))
        .onComplete(ar -> result.tryComplete(ar.succeeded() ? ar.result()
            : "error: " + ar.cause().getClass().getSimpleName() + ": " + ar.cause().getMessage()));
    return result.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Why the answer is not an acceptance, or null when it is. */
  private String refusal(DeliveryOutbox.Due due, AdapterResponse answer) {
    if (!answer.success()) {
      return "status " + answer.status();
    }
    Optional<ResponseRules> read = rules.apply(due);
    if (read.isEmpty()) {
      return null;
    }
    PostAnswer verdict = AdaptedAnswers.post(read.get(), answer, Secrets.NONE, 0);
    return verdict.accepted() ? null : verdict.reason();
  }

  public Future<Void> close() {
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
      vertx.cancelTimer(countTimer);
    }
    return client.close();
  }
}
