package org.leadex.exchange.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@link FuzzIT}'s random values and mutations: strings and JSON values chosen to hit edges
 * (NUL, surrogates, huge numbers, deep nesting), mutations of a valid document, and ways to spoil
 * one so that the exchange must refuse it. Seeded by the caller, so a failure reproduces.
 */
final class FuzzBodies {
  private FuzzBodies() {}

  static String randomString(Random random) {
    return switch (random.nextInt(9)) {
      case 0 -> "";
      case 1 -> " ";
      case 2 -> "x".repeat(random.nextInt(3) == 0 ? 70_000 : 1 + random.nextInt(3_000));
      case 3 -> "😀\u202e\u0301é中文";
      case 4 -> "10.0.0.0/" + random.nextInt(200);
      case 5 -> "http://" + "a".repeat(random.nextInt(100)) + ":99999/x";
      case 6 -> List.of("auction", "waterfall", "round_robin", "weighted", "seller", "buyer", "admin", "finance",
          "returned", "fixed", "revenue_share", "in", "between", "even", "paused", "mon", "25:00", "Mars/Olympus",
          "first_price", "second_price", "pub", "b", "c").get(random.nextInt(23));
      case 7 -> "%s%n${jndi:ldap://x}<script>'\"\\";
      default -> Long.toString(random.nextLong(), 36);
    };
  }

  static JsonNode randomValue(Random random, int depth) {
    switch (random.nextInt(depth > 2 ? 7 : 10)) {
      case 0: return FuzzIT.NODES.nullNode();
      case 1: return FuzzIT.NODES.booleanNode(random.nextBoolean());
      case 2: return FuzzIT.NODES.numberNode(List.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 2_147_483_648L, 100L,
          1_000_001L).get(random.nextInt(8)));
      case 3: return FuzzIT.NODES.numberNode(new BigDecimal(List.of("0.001", "-0.01", "1e308", "-1e-308", "1e999999",
          "123456789012345678901234567890.5", "12.345", "99999999999", "4.00", "0.5").get(random.nextInt(10))));
      case 4:
      case 5: return FuzzIT.NODES.textNode(randomString(random));
      case 6: return FuzzIT.NODES.numberNode(random.nextInt(2000) - 1000);
      case 7: {
        ArrayNode array = FuzzIT.NODES.arrayNode();
        int n = random.nextInt(6) == 0 ? 20_000 : random.nextInt(4);
        for (int i = 0; i < n; i++) {
          array.add(n > 100 ? FuzzIT.NODES.numberNode(i) : randomValue(random, depth + 1));
        }
        return array;
      }
      case 8: {
        ObjectNode object = FuzzIT.NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          object.set("k" + random.nextInt(5), randomValue(random, depth + 1));
        }
        return object;
      }
      default: {
        JsonNode nested = FuzzIT.NODES.numberNode(1);
        for (int i = random.nextInt(3) == 0 ? 2_000 : 1 + random.nextInt(30); i > 0; i--) {
          nested = FuzzIT.NODES.arrayNode().add(nested);
        }
        return nested;
      }
    }
  }

  /**
   * Every object and array in a tree, walked with a queue of its own rather than by recursion: a
   * body may hold arrays nested thousands deep (several mutations of 2,000 each), deeper than the
   * test thread's stack goes by recursion.
   */
  static List<JsonNode> containers(JsonNode node, List<JsonNode> out) {
    java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>(); // a stack: the same order as recursion
    pending.push(node);
    while (!pending.isEmpty()) {
      JsonNode next = pending.pop();
      if (next.isContainerNode()) {
        out.add(next);
        List<JsonNode> children = new ArrayList<>();
        next.forEach(children::add);
        for (int i = children.size() - 1; i >= 0; i--) {
          pending.push(children.get(i));
        }
      }
    }
    return out;
  }

  /** Changes that may or may not leave the document valid. */
  static void mutate(Random random, ObjectNode root) {
    List<JsonNode> all = containers(root, new ArrayList<>());
    JsonNode target = all.get(random.nextInt(all.size()));
    if (target.isObject()) {
      ObjectNode object = (ObjectNode) target;
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      if (names.isEmpty()) {
        return;
      }
      String name = names.get(random.nextInt(names.size()));
      if (random.nextInt(4) == 0) {
        object.remove(name);
      } else {
        object.set(name, randomValue(random, 0));
      }
    } else {
      ArrayNode array = (ArrayNode) target;
      if (array.isEmpty()) {
        array.add(randomValue(random, 1));
      } else if (random.nextInt(3) == 0) {
        array.remove(random.nextInt(array.size()));
      } else {
        array.set(random.nextInt(array.size()), randomValue(random, 1));
      }
    }
  }

  /** A change that makes any document of the contract invalid, as text (some are not JSON at all). */
  static String spoil(Random random, ObjectNode root) {
    switch (random.nextInt(6)) {
      case 0, 1: { // a field nobody asked for, in any object: strict documents refuse it
        List<JsonNode> objects = containers(root, new ArrayList<>()).stream().filter(JsonNode::isObject).toList();
        ObjectNode object = (ObjectNode) objects.get(random.nextInt(objects.size()));
        JsonNode value = randomValue(random, 3);
        object.set("fuzz_" + Integer.toString(random.nextInt(1 << 20), 36), value.isObject() ? FuzzIT.NODES.numberNode(1) : value);
        return FuzzIT.text(root);
      }
      case 2: { // truncated, never to nothing (some endpoints take an empty body)
        String text = FuzzIT.text(root);
        return text.substring(0, 1 + random.nextInt(text.length() - 1));
      }
      case 3: { // bytes flipped to characters JSON never allows outside strings, at a structural place
        String text = FuzzIT.text(root);
        int at = text.lastIndexOf(',', random.nextInt(text.length()));
        return at < 0 ? "{" + text : text.substring(0, at) + List.of(",,", ":", "}", "]", "\u0001", "'").get(random.nextInt(6))
            + text.substring(at);
      }
      case 4: { // a string no database can store: NUL or an unpaired surrogate
        String text = FuzzIT.text(root);
        int at = text.indexOf(":\"", random.nextInt(text.length()));
        if (at < 0) {
          at = text.indexOf(":\"");
        }
        String escape = List.of("\\u0000", "\\ud800", "\\udfff", "a\\u0000b").get(random.nextInt(4));
        return text.substring(0, at + 2) + escape + text.substring(at + 2);
      }
      default: { // not an object at all, or a duplicate key
        return List.of(" ", "null", "[]", "42", "\"text\"", "{\"a\":1,\"a\":2}", "{}{}", "\uFEFF{", "{\"campaign\":\"c\"",
            "[" + FuzzIT.text(root) + "]").get(random.nextInt(10));
      }
    }
  }

}
