package org.leadex.loadtest.traffic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distributions generated leads are drawn from.
 *
 * @param states state codes with relative weights (from {@code CA:5,NV,TX}: CA five times as often)
 * @param ageMin youngest age, inclusive
 * @param ageMax oldest age, inclusive
 * @param zipPrefixes zip codes start with one of these (chosen uniformly), padded with random
 *     digits to five; empty means any zip from 00501 to 99950
 * @param extraFields constant non-PII fields added to every lead (a campaign may require more)
 * @param runId mixed into emails and phones so that a rerun with the same seed does not post
 *     leads the exchange already saw (campaign dedupe would turn them into {@code duplicate_lead})
 */
public record LeadProfile(List<WeightedState> states, int ageMin, int ageMax,
    List<String> zipPrefixes, Map<String, Object> extraFields, long runId) {

  public record WeightedState(String code, int weight) {
  }

  public LeadProfile {
    if (states.isEmpty()) {
      throw new IllegalArgumentException("at least one state is needed");
    }
    for (WeightedState s : states) {
      if (s.weight() <= 0) {
        throw new IllegalArgumentException("state weight must be positive: " + s.code());
      }
    }
    if (ageMin > ageMax) {
      throw new IllegalArgumentException("age min " + ageMin + " is above age max " + ageMax);
    }
    for (String prefix : zipPrefixes) {
      if (!prefix.matches("[0-9]{0,5}")) {
        throw new IllegalArgumentException("a zip prefix is up to five digits: " + prefix);
      }
    }
    states = List.copyOf(states);
    zipPrefixes = List.copyOf(zipPrefixes);
    extraFields = Map.copyOf(extraFields);
  }

  /** Parses {@code CA:5,NV,TX} (weight 1 when absent). */
  public static List<WeightedState> parseStates(String spec) {
    List<WeightedState> states = new ArrayList<>();
    for (String part : spec.split(",")) {
      String item = part.trim();
      if (item.isEmpty()) {
        continue;
      }
      int colon = item.indexOf(':');
      if (colon < 0) {
        states.add(new WeightedState(item, 1));
      } else {
        states.add(new WeightedState(item.substring(0, colon).trim(),
            Integer.parseInt(item.substring(colon + 1).trim())));
      }
    }
    return states;
  }

  /** Parses {@code name=value} pairs; a value that reads as a JSON number or boolean stays one. */
  public static Map<String, Object> parseFields(List<String> pairs) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("a lead field is name=value, got " + pair);
      }
      String value = pair.substring(eq + 1);
      Object typed = value;
      if (value.equals("true") || value.equals("false")) {
        typed = Boolean.valueOf(value);
      } else if (value.matches("-?[0-9]{1,15}")) {
        typed = Long.valueOf(value);
      } else if (value.matches("-?[0-9]+\\.[0-9]+")) {
        typed = new java.math.BigDecimal(value);
      }
      fields.put(pair.substring(0, eq), typed);
    }
    return fields;
  }
}
