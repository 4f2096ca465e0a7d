package org.leadex.exchange.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.json.Json;

/** The replay's text rendering: figures side by side with their difference, and bars in proportion. */
class ReplayTableTest {
  @Test
  void figuresAndBarsFollowTheAnswer() {
    String text = ReplayTable.render(Json.parse("{\"campaign\":\"c\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\","
        + "\"changes\":{\"floor\":6},\"actual\":{\"pings\":10,\"posted\":8,\"sold\":6,\"sales\":6,\"gross\":60.00,"
        + "\"payout\":48.00,\"margin\":12.00,\"buyers\":{\"a\":{\"sales\":4,\"gross\":40.00},\"b\":{\"sales\":2,"
        + "\"gross\":20.00}}},\"replayed\":{\"pings\":10,\"posted\":8,\"sold\":4,\"sales\":4,\"gross\":40.00,"
        + "\"payout\":32.00,\"margin\":8.00,\"buyers\":{\"a\":{\"sales\":4,\"gross\":40.00}}},\"changed_leads\":2,"
        + "\"assumptions\":[\"one\"]}"));
    List<String> lines = text.lines().toList();
    String gross = lines.stream().filter(l -> l.startsWith("gross ")).findFirst().orElseThrow();
    assertEquals(List.of("gross", "60.00", "40.00", "-20.00"), List.of(gross.trim().split("\\s+")));
    String sold = lines.stream().filter(l -> l.startsWith("sold ")).findFirst().orElseThrow();
    assertEquals(List.of("sold", "6", "4", "-2"), List.of(sold.trim().split("\\s+")));
    // a's bar is the longest (40 of 40 blocks), b's actual half of it, b's replayed empty
    String aBar = lines.stream().filter(l -> l.startsWith("a ")).findFirst().orElseThrow();
    String bBar = lines.stream().filter(l -> l.startsWith("b ")).findFirst().orElseThrow();
    assertEquals(40, aBar.chars().filter(c -> c == '█').count());
    assertEquals(20, bBar.chars().filter(c -> c == '█').count());
    int bIndex = lines.indexOf(bBar);
    assertEquals(0, lines.get(bIndex + 1).chars().filter(c -> c == '░').count());
    assertTrue(text.contains("changed leads: 2") && text.contains("  - one"), text);
  }
}
