package org.leadex.loadtest.engine;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.leadex.loadtest.measure.ConnectionWatch;
import org.leadex.loadtest.measure.IntervalSample;
import org.leadex.loadtest.measure.OperationStats;
import org.leadex.loadtest.measure.PhaseStats;
import org.leadex.loadtest.measure.SecondSample;
import org.leadex.loadtest.traffic.Operation;

/**
 * Once a second, closes the interval of every phase still running or draining, and prints the
 * live line for the newest one. Also makes a phase final once it has drained.
 *
 * <p>Threading: everything runs on its own single thread ("loadtest-monitor"), the only reader of
 * the phases' recorders; other threads only submit to it.
 */
final class Monitor implements AutoCloseable {
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "loadtest-monitor");
    t.setDaemon(true);
    return t;
  });
  private final PrintStream progress;
  private final ConnectionWatch buyerConnections;
  private final List<PhaseStats> active = new ArrayList<>();
  private long runStartNanos;

  /** @param buyerConnections the buyers' connection count to follow, or null */
  Monitor(PrintStream progress, ConnectionWatch buyerConnections) {
    this.progress = progress;
    this.buyerConnections = buyerConnections;
  }

  private long buyerConnections() {
    return buyerConnections == null ? -1 : buyerConnections.opened();
  }

  void start(long runStartNanos) {
    thread.execute(() -> this.runStartNanos = runStartNanos);
    long firstTick = Math.max(0, runStartNanos + 1_000_000_000L - System.nanoTime());
    thread.scheduleAtFixedRate(this::tick, firstTick, 1_000_000_000L, TimeUnit.NANOSECONDS);
  }

  /** Any thread: follow this phase from now on; {@code whenFinal} completes once it is final. */
  void follow(PhaseStats phase, CompletableFuture<PhaseStats> whenFinal) {
    thread.execute(() -> {
      phase.cpuMark(processCpuNanos(), System.nanoTime(), true);
      phase.buyerConnectionsMark(buyerConnections());
      active.add(phase);
      phase.drained().thenRun(() -> thread.execute(() -> finish(phase, whenFinal)));
    });
  }

  /** Any thread: a phase that never started is final at once, with nothing in it. */
  void skip(PhaseStats phase, CompletableFuture<PhaseStats> whenFinal) {
    thread.execute(() -> whenFinal.complete(phase));
  }

  private void finish(PhaseStats phase, CompletableFuture<PhaseStats> whenFinal) {
    long now = System.nanoTime();
    phase.closeInterval(now, buyerConnections());
    phase.cpuMark(processCpuNanos(), now, false);
    active.remove(phase);
    whenFinal.complete(phase);
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      SecondSample newest = null;
      PhaseStats newestPhase = null;
      long connections = buyerConnections();
      for (PhaseStats phase : active) {
        SecondSample sample = phase.closeInterval(now, connections);
        if (newestPhase == null || phase.index() > newestPhase.index()) {
          newest = sample;
          newestPhase = phase;
        }
      }
      if (progress != null && newestPhase != null) {
        progress.println(line(now, newestPhase, newest));
      }
    } catch (RuntimeException e) {
      if (progress != null) {
        progress.println("monitor: " + e);
      }
    }
  }

  private String line(long now, PhaseStats phase, SecondSample sample) {
    StringBuilder line = new StringBuilder(160);
    long sent = 0;
    long errors = 0;
    for (Operation op : Operation.values()) {
      OperationStats stats = phase.operation(op);
      sent += stats.sent();
      errors += stats.errors();
    }
    long arrivals = sample.operations().get(Operation.PING.label()).sent()
        + sample.operations().get(Operation.DIRECT.label()).sent();
    line.append(String.format(Locale.ROOT, "[%4.0fs] %s %.0f/%.0fs | ",
        (now - runStartNanos) / 1e9, phase.phase().name(), Math.max(0, sample.atSeconds()),
        phase.phase().duration().toMillis() / 1000.0));
    if (sample.lengthSeconds() >= 0.2) {
      line.append(String.format(Locale.ROOT, "%.0f arrivals/s", arrivals / sample.lengthSeconds()));
    } else {
      line.append("-- arrivals/s");
    }
    line.append(String.format(Locale.ROOT, " (target %.0f) | sent %d |",
        phase.phase().ratePerSecond(), sent));
    for (Operation op : Operation.values()) {
      IntervalSample s = sample.operations().get(op.label());
      if (s.completed() > 0) {
        line.append(String.format(Locale.ROOT, " %s p99 %.1f ms |", op.label(), s.p99Ms()));
      }
    }
    IntervalSample pings = sample.operations().get(Operation.PING.label());
    if (pings.shed() > 0 || phase.operation(Operation.PING).shed() > 0) {
      line.append(String.format(Locale.ROOT, " ping goodput %d, shed %d (p99 %.1f ms) |",
          pings.goodput(), pings.shed(), pings.shedP99Ms()));
    }
    if (sample.buyerConnectionsOpened() >= 0) {
      line.append(" buyer connections +").append(sample.buyerConnectionsOpened()).append(" |");
    }
    line.append(" errors ").append(errors).append(" | in flight ").append(phase.inFlight());
    return line.toString();
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  @Override
  public void close() {
    thread.shutdownNow();
    if (buyerConnections != null) {
      buyerConnections.close();
    }
  }
}
