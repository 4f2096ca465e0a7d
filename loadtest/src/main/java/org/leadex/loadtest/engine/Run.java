package org.leadex.loadtest.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.leadex.loadtest.measure.PhaseStats;

/**
 * A run in progress: its phases, and a future per phase that completes once that phase is final
 * (its schedule over and every request it started answered, failed or timed out). Thread safe.
 */
public final class Run {
  private final List<PhaseStats> phases;
  private final List<CompletableFuture<PhaseStats>> finals;
  private final Monitor monitor;
  private final List<SenderVerticle> senders;
  private final CompletableFuture<List<PhaseStats>> all;
  private final PhaseStats spanStats;
  private final CompletableFuture<PhaseStats> span;
  private volatile String stopReason;
  volatile Thread scheduler;

  Run(List<PhaseStats> phases, List<CompletableFuture<PhaseStats>> finals, Monitor monitor,
      List<SenderVerticle> senders, PhaseStats spanStats) {
    this.phases = List.copyOf(phases);
    this.finals = List.copyOf(finals);
    this.monitor = monitor;
    this.senders = senders;
    this.spanStats = spanStats;
    this.span = spanStats == null ? null : new CompletableFuture<>();
    List<CompletableFuture<?>> waitFor = new java.util.ArrayList<>(finals);
    if (span != null) {
      waitFor.add(span);
    }
    this.all = CompletableFuture.allOf(waitFor.toArray(CompletableFuture[]::new))
        .thenApply(v -> this.phases);
    all.whenComplete((v, e) -> monitor.close());
  }

  public List<PhaseStats> phases() {
    return phases;
  }

  /** One future per phase, in order, completing with the final measurements. */
  public List<CompletableFuture<PhaseStats>> finals() {
    return finals;
  }

  /**
   * The span over the recorded phases (see {@link OpenLoopEngine#run(List, String)}), completing
   * once all of them are final; null when the run has none.
   */
  public CompletableFuture<PhaseStats> span() {
    return span;
  }

  PhaseStats spanStats() {
    return spanStats;
  }

  /** Completes when every phase is final. */
  public CompletableFuture<List<PhaseStats>> finished() {
    return all;
  }

  /**
   * Stops the schedule: no new arrivals and no new posts. Requests in flight still end (answered
   * or timed out), so the measurements stay whole; the current phase is marked truncated and the
   * phases after it are never run. The first reason given is kept.
   */
  public void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
    senders.forEach(SenderVerticle::stopFollowUps);
    Thread thread = scheduler;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  public boolean stopped() {
    return stopReason != null;
  }

  /** Why the run was stopped early, or null. */
  public String stopReason() {
    return stopReason;
  }
}
