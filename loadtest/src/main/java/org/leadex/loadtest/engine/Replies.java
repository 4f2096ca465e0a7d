package org.leadex.loadtest.engine;

import org.leadex.loadtest.measure.Outcome;
import org.leadex.loadtest.traffic.Answer;
import org.leadex.loadtest.traffic.Operation;

/** Reads an answer of the exchange into the outcome it counts as. Pure. */
final class Replies {
  private Replies() {
  }

  /**
   * @param pingId set only for a ping answered with a bid: the id its post must carry
   * @param answer the answer's fields, null when it was not a JSON object
   */
  record Reply(Outcome outcome, String pingId, Answer answer) {
    Reply(Outcome outcome, String pingId) {
      this(outcome, pingId, null);
    }
  }

  static Reply classify(Operation op, int status, byte[] body) {
    Answer answer = Answer.read(body);
    Reply reply = classify(op, status, answer);
    return new Reply(reply.outcome(), reply.pingId(), answer);
  }

  private static Reply classify(Operation op, int status, Answer answer) {
    if (status < 200 || status > 299) {
      return new Reply(Outcome.http(status, answer == null ? null : answer.error()), null);
    }
    if (answer == null || answer.status() == null) {
      return new Reply(Outcome.BAD_ANSWER, null);
    }
    if (op == Operation.PING) {
      return switch (answer.status()) {
        case "bid" -> answer.pingId() == null
            ? new Reply(Outcome.BAD_ANSWER, null) : new Reply(Outcome.BID, answer.pingId());
        case "no_bid" -> new Reply(Outcome.NO_BID, null);
        default -> new Reply(Outcome.BAD_ANSWER, null);
      };
    }
    return switch (answer.status()) {
      case "sold" -> new Reply(Outcome.SOLD, null);
      case "unsold" -> new Reply(Outcome.unsold(answer.reason()), null);
      default -> new Reply(Outcome.BAD_ANSWER, null);
    };
  }
}
