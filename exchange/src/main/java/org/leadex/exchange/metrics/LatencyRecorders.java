package org.leadex.exchange.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HdrHistogram recorders of ping, post and per-buyer bid latency, in microseconds (1 µs to 60 s,
 * 3 significant digits). Writers (event loops) record wait-free into a {@link Recorder}; a reader
 * folds the interval histograms into running totals under this object's lock. Thread safe.
 */
public final class LatencyRecorders {
  private static final long MAX_MICROS = 60_000_000L;

  /** One recorder and the total of everything it has recorded so far. */
  public static final class Series {
    private final Recorder recorder = new Recorder(1, MAX_MICROS, 3);
    private final Histogram total = new Histogram(1, MAX_MICROS, 3);

    public void recordValue(long micros) {
      recorder.recordValue(Math.max(1, Math.min(MAX_MICROS, micros)));
    }

    synchronized Histogram snapshot() {
      total.add(recorder.getIntervalHistogram());
      return total.copy();
    }
  }

  private final Series ping = new Series();
  private final Series post = new Series();
  private final ConcurrentHashMap<String, Series> bids = new ConcurrentHashMap<>();

  public Series ping() {
    return ping;
  }

  public Series post() {
    return post;
  }

  public Series bid(String buyer) {
    return bids.computeIfAbsent(buyer, b -> new Series());
  }

  public Histogram pingSnapshot() {
    return ping.snapshot();
  }

  public Histogram postSnapshot() {
    return post.snapshot();
  }

  public Map<String, Histogram> bidSnapshots() {
    Map<String, Histogram> out = new TreeMap<>();
    bids.forEach((buyer, series) -> out.put(buyer, series.snapshot()));
    return out;
  }
}
