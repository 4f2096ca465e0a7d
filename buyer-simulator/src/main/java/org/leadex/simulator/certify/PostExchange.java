package org.leadex.simulator.certify;

/**
 * Immutable. One post the kit sent, what came back and how the exchange reads it.
 *
 * @param byRules read by an adapter's response rules (any format) rather than as the protocol's JSON
 */
public record PostExchange(String label, String url, String request, WireAnswer answer, PostReading reading,
                           boolean byRules) {

  public PostExchange(String label, String url, String request, WireAnswer answer, PostReading reading) {
    this(label, url, request, answer, reading, false);
  }

  public CaseResult.Call call() {
    return new CaseResult.Call(label, url, request, answer, reading.recorded());
  }
}
