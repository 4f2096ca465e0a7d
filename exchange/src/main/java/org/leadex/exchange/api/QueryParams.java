package org.leadex.exchange.api;

import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

/** Strict reading of query strings: unknown or repeated parameters, bad dates and bad limits are 400s naming the parameter. */
final class QueryParams {
  private QueryParams() {}

  static void onlyKnown(MultiMap q, Set<String> known) {
    for (String name : q.names()) {
      if (!known.contains(name)) {
        throw ApiError.validation(name, "unknown parameter '" + name + "'; known: " + String.join(", ", new TreeSet<>(known)));
      }
      if (q.getAll(name).size() > 1) {
        throw ApiError.validation(name, "'" + name + "' is given more than once");
      }
    }
  }

  /** A required UTC date, YYYY-MM-DD. */
  static LocalDate date(MultiMap q, String name) {
    String text = q.get(name);
    if (text == null) {
      throw ApiError.validation(name, "'" + name + "' is required (a UTC date, YYYY-MM-DD)");
    }
    try {
      if (text.length() != 10) {
        throw new DateTimeParseException("length", text, 0);
      }
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiError.validation(name, "'" + name + "' must be a date YYYY-MM-DD");
    }
  }

  /** An optional whole number from 1 to {@code max}. */
  static int limit(MultiMap q, int defaultValue, int max) {
    String text = q.get("limit");
    if (text == null) {
      return defaultValue;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiError.validation("limit", "limit is a whole number from 1 to " + max);
  }
}
