package org.leadex.loadtest.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.leadex.loadtest.engine.Phase;
import org.leadex.loadtest.traffic.Operation;

/**
 * Everything measured in one phase. Thread safe where marked: the scheduler thread, the event
 * loops and the monitor thread all touch it, each through its own methods.
 *
 * <p>A phase is <em>drained</em> when its schedule has ended and no request it started (posts
 * included) is still in flight; only then are its numbers final.
 *
 * <p>A phase may belong to a <em>span</em>: a PhaseStats of its own that receives everything its
 * member phases record, for figures over several phases (a rate profile's whole run: before,
 * during and after a surge, with one per-second series across them). The scheduler starts and
 * ends the span's schedule; the rest is forwarded.
 */
public final class PhaseStats {
  private final Phase phase;
  private final int index;
  private final Map<Operation, OperationStats> operations = new EnumMap<>(Operation.class);
  private final Recorder startLag = new Recorder(3);
  private final AtomicLong inFlight = new AtomicLong();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final PhaseStats span;
  private volatile boolean scheduleDone;
  private volatile boolean truncated;
  private volatile long startNanos;
  private volatile long firstSendNanos;
  private volatile long lastSendNanos;
  private volatile long arrivals;

  // Monitor thread only.
  private final List<SecondSample> seconds = new ArrayList<>();
  private final Histogram totalStartLag = new Histogram(3);
  private Histogram intervalStartLag;
  private long lastSampleNanos;
  private long cpuNanosAtStart = -1;
  private long cpuNanosAtEnd = -1;
  private long wallNanosAtStart;
  private long wallNanosAtEnd;
  private long buyerConnectionsBefore = -1;

  public PhaseStats(Phase phase, int index, long pingDeadlineMillis) {
    this(phase, index, pingDeadlineMillis, null);
  }

  /** @param span receives everything recorded here as well; null for none */
  public PhaseStats(Phase phase, int index, long pingDeadlineMillis, PhaseStats span) {
    this.phase = phase;
    this.index = index;
    this.span = span;
    for (Operation op : Operation.values()) {
      operations.put(op, new OperationStats(op, op == Operation.PING ? pingDeadlineMillis : 0,
          span == null ? null : span.operation(op)));
    }
  }

  /** The span this phase belongs to, or null. */
  public PhaseStats span() {
    return span;
  }

  public Phase phase() {
    return phase;
  }

  public int index() {
    return index;
  }

  public OperationStats operation(Operation op) {
    return operations.get(op);
  }

  // --- scheduler thread -------------------------------------------------------------------

  public void started(long startNanos) {
    this.startNanos = startNanos;
  }

  /** Whether the phase's schedule began at all (a stopped run skips the phases after it). */
  public boolean wasRun() {
    return startNanos != 0;
  }

  /** Scheduler thread, before handing a request over: it is in flight from now on. */
  public void arrivalDispatched(long nowNanos) {
    if (arrivals == 0) {
      firstSendNanos = nowNanos;
    }
    lastSendNanos = nowNanos;
    arrivals++;
    inFlight.incrementAndGet();
    if (span != null) {
      span.arrivalDispatched(nowNanos);
    }
  }

  /** Scheduler thread: no more arrivals; {@code truncated} if stopped before the phase's end. */
  public void scheduleEnded(boolean truncated) {
    this.truncated = truncated;
    scheduleDone = true;
    if (inFlight.get() == 0) {
      drained.complete(null);
    }
  }

  // --- event loops ------------------------------------------------------------------------

  /** A follow-up request (a post) joins the phase of its ping. Call while the ping is in flight. */
  public void followUpStarted() {
    inFlight.incrementAndGet();
    if (span != null) {
      span.followUpStarted();
    }
  }

  /** Time from an arrival's intended send time to the moment an event loop started sending it. */
  public void recordStartLag(long lagNanos) {
    startLag.recordValue(Math.max(0, lagNanos / 1_000));
    if (span != null) {
      span.recordStartLag(lagNanos);
    }
  }

  public void requestEnded() {
    if (inFlight.decrementAndGet() == 0 && scheduleDone) {
      drained.complete(null);
    }
    if (span != null) {
      span.requestEnded();
    }
  }

  // --- anyone -----------------------------------------------------------------------------

  public CompletableFuture<Void> drained() {
    return drained;
  }

  public long inFlight() {
    return inFlight.get();
  }

  public long arrivals() {
    return arrivals;
  }

  public boolean truncated() {
    return truncated;
  }

  public long startNanos() {
    return startNanos;
  }

  public long firstSendNanos() {
    return firstSendNanos;
  }

  public long lastSendNanos() {
    return lastSendNanos;
  }

  // --- monitor thread ---------------------------------------------------------------------

  /** Monitor thread: closes the interval ending now for every operation. */
  public SecondSample closeInterval(long nowNanos) {
    return closeInterval(nowNanos, -1);
  }

  /**
   * Monitor thread: closes the interval ending now for every operation.
   *
   * @param buyerConnections the buyers' count of TCP connections opened so far, or -1 if unknown
   */
  public SecondSample closeInterval(long nowNanos, long buyerConnections) {
    long opened = buyerConnections < 0 || buyerConnectionsBefore < 0
        ? -1 : buyerConnections - buyerConnectionsBefore;
    if (buyerConnections >= 0) {
      buyerConnectionsBefore = buyerConnections;
    }
    Map<String, IntervalSample> byOperation = new LinkedHashMap<>();
    for (OperationStats stats : operations.values()) {
      byOperation.put(stats.operation().label(), stats.closeInterval());
    }
    intervalStartLag = startLag.getIntervalHistogram(intervalStartLag);
    totalStartLag.add(intervalStartLag);
    long from = lastSampleNanos == 0 ? startNanos : lastSampleNanos;
    SecondSample sample = new SecondSample((nowNanos - startNanos) / 1e9,
        (nowNanos - from) / 1e9, Collections.unmodifiableMap(byOperation), opened);
    lastSampleNanos = nowNanos;
    seconds.add(sample);
    return sample;
  }

  /** Monitor thread: the buyers' count of connections opened when the phase began (-1: none). */
  public void buyerConnectionsMark(long buyerConnections) {
    buyerConnectionsBefore = buyerConnections;
  }

  /** Monitor thread: the generator process's CPU time when the phase began and ended. */
  public void cpuMark(long processCpuNanos, long wallNanos, boolean atStart) {
    if (atStart) {
      cpuNanosAtStart = processCpuNanos;
      wallNanosAtStart = wallNanos;
    } else {
      cpuNanosAtEnd = processCpuNanos;
      wallNanosAtEnd = wallNanos;
    }
  }

  /** Cores the whole generator process used during the phase; negative when unknown. */
  public double generatorCores() {
    if (cpuNanosAtStart < 0 || cpuNanosAtEnd < 0 || wallNanosAtEnd <= wallNanosAtStart) {
      return -1;
    }
    return (double) (cpuNanosAtEnd - cpuNanosAtStart) / (wallNanosAtEnd - wallNanosAtStart);
  }

  /** Monitor thread, or anyone once final. */
  public List<SecondSample> seconds() {
    return Collections.unmodifiableList(seconds);
  }

  /** Monitor thread, or anyone once final: generator start lag in µs. */
  public Histogram totalStartLag() {
    return totalStartLag;
  }
}
