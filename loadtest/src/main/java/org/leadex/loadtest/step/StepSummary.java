package org.leadex.loadtest.step;

import java.util.List;
import java.util.OptionalDouble;

/** Reads the step table. Pure. */
public final class StepSummary {
  private StepSummary() {
  }

  /**
   * The highest rate at which every repeat passed, with every lower rate passing too; empty when
   * even the first rate failed. A rate whose repeats did not all run does not count.
   */
  public static OptionalDouble highestSustainableRate(List<StepRow> rows, int repeats) {
    double best = Double.NaN;
    int i = 0;
    while (i < rows.size()) {
      double rate = rows.get(i).rate();
      int passes = 0;
      int j = i;
      for (; j < rows.size() && rows.get(j).rate() == rate; j++) {
        if (rows.get(j).status().equals("pass")) {
          passes++;
        }
      }
      if (passes < repeats) {
        break;
      }
      best = rate;
      i = j;
    }
    return Double.isNaN(best) ? OptionalDouble.empty() : OptionalDouble.of(best);
  }
}
