package org.leadex.simulator.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;

/**
 * Immutable. An amount of US dollars held as whole cents, so that prices and charges are exact.
 *
 * <p>In JSON it is a number with at most two decimals ({@code 14.25}), as the contract says. A
 * value with more decimals is refused rather than rounded: a simulator that silently rounded
 * money would make reconciliation tests pass for the wrong reason.
 */
public record Money(long cents) implements Comparable<Money> {

  public static final Money ZERO = new Money(0);

  public Money {
    if (cents < 0) {
      throw new IllegalArgumentException("money must not be negative, got " + cents + " cents");
    }
  }

  public static Money ofCents(long cents) {
    return new Money(cents);
  }

  /** Parses dollars such as {@code "14.25"}; more than two decimals is an error. */
  public static Money parse(String dollars) {
    try {
      return of(new BigDecimal(dollars.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an amount of money: '" + dollars + "'");
    }
  }

  @JsonCreator
  public static Money of(BigDecimal dollars) {
    if (dollars == null) {
      throw new IllegalArgumentException("money must not be null");
    }
    if (dollars.stripTrailingZeros().scale() > 2) {
      throw new IllegalArgumentException("money has at most 2 decimals, got " + dollars.toPlainString());
    }
    return new Money(dollars.movePointRight(2).longValueExact());
  }

  @JsonValue
  public BigDecimal toDecimal() {
    return BigDecimal.valueOf(cents, 2);
  }

  /** Writes cents as dollars with exactly two decimals, e.g. 1425 → "14.25"; no allocation of BigDecimal. */
  public static String format(long cents) {
    long abs = Math.abs(cents);
    long frac = abs % 100;
    return (cents < 0 ? "-" : "") + (abs / 100) + (frac < 10 ? ".0" : ".") + frac;
  }

  @Override
  public int compareTo(Money other) {
    return Long.compare(cents, other.cents);
  }

  @Override
  public String toString() {
    return format(cents);
  }
}
