package org.leadex.simulator.certify;

import java.util.List;

/**
 * Immutable. One case of the conformance kit: what it checks, what was sent and came back, how the
 * exchange would record it, the verdict and, when not a pass, one line on how to fix it.
 *
 * @param id a stable name, e.g. {@code bid.test_lead}
 * @param title what the case checks, in a sentence
 * @param calls the requests this case judged (an aggregate case lists those that decided it)
 * @param finding the judgement, in a sentence
 * @param fix how to fix the endpoint; null on a pass
 */
public record CaseResult(String id, String title, Verdict verdict, List<Call> calls, String finding, String fix) {

  public CaseResult {
    calls = List.copyOf(calls);
  }

  /**
   * One request and its answer.
   *
   * @param label which request: the case that sent it, e.g. {@code bid.normal #2}
   * @param request the JSON body sent
   * @param recorded what the exchange records for the answer, e.g. {@code error: status 500}
   */
  public record Call(String label, String url, String request, WireAnswer answer, String recorded) {}

  static CaseResult skip(String id, String title, String why) {
    return new CaseResult(id, title, Verdict.SKIP, List.of(), why, null);
  }
}
