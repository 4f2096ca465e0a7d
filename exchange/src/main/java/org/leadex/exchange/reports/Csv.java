package org.leadex.exchange.reports;

import java.util.List;

/** RFC 4180 CSV: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line break. */
final class Csv {
  private final StringBuilder out = new StringBuilder();

  Csv row(List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(quote(cells.get(i)));
    }
    out.append("\r\n");
    return this;
  }

  static String quote(String cell) {
    if (cell == null) {
      return "";
    }
    boolean plain = cell.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
    // A leading =, +, - or @ makes spreadsheets run the cell as a formula: sources are seller-chosen text.
    boolean formula = !cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0 && !isNumber(cell);
    String safe = formula ? "'" + cell : cell;
    return plain && !formula ? safe : "\"" + safe.replace("\"", "\"\"") + "\"";
  }

  private static boolean isNumber(String cell) {
    return cell.matches("-?[0-9]+(\\.[0-9]+)?");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
