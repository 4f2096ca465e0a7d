package org.leadex.loadtest.measure;

import java.util.Map;

/**
 * A phase's numbers over one monitor interval.
 *
 * @param atSeconds end of the interval, in seconds since the phase's start
 * @param lengthSeconds how long the interval really was (the monitor's timer is not exact)
 * @param operations per operation label ({@code ping}, {@code post}, {@code direct})
 * @param buyerConnectionsOpened TCP connections the buyers accepted in the interval (the server
 *     under test opening connections to them), when the generator watches the buyer simulator's
 *     counter ({@code --buyer-connections-url}); -1 when unknown
 */
public record SecondSample(double atSeconds, double lengthSeconds,
    Map<String, IntervalSample> operations, long buyerConnectionsOpened) {

  public long sent() {
    return operations.values().stream().mapToLong(IntervalSample::sent).sum();
  }

  public long completed() {
    return operations.values().stream().mapToLong(IntervalSample::completed).sum();
  }

  public long errors() {
    return operations.values().stream().mapToLong(IntervalSample::errors).sum();
  }

  public long goodput() {
    return operations.values().stream().mapToLong(IntervalSample::goodput).sum();
  }

  public long shed() {
    return operations.values().stream().mapToLong(IntervalSample::shed).sum();
  }

  public long timeouts() {
    return operations.values().stream().mapToLong(IntervalSample::timeouts).sum();
  }
}
