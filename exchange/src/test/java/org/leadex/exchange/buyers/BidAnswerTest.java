package org.leadex.exchange.buyers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.auction.BidOutcome;

/** How a buyer's answer to a bid request is read, the good answers and every kind of bad one. */
class BidAnswerTest {

  private static BidAnswer read(String body) {
    return BidAnswer.read(200, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBidWithItsIdAndSharedPrice() {
    BidAnswer answer = read("{\"bid\": 14.25, \"bid_id\": \"b-1\", \"shared_bid\": 6.5, \"note\": {\"x\": [1, 2]}}");
    assertEquals(BidOutcome.BID, answer.outcome());
    assertEquals(1425, answer.bid().cents());
    assertEquals("b-1", answer.bidId());
    assertEquals(650, answer.sharedBid().cents());
    assertEquals(1400, read("{\"bid\": 14}").bid().cents());
    assertNull(read("{\"bid\": 3, \"bid_id\": null, \"shared_bid\": null}").bidId());
  }

  @Test
  void noBid() {
    assertEquals(BidOutcome.NO_BID, BidAnswer.read(204, new byte[0]).outcome());
    assertEquals(BidOutcome.NO_BID, read("{\"bid\": 0}").outcome());
    assertEquals(BidOutcome.NO_BID, read("{\"bid\": 0.00, \"shared_bid\": 0}").outcome());
    BidAnswer sharedOnly = read("{\"bid\": 0, \"shared_bid\": 4.10}");
    assertEquals(BidOutcome.BID, sharedOnly.outcome());
    assertEquals(410, sharedOnly.sharedBid().cents());
  }

  @Test
  void errorsSayWhat() {
    assertEquals("status 500", BidAnswer.read(500, new byte[0]).reason());
    assertEquals("malformed: not JSON", read("").reason());
    assertEquals("malformed: not JSON", read("{\"bid\": 1").reason());
    assertEquals("malformed: not JSON", read("{\"bid\": 1} x").reason(), "trailing garbage");
    assertEquals("malformed: not JSON", read("{\"bid\": 1, \"bid\": 9}").reason(), "a duplicate key");
    assertEquals("malformed: no numeric bid", read("[1]").reason());
    assertEquals("malformed: no numeric bid", read("null").reason());
    assertEquals("malformed: no numeric bid", read("{\"bid\": \"14.25\"}").reason());
    assertEquals("malformed: no numeric bid", read("{\"price\": 14.25}").reason());
    assertEquals("malformed: negative bid", read("{\"bid\": -1}").reason());
    assertEquals("malformed: bid has more than 2 decimals or is out of range", read("{\"bid\": 1.005}").reason());
    assertEquals("malformed: shared_bid must be a number >= 0 with at most 2 decimals",
        read("{\"bid\": 1, \"shared_bid\": \"2\"}").reason());
    assertEquals("malformed: shared_bid must be a number >= 0 with at most 2 decimals",
        read("{\"bid\": 1, \"shared_bid\": -2}").reason());
    assertEquals("malformed: bid_id must be a string of at most 256 characters",
        read("{\"bid\": 1, \"bid_id\": 7}").reason());
    assertEquals("malformed: bid_id must be a string of at most 256 characters",
        read("{\"bid\": 1, \"bid_id\": \"" + "x".repeat(257) + "\"}").reason());
  }
}
