package org.leadex.exchange.catalog;

import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.money.Money;

/**
 * How a buyer pays (document field "billing"): postpaid (invoiced afterwards, the default: no
 * wallet) or prepaid from a wallet the admin funds. A prepaid buyer buys only while its wallet's
 * balance, less what is reserved for offers in its hands, plus its credit limit covers the price.
 *
 * @param creditLimit     how far below zero its balance may go (0: never)
 * @param lowBalanceAlert below this balance the buyer is told (once per crossing) and the metric
 *                        {@code exchange_wallet_low} shows 1
 */
public record Billing(boolean prepaid, Money creditLimit, Money lowBalanceAlert) {
  public static final Billing POSTPAID = new Billing(false, Money.ZERO, Money.ZERO);

  static Billing read(DocReader doc) {
    String type = doc.string("type", 16);
    Billing billing;
    if (type.equals("postpaid")) {
      billing = POSTPAID;
    } else if (type.equals("prepaid")) {
      billing = new Billing(true, doc.optMoney("credit_limit").orElse(Money.ZERO),
          doc.optMoney("low_balance_alert").orElse(Money.ZERO));
    } else {
      throw ApiError.validation(doc.path("type"), doc.path("type") + " must be postpaid or prepaid");
    }
    doc.done();
    return billing;
  }
}
