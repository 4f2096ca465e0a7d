package org.leadex.loadtest.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.leadex.loadtest.measure.ConnectionWatch;
import org.leadex.loadtest.measure.PhaseStats;

/**
 * The open-loop load generator: a schedule of intended send times, kept by one thread, and event
 * loops that start each request when its time comes, whatever happened to the earlier ones.
 *
 * <p>Threading: {@link #start}, {@link #run} and {@link #close} are called from an ordinary
 * thread (never an event loop: {@code start} and {@code close} block). The schedule runs on its
 * own platform thread ("loadtest-schedule"), which parks until each intended time and never
 * touches the network; requests run on the event loops of {@link SenderVerticle}; measurements
 * are read by the {@link Monitor} thread.
 */
public final class OpenLoopEngine implements AutoCloseable {
  /** The schedule begins a little after {@link #run}, so the first arrivals are not late. */
  private static final long START_LEAD_NANOS = 20_000_000L;

  private final EngineSettings settings;
  private final Vertx vertx;
  private final List<SenderVerticle> senders;

  private OpenLoopEngine(EngineSettings settings, Vertx vertx, List<SenderVerticle> senders) {
    this.settings = settings;
    this.vertx = vertx;
    this.senders = senders;
  }

  /** Starts the event loops and their HTTP clients. Blocks; call from an ordinary thread. */
  public static OpenLoopEngine start(EngineSettings settings) {
    // Load and initialise the lead and JSON code here rather than on the event loop at the first
    // arrival, where it would show as a start lag of a few hundred milliseconds.
    for (long i = 0; i < 200; i++) {
      settings.bodies().post("prime", settings.leads().lead(i));
      settings.bodies().ping(settings.leads().lead(i));
      settings.bodies().direct(settings.leads().lead(i));
    }
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(settings.eventLoops())
        .setPreferNativeTransport(true));
    List<SenderVerticle> senders = new ArrayList<>();
    List<Future<String>> deployed = new ArrayList<>();
    int loops = settings.eventLoops();
    for (int i = 0; i < loops; i++) {
      // Share the connections out; the first loops take the remainder.
      int share = settings.connections() / loops + (i < settings.connections() % loops ? 1 : 0);
      SenderVerticle sender = new SenderVerticle(settings, Math.max(1, share));
      senders.add(sender);
      deployed.add(vertx.deployVerticle(sender));
    }
    try {
      Future.all(deployed).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("could not start the load generator's event loops", e);
    }
    return new OpenLoopEngine(settings, vertx, senders);
  }

  /** Starts sending the phases, back to back, and returns at once. One run at a time. */
  public Run run(List<Phase> phases) {
    return run(phases, null);
  }

  /**
   * Starts sending the phases, back to back, and returns at once. One run at a time.
   *
   * @param spanName when not null, a span of that name also records every recorded phase: the
   *     whole measured run as one, with one per-second series across its phases ({@link Run#span})
   */
  public Run run(List<Phase> phases, String spanName) {
    PhaseStats span = null;
    if (spanName != null) {
      List<Phase> recorded = phases.stream().filter(Phase::recorded).toList();
      if (recorded.isEmpty()) {
        throw new IllegalArgumentException("a span needs recorded phases");
      }
      Duration length = recorded.stream().map(Phase::duration)
          .reduce(Duration.ZERO, Duration::plus);
      span = new PhaseStats(new Phase(spanName, recorded.get(0).ratePerSecond(), length,
          () -> () -> Long.MAX_VALUE, true), -1, settings.pingDeadlineMillis());
    }
    List<PhaseStats> stats = new ArrayList<>();
    List<CompletableFuture<PhaseStats>> finals = new ArrayList<>();
    for (int i = 0; i < phases.size(); i++) {
      Phase phase = phases.get(i);
      stats.add(new PhaseStats(phase, i, settings.pingDeadlineMillis(),
          phase.recorded() ? span : null));
      finals.add(new CompletableFuture<>());
    }
    senders.forEach(SenderVerticle::resumeFollowUps);
    ConnectionWatch watch = settings.buyerConnectionsUrl() == null
        ? null : ConnectionWatch.start(settings.buyerConnectionsUrl());
    Monitor monitor = new Monitor(settings.progress(), watch);
    Run run = new Run(stats, finals, monitor, senders, span);
    Thread scheduler = new Thread(() -> schedule(run, monitor), "loadtest-schedule");
    scheduler.setDaemon(true);
    run.scheduler = scheduler;
    scheduler.start();
    return run;
  }

  private void schedule(Run run, Monitor monitor) {
    long phaseStart = System.nanoTime() + START_LEAD_NANOS;
    monitor.start(phaseStart);
    long arrivalIndex = 0;
    PhaseStats span = run.spanStats();
    int lastInSpan = -1;
    boolean spanEnded = false;
    for (int p = 0; p < run.phases().size(); p++) {
      if (run.phases().get(p).span() != null) {
        lastInSpan = p;
      }
    }
    for (int p = 0; p < run.phases().size(); p++) {
      PhaseStats stats = run.phases().get(p);
      if (run.stopped()) {
        stats.scheduleEnded(true);
        monitor.skip(stats, run.finals().get(p));
        continue;
      }
      Phase phase = stats.phase();
      long end = phaseStart + phase.durationNanos();
      if (stats.span() != null && !span.wasRun()) {
        span.started(phaseStart);
        monitor.follow(span, run.span());
      }
      stats.started(phaseStart);
      monitor.follow(stats, run.finals().get(p));
      phase.onStart().run();
      Arrivals arrivals = phase.arrivals().get();
      boolean truncated = false;
      while (true) {
        long offset = arrivals.nextOffsetNanos();
        if (offset == Long.MAX_VALUE || offset >= phase.durationNanos()) {
          break;
        }
        long intended = phaseStart + offset;
        if (!sleepUntil(intended, run)) {
          truncated = true;
          break;
        }
        if (arrivalIndex >= settings.maxRequests()) {
          run.stop("reached --max-requests " + settings.maxRequests());
          truncated = true;
          break;
        }
        stats.arrivalDispatched(System.nanoTime());
        senders.get((int) (arrivalIndex % senders.size())).dispatch(stats, arrivalIndex, intended);
        arrivalIndex++;
      }
      if (!truncated && !sleepUntil(end, run)) {
        truncated = true;
      }
      stats.scheduleEnded(truncated);
      if (p == lastInSpan || (span != null && span.wasRun() && truncated && !spanEnded)) {
        span.scheduleEnded(truncated);
        spanEnded = true;
      }
      phaseStart = end;
    }
    if (span != null && !span.wasRun()) {
      span.scheduleEnded(true);
      monitor.skip(span, run.span());
    }
  }

  /** Parks until the given time; false if the run was stopped meanwhile. */
  private static boolean sleepUntil(long deadlineNanos, Run run) {
    long now;
    while ((now = System.nanoTime()) < deadlineNanos) {
      if (run.stopped()) {
        return false;
      }
      LockSupport.parkNanos(Math.min(deadlineNanos - now, 50_000_000L));
    }
    return !run.stopped();
  }

  /** Closes the event loops and their connections. Blocks; call from an ordinary thread. */
  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing is best effort: the process is about to report and exit.
    }
  }
}
