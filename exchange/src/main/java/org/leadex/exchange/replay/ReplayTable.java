package org.leadex.exchange.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A replay's answer as text for a terminal: the actual and replayed figures side by side with the
 * difference, then a bar chart of each buyer's gross, actual against replayed, then the
 * assumptions. Pure.
 */
public final class ReplayTable {
  private static final int BAR_WIDTH = 40;
  private static final String[] FIGURES = {"pings", "posted", "sold", "sales", "gross", "payout", "margin"};

  private ReplayTable() {}

  public static String render(JsonNode answer) {
    StringBuilder out = new StringBuilder();
    out.append("replay of ").append(answer.path("campaign").asText()).append(", ").append(answer.path("from").asText())
        .append(" to ").append(answer.path("to").asText()).append(", changes ").append(answer.path("changes"))
        .append('\n').append('\n');
    JsonNode actual = answer.path("actual");
    JsonNode replayed = answer.path("replayed");
    out.append(String.format("%-10s %14s %14s %14s%n", "", "actual", "replayed", "difference"));
    for (String figure : FIGURES) {
      BigDecimal a = actual.path(figure).decimalValue();
      BigDecimal r = replayed.path(figure).decimalValue();
      BigDecimal d = r.subtract(a);
      out.append(String.format("%-10s %14s %14s %14s%n", figure, a.toPlainString(), r.toPlainString(),
          (d.signum() > 0 ? "+" : "") + d.toPlainString()));
    }
    out.append('\n').append("gross by buyer (█ actual, ░ replayed)").append('\n');
    TreeSet<String> buyers = new TreeSet<>();
    actual.path("buyers").fieldNames().forEachRemaining(buyers::add);
    replayed.path("buyers").fieldNames().forEachRemaining(buyers::add);
    BigDecimal max = BigDecimal.ZERO;
    List<BigDecimal[]> rows = new ArrayList<>();
    for (String buyer : buyers) {
      BigDecimal a = actual.path("buyers").path(buyer).path("gross").decimalValue();
      BigDecimal r = replayed.path("buyers").path(buyer).path("gross").decimalValue();
      rows.add(new BigDecimal[] {a, r});
      max = max.max(a).max(r);
    }
    int i = 0;
    for (String buyer : buyers) {
      BigDecimal[] row = rows.get(i++);
      out.append(String.format("%-12s %s %s%n", buyer, bar(row[0], max, '█'), row[0].toPlainString()));
      out.append(String.format("%-12s %s %s%n", "", bar(row[1], max, '░'), row[1].toPlainString()));
    }
    out.append('\n').append("changed leads: ").append(answer.path("changed_leads").asLong()).append('\n');
    out.append("assumptions:").append('\n');
    answer.path("assumptions").forEach(a -> out.append("  - ").append(a.asText()).append('\n'));
    return out.toString();
  }

  private static String bar(BigDecimal value, BigDecimal max, char block) {
    int n = max.signum() == 0 ? 0 : value.multiply(BigDecimal.valueOf(BAR_WIDTH)).divide(max, 0,
        java.math.RoundingMode.HALF_UP).intValue();
    return String.valueOf(block).repeat(n) + " ".repeat(BAR_WIDTH - n);
  }
}
