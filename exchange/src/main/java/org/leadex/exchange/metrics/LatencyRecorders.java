package org.leadex.exchange.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HdrHistogram recorders of ping, post and per-buyer bid latency, in microseconds (1 µs to 60 s,
 * 3 significant digits). Writers (event loops) record wait-free into a {@link Recorder}; a reader
 * folds the interval histograms into running totals under this object's lock, and into one
 * histogram per second of the last {@value #RECENT_SECONDS} (the dashboard's "now"). Thread safe.
 */
public final class LatencyRecorders {
  private static final long MAX_MICROS = 60_000_000L;
  static final int RECENT_SECONDS = 10;

  /** One recorder, the total of everything it has recorded so far, and its last seconds. */
  public static final class Series {
    private final Recorder recorder = new Recorder(1, MAX_MICROS, 3);
    private final Histogram total = new Histogram(1, MAX_MICROS, 3);
    private final java.util.ArrayDeque<Histogram> lastSeconds = new java.util.ArrayDeque<>();
    private Histogram thisSecond = new Histogram(1, MAX_MICROS, 3);
    private Histogram interval; // recycled: a histogram of this range is a few hundred KB

    public void recordValue(long micros) {
      recorder.recordValue(Math.max(1, Math.min(MAX_MICROS, micros)));
    }

    private void drain() {
      interval = recorder.getIntervalHistogram(interval);
      total.add(interval);
      thisSecond.add(interval);
    }

    synchronized Histogram snapshot() {
      drain();
      return total.copy();
    }

    /** What was recorded in the last {@value #RECENT_SECONDS} seconds or so. */
    synchronized Histogram recent() {
      drain();
      Histogram out = thisSecond.copy();
      lastSeconds.forEach(out::add);
      return out;
    }

    synchronized void rotate() {
      drain();
      lastSeconds.addLast(thisSecond);
      Histogram reused = lastSeconds.size() >= RECENT_SECONDS ? lastSeconds.removeFirst() : null;
      if (reused != null) {
        reused.reset();
      }
      thisSecond = reused != null ? reused : new Histogram(1, MAX_MICROS, 3);
    }
  }

  private final Series ping = new Series();
  private final Series post = new Series();
  private final Series added = new Series();
  private final ConcurrentHashMap<String, Series> bids = new ConcurrentHashMap<>();

  public Series ping() {
    return ping;
  }

  public Series post() {
    return post;
  }

  /** Per ping, the time the exchange itself added: its time from arrival to answer minus its wait for buyers. */
  public Series added() {
    return added;
  }

  public Histogram addedSnapshot() {
    return added.snapshot();
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

  public Histogram recentPings() {
    return ping.recent();
  }

  /** Each buyer's bid latency over the last seconds. */
  public Map<String, Histogram> recentBids() {
    Map<String, Histogram> out = new TreeMap<>();
    bids.forEach((buyer, series) -> out.put(buyer, series.recent()));
    return out;
  }

  /** Closes the current second of every series. */
  void rotate() {
    ping.rotate();
    post.rotate();
    added.rotate();
    bids.values().forEach(Series::rotate);
  }

  public Map<String, Histogram> bidSnapshots() {
    Map<String, Histogram> out = new TreeMap<>();
    bids.forEach((buyer, series) -> out.put(buyer, series.snapshot()));
    return out;
  }
}
