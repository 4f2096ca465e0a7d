package org.leadex.exchange.auction;

import org.leadex.exchange.money.Money;

/**
 * A buyer's standing offer for a lead, in the order the post will try them: its tier, its own bid,
 * and the price it pays if it takes the lead (its bid, or less under second price).
 */
public record Offer(int buyerId, String buyerCode, int tier, Money bid, Money price, String bidId) {}
