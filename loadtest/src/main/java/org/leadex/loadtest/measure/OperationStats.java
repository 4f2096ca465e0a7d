package org.leadex.loadtest.measure;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.leadex.loadtest.traffic.Operation;

/**
 * Measurements of one operation within one phase.
 *
 * <p>Threading: {@link #recordSent} and {@link #recordCompletion} are thread safe and wait-free
 * (any event loop calls them). Everything else belongs to the single monitor thread, which moves
 * each interval out of the {@link Recorder}s into the running totals.
 *
 * <p>Latency is recorded in microseconds from the request's <em>intended</em> send time, so the
 * time a request spent waiting for the generator, for a pooled connection or for a stalled server
 * is all inside it. That is the coordinated-omission correction; the values are therefore recorded
 * as they are, never again through {@code recordValueWithExpectedInterval}, which would count the
 * same waiting twice. The second histogram, service time, runs from the moment the request had a
 * connection to the end of the answer: the gap between the two is queueing on our side.
 *
 * <p>Under overload two more counts matter: <em>goodput</em>, the answers that carried a real
 * decision in time (for pings: within the deadline + 10 ms, what a seller can still use), and
 * <em>shed</em>, the requests refused at once with 503 {@code overloaded}, whose latency has a
 * histogram of its own (a shed answer is only useful when it is fast).
 *
 * <p>A stats object may forward everything it records to a second one ({@code alsoTo}): the
 * whole-run stats that span several phases of a rate profile.
 */
public final class OperationStats {
  private final Operation operation;
  private final long deadlineMicros;
  private final Recorder latency = new Recorder(3);
  private final Recorder service = new Recorder(3);
  private final LongAdder sent = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder overDeadline = new LongAdder();
  private final LongAdder overDeadlinePlus10 = new LongAdder();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> unsoldReasons = new ConcurrentHashMap<>();
  private final LongAdder goodput = new LongAdder();
  private final LongAdder shed = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final Recorder shedLatency = new Recorder(3);
  private final OperationStats alsoTo;

  // Monitor thread only.
  private final Histogram totalLatency = new Histogram(3);
  private final Histogram totalService = new Histogram(3);
  private final Histogram totalShed = new Histogram(3);
  private Histogram intervalLatency;
  private Histogram intervalService;
  private Histogram intervalShed;
  private long sentBefore;
  private long completedBefore;
  private long errorsBefore;
  private long goodputBefore;
  private long shedBefore;
  private long timeoutsBefore;

  /** @param deadlineMillis answers later than this count as deadline misses; 0 for none */
  public OperationStats(Operation operation, long deadlineMillis) {
    this(operation, deadlineMillis, null);
  }

  /** @param alsoTo receives everything recorded here as well; null for none */
  public OperationStats(Operation operation, long deadlineMillis, OperationStats alsoTo) {
    this.operation = operation;
    this.deadlineMicros = TimeUnit.MILLISECONDS.toMicros(deadlineMillis);
    this.alsoTo = alsoTo;
  }

  public Operation operation() {
    return operation;
  }

  public void recordSent() {
    sent.increment();
    if (alsoTo != null) {
      alsoTo.recordSent();
    }
  }

  /**
   * @param latencyNanos from the intended send time to the end of the answer (or the failure)
   * @param serviceNanos from having a connection to the end of the answer; negative if it never
   *     had one
   */
  public void recordCompletion(Outcome outcome, long latencyNanos, long serviceNanos) {
    long micros = Math.max(0, latencyNanos / 1_000);
    latency.recordValue(micros);
    if (serviceNanos >= 0) {
      service.recordValue(serviceNanos / 1_000);
    }
    boolean late = false;
    if (deadlineMicros > 0 && micros > deadlineMicros) {
      overDeadline.increment();
      if (micros > deadlineMicros + 10_000) {
        overDeadlinePlus10.increment();
        late = true;
      }
    }
    if (outcome.decision() && !late) {
      goodput.increment();
    } else if (outcome.shed()) {
      shed.increment();
      shedLatency.recordValue(micros);
    } else if (Outcome.TIMEOUT.equals(outcome)) {
      timeouts.increment();
    }
    outcomes.computeIfAbsent(outcome.key(), k -> new LongAdder()).increment();
    if (outcome.reason() != null) {
      unsoldReasons.computeIfAbsent(outcome.reason(), k -> new LongAdder()).increment();
    }
    if (outcome.error()) {
      errors.increment();
    }
    completed.increment();
    if (alsoTo != null) {
      alsoTo.recordCompletion(outcome, latencyNanos, serviceNanos);
    }
  }

  /** Monitor thread: closes the current interval, adds it to the totals and describes it. */
  public IntervalSample closeInterval() {
    intervalLatency = latency.getIntervalHistogram(intervalLatency);
    intervalService = service.getIntervalHistogram(intervalService);
    intervalShed = shedLatency.getIntervalHistogram(intervalShed);
    totalLatency.add(intervalLatency);
    totalService.add(intervalService);
    totalShed.add(intervalShed);
    long sentNow = sent.sum();
    long completedNow = completed.sum();
    long errorsNow = errors.sum();
    long goodputNow = goodput.sum();
    long shedNow = shed.sum();
    long timeoutsNow = timeouts.sum();
    IntervalSample sample = new IntervalSample(sentNow - sentBefore, completedNow - completedBefore,
        errorsNow - errorsBefore, millis(intervalLatency, 50), millis(intervalLatency, 99),
        max(intervalLatency), goodputNow - goodputBefore, shedNow - shedBefore,
        timeoutsNow - timeoutsBefore, millis(intervalShed, 99), max(intervalShed));
    sentBefore = sentNow;
    completedBefore = completedNow;
    errorsBefore = errorsNow;
    goodputBefore = goodputNow;
    shedBefore = shedNow;
    timeoutsBefore = timeoutsNow;
    return sample;
  }

  private static double max(Histogram histogram) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Monitor thread, or anyone after the phase is final: all latencies so far, in µs. */
  public Histogram totalLatency() {
    return totalLatency;
  }

  /** Monitor thread, or anyone after the phase is final: all service times so far, in µs. */
  public Histogram totalService() {
    return totalService;
  }

  /** Monitor thread, or anyone after the phase is final: latencies of the shed ones, in µs. */
  public Histogram totalShed() {
    return totalShed;
  }

  public long sent() {
    return sent.sum();
  }

  /** Answers with a real decision in time (see the class comment). */
  public long goodput() {
    return goodput.sum();
  }

  /** Answers 503 {@code overloaded}. */
  public long shed() {
    return shed.sum();
  }

  public long completed() {
    return completed.sum();
  }

  public long errors() {
    return errors.sum();
  }

  public long overDeadline() {
    return overDeadline.sum();
  }

  public long overDeadlinePlus10() {
    return overDeadlinePlus10.sum();
  }

  public long deadlineMillis() {
    return deadlineMicros / 1000;
  }

  public Map<String, Long> outcomes() {
    return snapshot(outcomes);
  }

  public Map<String, Long> unsoldReasons() {
    return snapshot(unsoldReasons);
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> copy = new TreeMap<>();
    counters.forEach((key, adder) -> copy.put(key, adder.sum()));
    return copy;
  }
}
