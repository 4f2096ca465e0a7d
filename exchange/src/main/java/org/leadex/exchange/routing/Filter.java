package org.leadex.exchange.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * One of a buyer's rules on which leads it takes, e.g. {@code state in [CA, NV]}. Pure.
 * Values compare as text, except for the ordered operators, which compare numbers.
 */
public record Filter(String field, Op op, List<String> values, BigDecimal min, BigDecimal max) {

  public enum Op { EQ, NE, IN, NOT_IN, BETWEEN, GTE, LTE, EXISTS, PREFIX }

  /** Why the lead fails this filter, or empty when it passes. */
  public Optional<String> reject(JsonNode lead) {
    JsonNode value = lead.get(field);
    boolean present = value != null && !value.isNull();
    boolean pass = switch (op) {
      case EXISTS -> present;
      case EQ -> present && text(value).equals(values.get(0));
      case NE -> !present || !text(value).equals(values.get(0));
      case IN -> present && values.contains(text(value));
      case NOT_IN -> !present || !values.contains(text(value));
      case PREFIX -> present && values.stream().anyMatch(text(value)::startsWith);
      case BETWEEN -> number(value).map(n -> n.compareTo(min) >= 0 && n.compareTo(max) <= 0).orElse(false);
      case GTE -> number(value).map(n -> n.compareTo(min) >= 0).orElse(false);
      case LTE -> number(value).map(n -> n.compareTo(max) <= 0).orElse(false);
    };
    return pass ? Optional.empty() : Optional.of("filter: " + describe());
  }

  /** The rule as the decision trace shows it, e.g. {@code state not in [CA, NV]}. */
  public String describe() {
    return switch (op) {
      case EXISTS -> field + " missing";
      case EQ -> field + " != " + values.get(0);
      case NE -> field + " == " + values.get(0);
      case IN -> field + " not in " + values;
      case NOT_IN -> field + " in " + values;
      case PREFIX -> field + " has no prefix in " + values;
      case BETWEEN -> field + " not between " + min.toPlainString() + " and " + max.toPlainString();
      case GTE -> field + " < " + min.toPlainString();
      case LTE -> field + " > " + max.toPlainString();
    };
  }

  private static String text(JsonNode value) {
    return value.isNumber() ? value.decimalValue().stripTrailingZeros().toPlainString() : value.asText();
  }

  private static Optional<BigDecimal> number(JsonNode value) {
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isNumber()) {
      return Optional.of(value.decimalValue());
    }
    try {
      return Optional.of(new BigDecimal(value.asText()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static Filter read(DocReader doc) {
    String field = doc.string("field", 64);
    Op op = doc.optEnum("op", Op.class).orElseThrow(() -> doc.missing("op"));
    List<String> values = List.of();
    BigDecimal min = null;
    BigDecimal max = null;
    BigDecimal big = BigDecimal.valueOf(1_000_000_000_000L);
    switch (op) {
      case EQ, NE -> {
        JsonNode value = doc.raw("value");
        if (value == null) {
          values = doc.list("values", 1, e -> scalar(e.node(), e.path()));
          if (values.size() != 1) {
            throw doc.missing("value");
          }
        } else {
          values = List.of(scalar(value, doc.path("value")));
        }
      }
      case IN, NOT_IN, PREFIX -> {
        values = doc.list("values", 10_000, e -> scalar(e.node(), e.path()));
        if (values.isEmpty()) {
          throw ApiError.validation(doc.path("values"), doc.path("values") + " must list at least one value");
        }
      }
      case BETWEEN -> {
        min = doc.optDecimal("min", big.negate(), big).orElseThrow(() -> doc.missing("min"));
        max = doc.optDecimal("max", big.negate(), big).orElseThrow(() -> doc.missing("max"));
        if (min.compareTo(max) > 0) {
          throw ApiError.validation(doc.path("min"), doc.path("min") + " must not exceed max");
        }
      }
      case GTE -> min = doc.optDecimal("min", big.negate(), big)
          .or(() -> doc.optDecimal("value", big.negate(), big)).orElseThrow(() -> doc.missing("min"));
      case LTE -> max = doc.optDecimal("max", big.negate(), big)
          .or(() -> doc.optDecimal("value", big.negate(), big)).orElseThrow(() -> doc.missing("max"));
      case EXISTS -> { }
    }
    doc.done();
    return new Filter(field, op, List.copyOf(values), min, max);
  }

  private static String scalar(JsonNode node, String path) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isNumber()) {
      java.math.BigDecimal number = node.decimalValue().stripTrailingZeros();
      if (number.precision() - number.scale() > 30 || number.scale() > 30) {
        throw ApiError.validation(path, path + " is out of range");
      }
      return number.toPlainString();
    }
    if (node.isBoolean()) {
      return String.valueOf(node.booleanValue());
    }
    throw ApiError.validation(path, path + " must be a string, number or boolean");
  }
}
