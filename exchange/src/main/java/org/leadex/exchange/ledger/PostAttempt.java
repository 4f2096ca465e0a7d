package org.leadex.exchange.ledger;

import java.time.Instant;
import org.leadex.exchange.money.Money;

/** One delivery of a lead to one buyer and its answer. */
public record PostAttempt(int buyerId, String buyerCode, Money price, boolean accepted, long latencyMillis,
                          String reason, String reference, Instant at) {}
