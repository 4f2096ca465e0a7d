package org.leadex.exchange.buyers;

import java.math.BigDecimal;
import java.util.Optional;
import org.leadex.exchange.adapters.AdapterResponse;
import org.leadex.exchange.adapters.ResponseRule;
import org.leadex.exchange.adapters.ResponseRules;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.auction.BidOutcome;
import org.leadex.exchange.money.Money;

/**
 * Reads a buyer's answer through its adapter's rules (or a CRM's answer through its webhook's) into the same {@link BidAnswer} or
 * {@link PostAnswer} the buyer protocol gives, so that everything after (auction, delivery, trace,
 * circuit) cannot tell the two apart. Pure.
 *
 * <p>A bid: 204 is no bid; another non-2xx status an error; an {@code accepted} rule that reads a
 * value that does not hold is no bid; otherwise the {@code price} rule must read a number (0: no
 * bid). A post: accepted when a 2xx answer's {@code accepted} rule holds; a rejection otherwise,
 * with the {@code reason} rule's value. An answer whose body is not what its Content-Type says, or
 * in which the deciding rule reads nothing, is {@code unparsable}, recorded with the first 2 KiB of
 * the body (secrets masked).
 */
public final class AdaptedAnswers {
  public static final String UNPARSABLE = "unparsable";

  private AdaptedAnswers() {}

  public static BidAnswer bid(ResponseRules rules, AdapterResponse response, Secrets secrets) {
    if (response.status() == 204) {
      return new BidAnswer(BidOutcome.NO_BID, null, null, null);
    }
    if (!response.success()) {
      return BidAnswer.error("status " + response.status());
    }
    if (response.malformed()) {
      return BidAnswer.error(unparsable(response, secrets, "the body is not the " + response.kind().name()
          + " its Content-Type says"));
    }
    if (rules.accepted().isPresent()) {
      Optional<String> accepted = rules.accepted().get().read(response);
      if (accepted.isPresent() && !rules.accepted().get().holds(accepted)) {
        return new BidAnswer(BidOutcome.NO_BID, null, null, read(rules.reason(), response, secrets));
      }
    }
    Optional<String> price = rules.price().orElseThrow().read(response);
    if (price.isEmpty()) {
      return BidAnswer.error(unparsable(response, secrets, "the price rule reads nothing"));
    }
    BigDecimal amount = decimal(price.get());
    if (amount == null) {
      return BidAnswer.error(unparsable(response, secrets, "the price '" + secrets.mask(price.get()) + "' is not a number"));
    }
    Money sharedBid = null;
    if (rules.sharedPrice().isPresent()) {
      Optional<String> shared = rules.sharedPrice().get().read(response);
      if (shared.isPresent()) {
        BigDecimal sharedAmount = decimal(shared.get());
        Optional<Money> exact = sharedAmount == null || sharedAmount.signum() < 0 ? Optional.empty() : Money.exact(sharedAmount);
        if (exact.isEmpty()) {
          return BidAnswer.error("malformed: shared_price must be a number >= 0 with at most 2 decimals");
        }
        sharedBid = exact.get().cents() == 0 ? null : exact.get();
      }
    }
    if (amount.signum() == 0 && sharedBid == null) {
      return new BidAnswer(BidOutcome.NO_BID, null, null, null);
    }
    if (amount.signum() < 0) {
      return BidAnswer.error("malformed: negative bid");
    }
    Optional<Money> exact = Money.exact(amount);
    if (exact.isEmpty()) {
      return BidAnswer.error("malformed: bid has more than 2 decimals or is out of range");
    }
    return new BidAnswer(BidOutcome.BID, exact.get(), read(rules.reference(), response, secrets), null, sharedBid);
  }

  public static PostAnswer post(ResponseRules rules, AdapterResponse response, Secrets secrets, long latencyMillis) {
    if (!response.success()) {
      String reason = read(rules.reason(), response, secrets);
      return PostAnswer.rejected("status " + response.status() + (reason == null ? "" : ": " + reason), latencyMillis);
    }
    if (response.malformed()) {
      return PostAnswer.rejected(unparsable(response, secrets, "the body is not the " + response.kind().name()
          + " its Content-Type says"), latencyMillis);
    }
    ResponseRule acceptedRule = rules.accepted().orElseThrow();
    Optional<String> accepted = acceptedRule.read(response);
    if (accepted.isEmpty()) {
      return PostAnswer.rejected(unparsable(response, secrets, "the accepted rule reads nothing"), latencyMillis);
    }
    if (acceptedRule.holds(accepted)) {
      return new PostAnswer(true, null, read(rules.reference(), response, secrets), latencyMillis);
    }
    String reason = read(rules.reason(), response, secrets);
    return PostAnswer.rejected(reason == null ? "rejected" : reason, latencyMillis);
  }

  /** The reason an unreadable answer is recorded with: why, then its status, type and first 2 KiB. */
  static String unparsable(AdapterResponse response, Secrets secrets, String why) {
    return UNPARSABLE + ": " + why + " (status " + response.status() + ", "
        + (response.contentType().isEmpty() ? "no Content-Type" : secrets.mask(response.contentType()))
        + "); body: " + response.excerpt(secrets);
  }

  private static String read(Optional<ResponseRule> rule, AdapterResponse response, Secrets secrets) {
    return rule.flatMap(r -> r.read(response)).map(secrets::mask).orElse(null);
  }

  private static BigDecimal decimal(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
