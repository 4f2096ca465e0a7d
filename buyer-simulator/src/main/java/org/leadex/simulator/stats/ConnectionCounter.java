package org.leadex.simulator.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import org.leadex.simulator.config.Json;

/**
 * Thread safe. The TCP connections clients (the exchange) opened to the simulator's servers: a
 * running total, how many are open, and a series of how many were opened in each second.
 *
 * <p>Why: a client that gives up on a hanging buyer by closing the request's HTTP/1.1 connection
 * must open a new one for the next request; under a buyer storm that becomes a reconnect storm
 * that can take a server down (PERFORMANCE-NOTES: 1,600–2,400 new connections/s in a collapse,
 * 100–200/s when healthy). Counting accepts on the buyers' side measures it without touching the
 * client.
 *
 * <p>Every port's event loop counts into the adders; one periodic timer calls {@link #tick} once a
 * second to close a bucket of the series; readers take a copy under the series' lock.
 */
public final class ConnectionCounter {
  /** An hour of seconds: enough for any load test, bounded for a simulator left running. */
  static final int MAX_SECONDS = 3600;

  private final LongAdder opened = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final ArrayDeque<Second> series = new ArrayDeque<>();
  private long openedAtLastTick;

  /**
   * One bucket of the series.
   *
   * @param atMs wall-clock end of the bucket
   * @param opened connections accepted during it
   * @param open connections open at its end
   */
  public record Second(long atMs, long opened, long open) {
  }

  public void opened() {
    opened.increment();
  }

  public void closed() {
    closed.increment();
  }

  /** Connections accepted since the simulator started. */
  public long openedTotal() {
    return opened.sum();
  }

  /** Connections open now (accepted and not yet closed). */
  public long open() {
    return opened.sum() - closed.sum();
  }

  /** Closes the current bucket; called once a second by one timer. */
  public void tick(long nowMs) {
    long total = opened.sum();
    long open = total - closed.sum();
    synchronized (series) {
      series.addLast(new Second(nowMs, total - openedAtLastTick, open));
      openedAtLastTick = total;
      while (series.size() > MAX_SECONDS) {
        series.removeFirst();
      }
    }
  }

  /** {@code {"opened": N, "open": N, "per_second": [{"at_ms", "opened", "open"}, ...]}}. */
  public ObjectNode toJsonTree() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("opened", openedTotal());
    json.put("open", open());
    ArrayNode seconds = json.putArray("per_second");
    synchronized (series) {
      for (Second s : series) {
        seconds.addObject().put("at_ms", s.atMs()).put("opened", s.opened()).put("open", s.open());
      }
    }
    return json;
  }
}
