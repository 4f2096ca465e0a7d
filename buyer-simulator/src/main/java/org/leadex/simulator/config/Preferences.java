package org.leadex.simulator.config;

import java.util.List;

/**
 * Immutable. Which leads a buyer wants; it does not bid on the others (204, counted as a no-bid
 * for reason {@code preference}).
 *
 * @param acceptStates the lead's {@code state} must be one of these; empty means any state
 * @param minScore the lead's {@code score} must be at least this; 0 means any (a lead without a
 *     score counts as score 0)
 */
public record Preferences(List<String> acceptStates, int minScore) {

  public static final Preferences ANY = new Preferences(List.of(), 0);

  public Preferences {
    acceptStates = acceptStates == null ? List.of() : List.copyOf(acceptStates);
    if (minScore < 0 || minScore > 100) {
      throw new IllegalArgumentException("preferences.min_score must be within 0..100, got " + minScore);
    }
    for (String s : acceptStates) {
      if (s.isBlank()) {
        throw new IllegalArgumentException("preferences.accept_states must not hold a blank state");
      }
    }
  }

  public boolean accepts(String state, int score) {
    if (score < minScore) {
      return false;
    }
    return acceptStates.isEmpty() || (state != null && acceptStates.contains(state));
  }
}
