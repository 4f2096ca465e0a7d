package org.leadex.loadtest.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.measure.Outcome;
import org.leadex.loadtest.traffic.Operation;

class RepliesTest {

  @Test
  void pingAnswersAreBidsNoBidsOrBad() {
    Replies.Reply bid = classify(Operation.PING, 200,
        "{\"ping_id\":\"p1\",\"status\":\"bid\",\"price\":11.20,\"expires_at\":\"x\"}");
    assertEquals(Outcome.BID, bid.outcome());
    assertEquals("p1", bid.pingId());
    assertEquals(Outcome.NO_BID, classify(Operation.PING, 200,
        "{\"ping_id\":\"p2\",\"status\":\"no_bid\",\"reason\":\"duplicate_lead\"}").outcome());
    assertEquals(Outcome.BAD_ANSWER, classify(Operation.PING, 200, "{\"status\":\"bid\"}").outcome(),
        "a bid without a ping id cannot be posted");
    assertEquals(Outcome.BAD_ANSWER, classify(Operation.PING, 200, "<html>").outcome());
    assertEquals(Outcome.BAD_ANSWER, classify(Operation.PING, 200, "").outcome());
  }

  @Test
  void postAnswersAreSoldOrUnsoldWithTheirReason() {
    assertEquals(Outcome.SOLD, classify(Operation.POST, 200,
        "{\"lead_id\":\"l\",\"status\":\"sold\",\"price\":11.2,\"buyers\":1}").outcome());
    Replies.Reply unsold = classify(Operation.DIRECT, 200,
        "{\"lead_id\":\"l\",\"status\":\"unsold\",\"reason\":\"duplicate_lead\"}");
    assertEquals("unsold", unsold.outcome().key());
    assertEquals("duplicate_lead", unsold.outcome().reason());
    assertNull(unsold.pingId());
  }

  @Test
  void errorsAreKeyedByStatusAndCode() {
    Outcome overloaded = classify(Operation.PING, 503,
        "{\"error\":\"overloaded\",\"message\":\"busy\"}").outcome();
    assertEquals("http_503:overloaded", overloaded.key());
    assertEquals(true, overloaded.error());
    assertEquals("http_502", classify(Operation.POST, 502, "Bad gateway").outcome().key());
  }

  private static Replies.Reply classify(Operation op, int status, String body) {
    return Replies.classify(op, status, body.getBytes(StandardCharsets.UTF_8));
  }
}
