package org.leadex.exchange.catalog;

import java.math.BigDecimal;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.money.Money;
import org.leadex.exchange.api.ApiError;

/** How a seller is paid for a lead sold: a share of what the buyer pays, or a fixed amount. */
public sealed interface Payout {

  /** The seller's payout on one sale at the given buyer price, rounded half-up to the cent. */
  Money sellerPrice(Money buyerPrice);

  /** The least a buyer must pay for the exchange not to sell at a loss. */
  Money minimumBuyerPrice();

  /**
   * The seller's payout on a lead shared at these prices: a revenue share of each sale (each
   * rounded as its sale records it), or a fixed payout once per lead.
   */
  default Money sharedPayout(java.util.List<Money> prices) {
    if (prices.isEmpty()) {
      return Money.ZERO;
    }
    if (this instanceof Fixed fixed) {
      return fixed.amount();
    }
    Money sum = Money.ZERO;
    for (Money price : prices) {
      sum = sum.plus(sellerPrice(price));
    }
    return sum;
  }

  record RevenueShare(BigDecimal percent) implements Payout {
    @Override
    public Money sellerPrice(Money buyerPrice) {
      return buyerPrice.percent(percent);
    }

    @Override
    public Money minimumBuyerPrice() {
      return Money.ZERO;
    }
  }

  record Fixed(Money amount) implements Payout {
    @Override
    public Money sellerPrice(Money buyerPrice) {
      return amount;
    }

    @Override
    public Money minimumBuyerPrice() {
      return amount;
    }
  }

  static Payout read(DocReader doc) {
    String type = doc.string("type", 32);
    Payout payout = switch (type) {
      case "revenue_share" -> new RevenueShare(doc.optDecimal("percent", BigDecimal.ZERO, BigDecimal.valueOf(100))
          .orElseThrow(() -> doc.missing("percent")));
      case "fixed" -> new Fixed(doc.optMoney("amount").orElseThrow(() -> doc.missing("amount")));
      default -> throw ApiError.validation(doc.path("type"), doc.path("type") + " must be revenue_share or fixed");
    };
    if (payout instanceof RevenueShare share && share.percent().stripTrailingZeros().scale() > 4) {
      throw ApiError.validation(doc.path("percent"), doc.path("percent") + " must have at most 4 decimal places");
    }
    doc.done();
    return payout;
  }
}
