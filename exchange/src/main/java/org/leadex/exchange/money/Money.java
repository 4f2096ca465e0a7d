package org.leadex.exchange.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of US dollars held as integer cents. Money enters as a JSON decimal with at most two
 * places, is summed as cents, and leaves as a two-place decimal; it is never a floating-point value.
 */
public record Money(long cents) implements Comparable<Money> {
  public static final Money ZERO = new Money(0);
  public static final Money ONE_CENT = new Money(1);
  /** Large enough for any price or budget, small enough that sums of many never overflow a long. */
  public static final long MAX_CENTS = 100_000_000_00L;

  public static Money ofCents(long cents) {
    return new Money(cents);
  }

  /**
   * The exact amount of a decimal, or empty when it has more than two decimal places (12.345) or is
   * out of range. Trailing zeros do not count as places: 12.50 and 12.500 are both 12.5.
   */
  public static java.util.Optional<Money> exact(BigDecimal dollars) {
    BigDecimal stripped = dollars.stripTrailingZeros();
    if (stripped.scale() > 2) {
      return java.util.Optional.empty();
    }
    BigDecimal cents = dollars.movePointRight(2);
    if (cents.abs().compareTo(BigDecimal.valueOf(MAX_CENTS)) > 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Money(cents.longValueExact()));
  }

  public BigDecimal toDecimal() {
    return BigDecimal.valueOf(cents, 2);
  }

  public Money plus(Money other) {
    return new Money(Math.addExact(cents, other.cents));
  }

  /** This amount times percent/100, rounded half-up to the cent (the seller's revenue share). */
  public Money percent(BigDecimal percent) {
    BigDecimal result = BigDecimal.valueOf(cents).multiply(percent).divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP);
    return new Money(result.longValueExact());
  }

  public static Money max(Money a, Money b) {
    return a.cents >= b.cents ? a : b;
  }

  public static Money min(Money a, Money b) {
    return a.cents <= b.cents ? a : b;
  }

  @Override
  public int compareTo(Money other) {
    return Long.compare(cents, other.cents);
  }

  @Override
  public String toString() {
    return toDecimal().toPlainString();
  }
}
