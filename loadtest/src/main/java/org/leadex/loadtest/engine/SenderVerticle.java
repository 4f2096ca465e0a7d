package org.leadex.loadtest.engine;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.leadex.loadtest.measure.OperationStats;
import org.leadex.loadtest.measure.Outcome;
import org.leadex.loadtest.measure.PhaseStats;
import org.leadex.loadtest.traffic.Lead;
import org.leadex.loadtest.traffic.Operation;

/**
 * One event loop's HTTP client and the requests it has in flight.
 *
 * <p>Threading: event-loop confined. The scheduler thread only calls {@link #dispatch}, which
 * hands the arrival over to this verticle's context; every other method runs on that context.
 *
 * <p>Nothing here waits for an answer before the next request: the scheduler decides when
 * requests start, and this class only starts them. When the pool has no free connection the
 * request waits in the pool's queue, and because its latency runs from the intended send time,
 * that wait is in the measurement, as it would be for a seller.
 */
final class SenderVerticle extends VerticleBase {
  private final EngineSettings settings;
  private final int connections;
  private final long timeoutNanos;
  /** Per operation, one request template per exchange instance, taken in turn. */
  private final Map<Operation, RequestOptions[]> requestOptions = new EnumMap<>(Operation.class);
  private long turn;
  private volatile boolean stopping;
  private HttpClientAgent client;

  SenderVerticle(EngineSettings settings, int connections) {
    this.settings = settings;
    this.connections = connections;
    this.timeoutNanos = settings.timeout().toNanos();
    List<URI> targets = settings.targets();
    for (Operation op : Operation.values()) {
      RequestOptions[] perTarget = new RequestOptions[targets.size()];
      for (int i = 0; i < perTarget.length; i++) {
        URI target = targets.get(i);
        perTarget[i] = new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(target.getHost())
            .setPort(target.getPort() > 0 ? target.getPort() : 80)
            .setURI(EngineSettings.basePath(target) + op.path())
            .putHeader("content-type", "application/json")
            .putHeader("authorization", "Bearer " + settings.sellerKey())
            .setIdleTimeout(2 * settings.timeout().toMillis());
      }
      requestOptions.put(op, perTarget);
    }
  }

  @Override
  public Future<?> start() {
    client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis())))
        .with(new PoolOptions().setHttp1MaxSize(connections))
        .build();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  /** Any thread: start this arrival on the event loop as soon as it is free. */
  void dispatch(PhaseStats phase, long arrivalIndex, long intendedNanos) {
    context.runOnContext(v -> sendArrival(phase, arrivalIndex, intendedNanos));
  }

  /** Any thread: no new posts from now on (the run is being stopped). */
  void stopFollowUps() {
    stopping = true;
  }

  /** Any thread: a new run begins; posts follow bids again. */
  void resumeFollowUps() {
    stopping = false;
  }

  private void sendArrival(PhaseStats phase, long index, long intendedNanos) {
    phase.recordStartLag(System.nanoTime() - intendedNanos);
    Operation op = settings.mix().arrivalKind(index);
    Lead lead = settings.leads().lead(index);
    byte[] body = op == Operation.DIRECT
        ? settings.bodies().direct(lead) : settings.bodies().ping(lead);
    new InFlight(phase, op, index, intendedNanos, Buffer.buffer(body), null).send();
  }

  private void sendPost(PhaseStats phase, long index, String pingId) {
    long delayMillis = settings.postDelay().toMillis();
    long intendedNanos = System.nanoTime() + settings.postDelay().toNanos();
    Buffer body = Buffer.buffer(settings.bodies().post(pingId, settings.leads().lead(index)));
    InFlight post = new InFlight(phase, Operation.POST, index, intendedNanos, body, pingId);
    if (delayMillis <= 0) {
      post.send();
    } else {
      vertx.setTimer(delayMillis, id -> post.send());
    }
  }

  private record Answered(int status, Buffer body) {
  }

  /** One request, from its intended send time to its outcome. Event-loop confined. */
  private final class InFlight {
    private final PhaseStats phase;
    private final OperationStats stats;
    private final Operation op;
    private final long index;
    private final long intendedNanos;
    private final Buffer body;
    private final String pingId;
    private long timer = -1;
    private long connectedNanos = -1;
    private boolean done;

    InFlight(PhaseStats phase, Operation op, long index, long intendedNanos, Buffer body, String pingId) {
      this.phase = phase;
      this.pingId = pingId;
      this.stats = phase.operation(op);
      this.op = op;
      this.index = index;
      this.intendedNanos = intendedNanos;
      this.body = body;
    }

    void send() {
      stats.recordSent();
      long remainingNanos = timeoutNanos - (System.nanoTime() - intendedNanos);
      timer = vertx.setTimer(Math.max(1, (remainingNanos + 999_999) / 1_000_000), id -> timedOut());
      RequestOptions[] targets = requestOptions.get(op);
      client.request(targets[(int) (turn++ % targets.length)]).onComplete(this::connected);
    }

    private void connected(AsyncResult<HttpClientRequest> result) {
      if (result.failed()) {
        fail(Outcome.CONNECTION_ERROR);
        return;
      }
      HttpClientRequest req = result.result();
      if (!done) {
        connectedNanos = System.nanoTime();
      }
      // Sent even when it timed out while queued for the connection (its answer is then
      // ignored): resetting an unsent HTTP/1.1 request closes the connection, and a reconnect
      // storm hurts a struggling server more than one stale request.
      req.exceptionHandler(t -> { }); // failures arrive through the futures below
      req.send(body)
          .compose(response -> {
            response.exceptionHandler(t -> { });
            int status = response.statusCode();
            return response.body().map(bytes -> new Answered(status, bytes));
          })
          .onComplete(answer -> {
            if (answer.failed()) {
              fail(Outcome.CONNECTION_ERROR);
            } else {
              answered(answer.result().status(), answer.result().body());
            }
          });
    }

    private void answered(int status, Buffer answer) {
      if (!finish()) {
        return;
      }
      Replies.Reply reply = Replies.classify(op, status, answer.getBytes());
      if (reply.pingId() != null && !stopping && settings.mix().postFollowsBid(index)) {
        phase.followUpStarted();
        sendPost(phase, index, reply.pingId());
      }
      log(status, reply.answer(), reply.outcome());
      record(reply.outcome());
    }

    /** A post's or direct post's answer, for the comparison with the ledger. */
    private void log(int status, org.leadex.loadtest.traffic.Answer answer, Outcome outcome) {
      if (op != Operation.PING && settings.outcomes() != null) {
        settings.outcomes().write(op, pingId, status, answer, outcome);
      }
    }

    private void timedOut() {
      timer = -1;
      if (!finish()) {
        return;
      }
      // Like the reference server: a late answer may still finish on its connection; the
      // request's idle timeout closes it only after twice the timeout of silence.
      log(0, null, Outcome.TIMEOUT);
      record(Outcome.TIMEOUT);
    }

    private void fail(Outcome outcome) {
      if (finish()) {
        log(0, null, outcome);
        record(outcome);
      }
    }

    private boolean finish() {
      if (done) {
        return false;
      }
      done = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      return true;
    }

    private void record(Outcome outcome) {
      long now = System.nanoTime();
      stats.recordCompletion(outcome, now - intendedNanos,
          connectedNanos < 0 ? -1 : now - connectedNanos);
      phase.requestEnded();
    }
  }
}
