package org.leadex.exchange.leads;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.routing.Filter;

/** Points a lead earns when one condition holds; a lead's score is the clamped sum. Pure. */
public record ScoringRule(Filter condition, int points) {

  /** The campaign's score for a lead: the sum of matching rules' points, clamped to 0..100. */
  public static int score(List<ScoringRule> rules, JsonNode lead) {
    int sum = 0;
    for (ScoringRule rule : rules) {
      if (rule.condition().reject(lead).isEmpty()) {
        sum += rule.points();
      }
    }
    return Math.max(0, Math.min(100, sum));
  }

  public static ScoringRule read(DocReader doc) {
    int points = doc.integer("points", -100, 100);
    return new ScoringRule(Filter.read(doc), points);
  }
}
