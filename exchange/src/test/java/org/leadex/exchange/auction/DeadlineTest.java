package org.leadex.exchange.auction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeadlineTest {
  private static final long MS = 1_000_000L;

  @Test
  void buyersGetTheCampaignTimeoutLessAReserveAndNeverMoreThanTheirOwn() {
    Deadline d = Deadline.of(0, 150); // reserve: 150/20 = 7 ms
    assertEquals(120, d.buyerBudgetMillis(0, 120));
    assertEquals(143, d.buyerBudgetMillis(0, 5_000));
    assertEquals(43, d.buyerBudgetMillis(100 * MS, 5_000));
    assertEquals(0, d.buyerBudgetMillis(200 * MS, 5_000));
    assertEquals(0, d.buyerBudgetMillis(143 * MS, 5_000));
  }

  @Test
  void theReserveIsBetweenTwoAndTenMilliseconds() {
    assertEquals(18, Deadline.of(0, 20).buyerBudgetMillis(0, 1_000));
    assertEquals(990, Deadline.of(0, 1_000).buyerBudgetMillis(0, 5_000));
  }
}
