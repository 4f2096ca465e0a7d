package org.leadex.loadtest.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leadex.loadtest.reference.BuyerAnswer.Kind;

class FanOutTest {
  private final List<Long> ends = new ArrayList<>();

  @Test
  void endsWhenEveryBuyerAnsweredWithTheHighestBid() {
    FanOut fanOut = new FanOut(3, ends::add);
    fanOut.settle(new BuyerAnswer(Kind.BID, 500));
    fanOut.settle(BuyerAnswer.MALFORMED);
    assertFalse(fanOut.ended());
    fanOut.settle(new BuyerAnswer(Kind.BID, 725));
    assertTrue(fanOut.ended());
    assertEquals(List.of(725L), ends);
  }

  @Test
  void theDeadlineEndsItWithWhatCameInTimeAndLaterAnswersAreIgnored() {
    FanOut fanOut = new FanOut(3, ends::add);
    fanOut.settle(new BuyerAnswer(Kind.BID, 300));
    fanOut.deadlinePassed();
    fanOut.settle(new BuyerAnswer(Kind.BID, 9_900));
    fanOut.deadlinePassed();
    assertEquals(List.of(300L), ends, "ended once, with the bid that was in time");
  }

  @Test
  void noBidWhenNobodyBidsOrThereAreNoBuyers() {
    FanOut fanOut = new FanOut(2, ends::add);
    fanOut.settle(BuyerAnswer.NO_BID);
    fanOut.settle(BuyerAnswer.HTTP_ERROR);
    new FanOut(0, ends::add);
    assertEquals(List.of(FanOut.NO_BID, FanOut.NO_BID), ends);
  }
}
