package org.leadex.exchange.buyers;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP client per event loop for one buyer, so that a bid call and its connection live on the
 * loop that serves the ping. Vert.x pools a client's connections across loops: a call from loop B
 * may be handed a connection opened on loop A, and then its write goes to A as a task and every
 * part of the answer comes back to B as another (a thread wake-up each way). With two loops that
 * happened to about half of all bid calls; the reference fan-out never pays it, because each of its
 * loops has a client of its own. Calls from outside an event loop share one more client.
 *
 * <p>Each client has its own pool of {@code poolSize} connections; the buyer's bulkhead still
 * bounds the calls in flight to that buyer over all loops.
 */
final class LoopClients {
  private final Vertx vertx;
  private final HttpClientOptions options;
  private final PoolOptions pool;
  private final ConcurrentHashMap<EventLoop, Lane> byLoop = new ConcurrentHashMap<>();
  private final Lane offLoop;
  private volatile boolean closed;

  /**
   * One loop's client, with what that loop knows of its connections: how many are open and how many
   * calls hold or are about to take one. When every open connection is taken, the next call makes
   * the pool open another. Confined to its event loop (the off-loop lane counts nothing).
   */
  static final class Lane {
    final HttpClient client;
    private final boolean counted;
    private int open;
    private int busy;

    private Lane(Vertx vertx, HttpClientOptions options, PoolOptions pool, boolean counted) {
      this.counted = counted;
      this.client = !counted ? vertx.createHttpClient(options, pool) : vertx.httpClientBuilder().with(options).with(pool)
          .withConnectHandler(connection -> {
            open++; // on this loop: a connection lives on the loop of the call that opened it
            connection.closeHandler(v -> open--);
          })
          .build();
    }

    /** Whether the next call needs a new connection (never, as far as the off-loop lane knows). */
    boolean needsConnection() {
      return counted && busy >= open;
    }

    void taken() {
      busy++;
    }

    void given() {
      busy--;
    }
  }

  LoopClients(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    this.vertx = vertx;
    this.options = options;
    this.pool = pool;
    this.offLoop = new Lane(vertx, options, pool, false);
  }

  /** The lane of the calling thread's event loop. */
  Lane current() {
    Context context = Vertx.currentContext();
    if (closed || !(context instanceof ContextInternal internal) || !context.isEventLoopContext()) {
      // once closed, a late call gets the closed client and fails, rather than opening a new pool
      return offLoop;
    }
    EventLoop loop = internal.nettyEventLoop();
    Lane lane = byLoop.get(loop);
    return lane != null ? lane : byLoop.computeIfAbsent(loop, l -> new Lane(vertx, options, pool, true));
  }

  void close() {
    closed = true;
    offLoop.client.close();
    byLoop.values().forEach(lane -> lane.client.close());
  }
}
