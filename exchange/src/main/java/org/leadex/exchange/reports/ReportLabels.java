package org.leadex.exchange.reports;

import java.util.HashMap;
import java.util.Map;
import org.leadex.exchange.catalog.Catalog;

/**
 * Turns the integer ids the ledger stores into the ids people chose (seller, campaign and buyer
 * codes). Codes never change once created, so today's catalog labels any past row.
 */
public final class ReportLabels {
  private final Map<Integer, String> sellers = new HashMap<>();
  private final Map<Integer, String> campaigns = new HashMap<>();
  private final Map<Integer, String> buyers = new HashMap<>();

  public ReportLabels(Catalog catalog) {
    catalog.sellers().values().forEach(s -> sellers.put(s.id(), s.code()));
    catalog.campaignsById().forEach((id, c) -> campaigns.put(id, c.code()));
    catalog.buyersById().forEach((id, b) -> buyers.put(id, b.code()));
  }

  /** The label of a group value read from SQL; null stays null (a lead no buyer offered for). */
  String label(GroupKey key, Object value) {
    if (value == null) {
      return null;
    }
    return switch (key) {
      case SELLER -> code(sellers, value);
      case CAMPAIGN -> code(campaigns, value);
      case BUYER -> code(buyers, value);
      case SOURCE, SUB_ID, DAY -> value.toString();
    };
  }

  public String sellerCode(int id) {
    return code(sellers, id);
  }

  public String buyerCode(int id) {
    return code(buyers, id);
  }

  private static String code(Map<Integer, String> codes, Object id) {
    String code = codes.get(((Number) id).intValue());
    return code != null ? code : "#" + id;
  }
}
