package org.leadex.exchange.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
  @Test
  void readsAtMostTwoDecimalsExactly() {
    assertEquals(1425, Money.exact(new BigDecimal("14.25")).orElseThrow().cents());
    assertEquals(1250, Money.exact(new BigDecimal("12.500")).orElseThrow().cents());
    assertTrue(Money.exact(new BigDecimal("12.345")).isEmpty());
    assertTrue(Money.exact(new BigDecimal("1e20")).isEmpty());
  }

  @Test
  void sharesRoundHalfUpToTheCent() {
    assertEquals(865, Money.ofCents(1235).percent(BigDecimal.valueOf(70)).cents()); // 8.645 -> 8.65
    assertEquals(801, Money.ofCents(1001).percent(BigDecimal.valueOf(80)).cents()); // 8.008 -> 8.01
    assertEquals(1, Money.ofCents(1).percent(new BigDecimal("50")).cents());          // 0.005 -> 0.01
    assertEquals(0, Money.ofCents(1).percent(new BigDecimal("49.99")).cents());
  }

  @Test
  void printsTwoPlaces() {
    assertEquals("12.40", Money.ofCents(1240).toDecimal().toPlainString());
  }
}
