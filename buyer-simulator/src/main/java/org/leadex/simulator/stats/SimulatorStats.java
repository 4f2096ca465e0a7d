package org.leadex.simulator.stats;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.leadex.simulator.config.Json;

/**
 * Immutable. A snapshot of every buyer's counts and their totals; what {@code GET /stats} answers
 * and what {@code --stats-on-exit} prints: {@code {"totals": {...}, "buyers": {"id": {...}}}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SimulatorStats(BuyerStats totals, Map<String, BuyerStats> buyers) {

  public SimulatorStats {
    buyers = Collections.unmodifiableMap(new LinkedHashMap<>(buyers));
  }

  /** Totals computed from the buyers, in the order given. */
  public static SimulatorStats of(Map<String, BuyerStats> buyers) {
    BuyerStats totals = BuyerStats.ZERO;
    for (BuyerStats s : buyers.values()) {
      totals = totals.plus(s);
    }
    return new SimulatorStats(totals, buyers);
  }

  public BuyerStats buyer(String id) {
    BuyerStats s = buyers.get(id);
    if (s == null) {
      throw new IllegalArgumentException("no simulated buyer '" + id + "'");
    }
    return s;
  }

  public String toJson() {
    return Json.write(this);
  }

  public String toPrettyJson() {
    return Json.writePretty(this);
  }

  /** Reads what {@link #toJson()} (or {@code GET /stats}) wrote. */
  public static SimulatorStats parse(String json) {
    return Json.bind(Json.parse(json, "stats"), SimulatorStats.class, "stats");
  }
}
