package org.leadex.exchange.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * One party's statement for a period, read from the ledger of money events: the balance before the
 * period, each day's credits and debits, and the balance after. A seller's statement is its payout
 * statement (payouts earned, clawbacks for returned leads); a buyer's is its spend statement
 * (charges for leads bought, refunds for returns). Amounts are signed from the party's side: the
 * balance is what the exchange owes the party, so a buyer's is negative (it owes for its leads).
 *
 * <p>Statements go by the day money moved ({@code money_events.at}): a December return of a
 * November sale is on December's statement, while the revenue report puts it on November's row.
 */
public final class Statement {
  /** Whose statement, and which ledger kinds credit and debit it. */
  public enum Party {
    SELLER("seller_id", "payout", "clawback", "payouts", "clawbacks"),
    BUYER("buyer_id", "refund", "sale", "refunds", "charges");

    final String column;
    final String creditKind;
    final String debitKind;
    final String creditName;
    final String debitName;

    Party(String column, String creditKind, String debitKind, String creditName, String debitName) {
      this.column = column;
      this.creditKind = creditKind;
      this.debitKind = debitKind;
      this.creditName = creditName;
      this.debitName = debitName;
    }
  }

  /** One day of the statement. */
  public record Day(String day, long credits, long creditCents, long debits, long debitCents) {}

  public record Result(Party party, String id, ReportPeriod period, Money opening, List<Day> days) {
    public Money credits() {
      return Money.ofCents(days.stream().mapToLong(Day::creditCents).sum());
    }

    public Money debits() {
      return Money.ofCents(days.stream().mapToLong(Day::debitCents).sum());
    }

    public Money closing() {
      return Money.ofCents(opening.cents() + credits().cents() - debits().cents());
    }
  }

  private final Pool pool;

  public Statement(Pool pool) {
    this.pool = pool;
  }

  public Future<Result> run(Party party, int partyId, String code, ReportPeriod period) {
    String opening = "select coalesce(sum(case when kind = $2 then amount_cents else -amount_cents end), 0)"
        + " from money_events where " + party.column + " = $1 and not test and kind in ($2, $3) and at < $4";
    String days = "select (at at time zone 'UTC')::date,"
        + " count(*) filter (where kind = $2), coalesce(sum(amount_cents) filter (where kind = $2), 0),"
        + " count(*) filter (where kind = $3), coalesce(sum(amount_cents) filter (where kind = $3), 0)"
        + " from money_events where " + party.column + " = $1 and not test and kind in ($2, $3)"
        + " and at >= $4 and at < $5 group by 1 order by 1";
    return pool.preparedQuery(opening).execute(Tuple.of(partyId, party.creditKind, party.debitKind, period.start()))
        .compose(o -> pool.preparedQuery(days)
            .execute(Tuple.of(partyId, party.creditKind, party.debitKind, period.start(), period.end()))
            .map(rows -> {
              List<Day> list = new ArrayList<>();
              for (Row r : rows) {
                list.add(new Day(r.getLocalDate(0).toString(), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
              }
              return new Result(party, code, period, Money.ofCents(o.iterator().next().getLong(0)), list);
            }));
  }

  public static ObjectNode json(Result result) {
    ObjectNode out = Json.object();
    Party party = result.party();
    out.put(party == Party.SELLER ? "seller" : "buyer", result.id());
    out.put("from", result.period().from().toString());
    out.put("to", result.period().to().toString());
    out.put("opening_balance", result.opening().toDecimal());
    out.put(party.creditName, result.credits().toDecimal());
    out.put(party.debitName, result.debits().toDecimal());
    out.put("closing_balance", result.closing().toDecimal());
    ArrayNode days = out.putArray("days");
    long balance = result.opening().cents();
    for (Day d : result.days()) {
      balance += d.creditCents() - d.debitCents();
      ObjectNode row = days.addObject();
      row.put("day", d.day());
      row.put(countName(party.creditName), d.credits());
      row.put(party.creditName, Money.ofCents(d.creditCents()).toDecimal());
      row.put(countName(party.debitName), d.debits());
      row.put(party.debitName, Money.ofCents(d.debitCents()).toDecimal());
      row.put("net", Money.ofCents(d.creditCents() - d.debitCents()).toDecimal());
      row.put("balance", Money.ofCents(balance).toDecimal());
    }
    return out;
  }

  /**
   * One line per day with the running balance at its end, then a {@code total} line whose balance is
   * the closing balance (the opening balance is the first day's balance less its net).
   */
  public static String csv(Result result) {
    Party party = result.party();
    Csv csv = new Csv();
    csv.row(List.of("day", countName(party.creditName), party.creditName, countName(party.debitName),
        party.debitName, "net", "balance"));
    long credits = 0;
    long debits = 0;
    long balance = result.opening().cents();
    for (Day d : result.days()) {
      credits += d.credits();
      debits += d.debits();
      balance += d.creditCents() - d.debitCents();
      csv.row(List.of(d.day(), Long.toString(d.credits()), Money.ofCents(d.creditCents()).toString(),
          Long.toString(d.debits()), Money.ofCents(d.debitCents()).toString(),
          Money.ofCents(d.creditCents() - d.debitCents()).toString(), Money.ofCents(balance).toString()));
    }
    csv.row(List.of("total", Long.toString(credits), result.credits().toString(), Long.toString(debits),
        result.debits().toString(), Money.ofCents(result.credits().cents() - result.debits().cents()).toString(),
        result.closing().toString()));
    return csv.toString();
  }

  private static String countName(String amountName) {
    return amountName.substring(0, amountName.length() - 1) + "_count";
  }
}
