package org.leadex.exchange.reports;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The revenue-per-lead report: three grouped queries, merged by group. Pings and bids come from the
 * daily rollup (the ping time series itself is dropped after its retention); posts from leads; sold,
 * sales, returns, money and feedback counts from sales, which carry their lead's ping time and keys.
 * Each reads its period through one index, with no join. Every query attributes a row to its
 * ping's UTC day and excludes test traffic. The money
 * columns read the sale rows, whose price and payout are written in the same transaction as the
 * ledger's sale and payout events, and whose return stamp in the same transaction as the refund
 * and clawback: the report reconciles with {@code money_events} by construction, and a test checks it.
 */
public final class RevenueReport {
  /** One row: its group values (codes, source, ISO day; in group_by order; null: no buyer) and its figures. */
  public record GroupRow(List<String> group, RevenueFigures figures) {}

  /** The answer: rows ordered by their group values, and the totals. */
  public record Table(ReportPeriod period, List<GroupKey> groupBy, List<GroupRow> rows, RevenueFigures totals) {}

  private final Pool pool;

  public RevenueReport(Pool pool) {
    this.pool = pool;
  }

  public Future<Table> run(ReportPeriod period, List<GroupKey> groupBy, ReportLabels labels) {
    Tuple days = Tuple.of(period.from(), period.to());
    Tuple instants = Tuple.of(period.start(), period.end());
    Map<List<String>, RevenueFigures> groups = new TreeMap<>(GROUP_ORDER);
    Grouper grouper = new Grouper(groupBy, labels, groups);
    String rollup = "select " + select(groupBy, GroupKey::rollupColumn) + "coalesce(sum(pings), 0), coalesce(sum(bids), 0) from ping_daily"
        + " where day between $1 and $2" + groupClause(groupBy);
    String posts = "select " + select(groupBy, GroupKey::leadColumn) + "count(*) from leads l"
        + " where not l.test and l.ping_received_at >= $1 and l.ping_received_at < $2" + groupClause(groupBy);
    String sales = "select " + select(groupBy, GroupKey::saleColumn) + "count(distinct s.lead_id), count(*),"
        + " count(s.returned_at), coalesce(sum(s.price_cents), 0),"
        + " coalesce(sum(s.price_cents) filter (where s.returned_at is not null), 0),"
        + " coalesce(sum(s.seller_payout_cents), 0),"
        + " coalesce(sum(s.seller_payout_cents) filter (where s.returned_at is not null), 0),"
        + " count(s.contacted_at), count(s.qualified_at), count(s.converted_at)"
        + " from sales s where not s.test and s.ping_received_at >= $1 and s.ping_received_at < $2"
        + groupClause(groupBy);
    int n = groupBy.size();
    return query(rollup, days, grouper, (f, r) -> {
      f.pings += r.getLong(n);
      f.bids += r.getLong(n + 1);
    }).compose(v -> query(posts, instants, grouper, (f, r) -> f.posts += r.getLong(n)))
        .compose(v -> query(sales, instants, grouper, (f, r) -> {
          f.sold += r.getLong(n);
          f.sales += r.getLong(n + 1);
          f.returned += r.getLong(n + 2);
          f.grossCents += r.getLong(n + 3);
          f.refundCents += r.getLong(n + 4);
          f.payoutCents += r.getLong(n + 5);
          f.clawbackCents += r.getLong(n + 6);
          f.contacted += r.getLong(n + 7);
          f.qualified += r.getLong(n + 8);
          f.converted += r.getLong(n + 9);
        }))
        .map(v -> {
          List<GroupRow> rows = new ArrayList<>();
          RevenueFigures totals = new RevenueFigures();
          groups.forEach((group, figures) -> {
            rows.add(new GroupRow(group, figures));
            totals.add(figures);
          });
          if (groupBy.isEmpty() && rows.isEmpty()) {
            rows.add(new GroupRow(List.of(), totals));
          }
          return new Table(period, groupBy, rows, totals);
        });
  }

  private Future<Void> query(String sql, Tuple params, Grouper grouper, BiConsumer<RevenueFigures, Row> add) {
    return pool.preparedQuery(sql).execute(params).map(rows -> {
      for (Row row : rows) {
        add.accept(grouper.figuresOf(row), row);
      }
      return null;
    });
  }

  /** Finds (or opens) the row of a SQL result's group, by the labels of its leading columns. */
  private record Grouper(List<GroupKey> groupBy, ReportLabels labels, Map<List<String>, RevenueFigures> groups) {
    RevenueFigures figuresOf(Row row) {
      List<String> group = new ArrayList<>(groupBy.size());
      for (int i = 0; i < groupBy.size(); i++) {
        group.add(labels.label(groupBy.get(i), row.getValue(i)));
      }
      return groups.computeIfAbsent(group, g -> new RevenueFigures());
    }
  }

  private static String select(List<GroupKey> groupBy, java.util.function.Function<GroupKey, String> column) {
    return groupBy.stream().map(k -> column.apply(k) + ", ").collect(Collectors.joining());
  }

  private static String groupClause(List<GroupKey> groupBy) {
    if (groupBy.isEmpty()) {
      return "";
    }
    StringBuilder clause = new StringBuilder(" group by ");
    for (int i = 1; i <= groupBy.size(); i++) {
      clause.append(i == 1 ? "" : ", ").append(i);
    }
    return clause.toString();
  }

  /** Group values compare element by element; nulls (no buyer) last. */
  private static final Comparator<List<String>> GROUP_ORDER = (a, b) -> {
    for (int i = 0; i < a.size(); i++) {
      String x = a.get(i);
      String y = b.get(i);
      if (x == null || y == null) {
        if (x != y) {
          return x == null ? 1 : -1;
        }
        continue;
      }
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  };
}
