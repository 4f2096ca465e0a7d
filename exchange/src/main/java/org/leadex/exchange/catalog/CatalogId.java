package org.leadex.exchange.catalog;

import java.util.regex.Pattern;
import org.leadex.exchange.api.ApiError;

/** The admin-chosen ids of sellers, buyers and campaigns. */
public final class CatalogId {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  private CatalogId() {}

  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static String require(String id, String field) {
    if (!valid(id)) {
      throw ApiError.validation(field, field + " must match [a-z0-9][a-z0-9_-]{0,63}");
    }
    return id;
  }
}
