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
  private final ConcurrentHashMap<EventLoop, HttpClient> byLoop = new ConcurrentHashMap<>();
  private final HttpClient offLoop;
  private volatile boolean closed;

  LoopClients(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    this.vertx = vertx;
    this.options = options;
    this.pool = pool;
    this.offLoop = vertx.createHttpClient(options, pool);
  }

  /** The client of the calling thread's event loop. */
  HttpClient current() {
    Context context = Vertx.currentContext();
    if (closed || !(context instanceof ContextInternal internal) || !context.isEventLoopContext()) {
      // once closed, a late call gets the closed client and fails, rather than opening a new pool
      return offLoop;
    }
    EventLoop loop = internal.nettyEventLoop();
    HttpClient client = byLoop.get(loop);
    return client != null ? client : byLoop.computeIfAbsent(loop, l -> vertx.createHttpClient(options, pool));
  }

  void close() {
    closed = true;
    offLoop.close();
    byLoop.values().forEach(HttpClient::close);
  }
}
