package org.leadex.simulator.certify;

/** Immutable. One post the kit sent, what came back and how the exchange reads it. */
record PostExchange(String label, String url, String request, WireAnswer answer, PostReading reading) {

  CaseResult.Call call() {
    return new CaseResult.Call(label, url, request, answer, reading.recorded());
  }
}
