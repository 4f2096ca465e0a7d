package org.leadex.exchange.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.leadex.exchange.json.Json;
import org.leadex.exchange.money.Money;

/**
 * Renders a revenue report as the contract's JSON ({@code from, to, group_by, rows, totals}) or as
 * CSV (a header row with the same names, one line per row, then a totals line whose first cell is
 * {@code total}). Money is a two-place decimal from cents; ratios are exact 4-place decimals.
 */
public final class RevenueWriter {
  /** The figures' names, in the order of the contract, then the conversion analytics this exchange adds. */
  static final List<String> COLUMNS = List.of("pings", "bids", "posts", "sold", "sales", "returned",
      "gross_revenue", "refunds", "net_revenue", "seller_payout", "margin", "revenue_per_lead", "fill_rate",
      "contacted", "qualified", "converted", "conversion_rate");

  private RevenueWriter() {}

  public static ObjectNode json(RevenueReport.Table table) {
    ObjectNode out = Json.object();
    out.put("from", table.period().from().toString());
    out.put("to", table.period().to().toString());
    ArrayNode groupBy = out.putArray("group_by");
    table.groupBy().forEach(k -> groupBy.add(k.wire()));
    ArrayNode rows = out.putArray("rows");
    for (RevenueReport.GroupRow row : table.rows()) {
      ObjectNode node = rows.addObject();
      for (int i = 0; i < table.groupBy().size(); i++) {
        node.put(table.groupBy().get(i).wire(), row.group().get(i));
      }
      figures(node, row.figures());
    }
    figures(out.putObject("totals"), table.totals());
    return out;
  }

  public static String csv(RevenueReport.Table table) {
    Csv csv = new Csv();
    List<String> header = new ArrayList<>();
    table.groupBy().forEach(k -> header.add(k.wire()));
    header.addAll(COLUMNS);
    csv.row(header);
    for (RevenueReport.GroupRow row : table.rows()) {
      List<String> cells = new ArrayList<>(row.group());
      cells.addAll(cells(row.figures()));
      csv.row(cells);
    }
    if (!table.groupBy().isEmpty()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < table.groupBy().size(); i++) {
        cells.add(i == 0 ? "total" : "");
      }
      cells.addAll(cells(table.totals()));
      csv.row(cells);
    }
    return csv.toString();
  }

  private static void figures(ObjectNode node, RevenueFigures f) {
    node.put("pings", f.pings());
    node.put("bids", f.bids());
    node.put("posts", f.posts());
    node.put("sold", f.sold());
    node.put("sales", f.sales());
    node.put("returned", f.returned());
    node.put("gross_revenue", f.grossRevenue().toDecimal());
    node.put("refunds", f.refunds().toDecimal());
    node.put("net_revenue", f.netRevenue().toDecimal());
    node.put("seller_payout", f.sellerPayout().toDecimal());
    node.put("margin", f.margin().toDecimal());
    putMoney(node, "revenue_per_lead", f.revenuePerLead());
    node.put("fill_rate", f.fillRate());
    node.put("contacted", f.contacted());
    node.put("qualified", f.qualified());
    node.put("converted", f.converted());
    node.put("conversion_rate", f.conversionRate());
  }

  private static List<String> cells(RevenueFigures f) {
    return List.of(Long.toString(f.pings()), Long.toString(f.bids()), Long.toString(f.posts()),
        Long.toString(f.sold()), Long.toString(f.sales()), Long.toString(f.returned()), f.grossRevenue().toString(),
        f.refunds().toString(), f.netRevenue().toString(), f.sellerPayout().toString(), f.margin().toString(),
        text(f.revenuePerLead()), text(f.fillRate()), Long.toString(f.contacted()), Long.toString(f.qualified()),
        Long.toString(f.converted()), text(f.conversionRate()));
  }

  private static void putMoney(ObjectNode node, String name, Money money) {
    if (money == null) {
      node.putNull(name);
    } else {
      node.put(name, money.toDecimal());
    }
  }

  private static String text(Money money) {
    return money == null ? "" : money.toString();
  }

  private static String text(BigDecimal ratio) {
    return ratio == null ? "" : ratio.toPlainString();
  }
}
