package org.leadex.simulator.stats;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.leadex.simulator.config.Money;

/**
 * Immutable. A snapshot of one buyer's counts (or of the totals over all buyers).
 *
 * <p>Once no request is in flight: {@code bid_requests = bids + no_bids + hangs + errors.total}
 * and {@code posts = accepted + rejected + abandoned + post_hangs}. A post's outcome is counted
 * when its answer has been written; one whose client had gone is {@code abandoned} and not
 * charged. {@code charged_cents} sums the prices of accepted posts that were not test traffic
 * (those go to {@code test_charged_cents}), exactly, in cents. Requests that were not JSON objects
 * are only counted in {@code bad_requests}. Bid requests that arrived while a storm had the buyer
 * hang are counted only in {@code storm_hangs}: no decision was made for them. Posts of a lead already
 * posted to the buyer, answered as the first time, are counted only in {@code repeated_posts}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "bid_requests", "bids", "no_bids", "no_bids_by_reason", "hangs", "errors", "bad_requests",
  "posts", "accepted", "rejected", "abandoned", "post_hangs", "test_posts",
  "charged_cents", "charged", "test_charged_cents", "storm_hangs", "repeated_posts"
})
public record BuyerStats(
    long bidRequests,
    long bids,
    NoBids noBidsByReason,
    long hangs,
    Errors errors,
    long badRequests,
    long posts,
    long accepted,
    long rejected,
    long abandoned,
    long postHangs,
    long testPosts,
    long chargedCents,
    long testChargedCents,
    long stormHangs,
    long repeatedPosts) {

  /** Why a buyer did not bid. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NoBids(long chance, long preference, long capacity) {
    NoBids plus(NoBids o) {
      return new NoBids(chance + o.chance, preference + o.preference, capacity + o.capacity);
    }

    public long total() {
      return chance + preference + capacity;
    }
  }

  /** Bid answers broken on purpose, by kind. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Errors(@JsonProperty("error_500") long error500, long malformed, long trickle, long reset, long oversized) {
    Errors plus(Errors o) {
      return new Errors(error500 + o.error500, malformed + o.malformed, trickle + o.trickle, reset + o.reset, oversized + o.oversized);
    }

    @JsonProperty("total")
    public long total() {
      return error500 + malformed + trickle + reset + oversized;
    }
  }

  public static final BuyerStats ZERO =
      new BuyerStats(0, 0, new NoBids(0, 0, 0), 0, new Errors(0, 0, 0, 0, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  @JsonProperty("no_bids")
  public long noBids() {
    return noBidsByReason.total();
  }

  /** {@code charged_cents} as dollars, for people reading the JSON. */
  @JsonProperty("charged")
  public Money charged() {
    return Money.ofCents(chargedCents);
  }

  public BuyerStats plus(BuyerStats o) {
    return new BuyerStats(
        bidRequests + o.bidRequests,
        bids + o.bids,
        noBidsByReason.plus(o.noBidsByReason),
        hangs + o.hangs,
        errors.plus(o.errors),
        badRequests + o.badRequests,
        posts + o.posts,
        accepted + o.accepted,
        rejected + o.rejected,
        abandoned + o.abandoned,
        postHangs + o.postHangs,
        testPosts + o.testPosts,
        chargedCents + o.chargedCents,
        testChargedCents + o.testChargedCents,
        stormHangs + o.stormHangs,
        repeatedPosts + o.repeatedPosts);
  }
}
