package org.leadex.exchange.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.money.Money;

/**
 * Reads one JSON object of an admin document strictly: each accessor checks the type and range of
 * one field and names it by its JSON path when it is wrong, and {@link #done()} refuses any field
 * that nobody asked for, so a typo is an error instead of a setting silently ignored.
 * Not thread safe; one reader per document.
 */
public final class DocReader {
  private final ObjectNode node;
  private final String path;
  private final Set<String> read = new HashSet<>();

  private DocReader(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  public static DocReader of(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw ApiError.validation(path.isEmpty() ? null : path, (path.isEmpty() ? "the body" : path) + " must be a JSON object");
    }
    return new DocReader((ObjectNode) node, path);
  }

  public String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  private JsonNode value(String field) {
    read.add(field);
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  public Optional<String> optString(String field, int maxLength) {
    JsonNode value = value(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw ApiError.validation(path(field), path(field) + " must be a string");
    }
    String text = value.textValue();
    if (text.length() > maxLength) {
      throw ApiError.validation(path(field), path(field) + " must be at most " + maxLength + " characters");
    }
    return Optional.of(text);
  }

  public String string(String field, int maxLength) {
    return optString(field, maxLength).orElseThrow(() -> missing(field));
  }

  public Optional<Long> optLong(String field, long min, long max) {
    JsonNode value = value(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() && !(value.isBigDecimal() && isWhole(value.decimalValue()))) {
      throw ApiError.validation(path(field), path(field) + " must be an integer");
    }
    BigDecimal number = value.decimalValue();
    if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw ApiError.validation(path(field), path(field) + " must be between " + min + " and " + max);
    }
    return Optional.of(number.longValueExact());
  }

  public int integer(String field, int min, int max, int defaultValue) {
    return optLong(field, min, max).map(Long::intValue).orElse(defaultValue);
  }

  public int integer(String field, int min, int max) {
    return optLong(field, min, max).map(Long::intValue).orElseThrow(() -> missing(field));
  }

  public Optional<BigDecimal> optDecimal(String field, BigDecimal min, BigDecimal max) {
    JsonNode value = value(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isNumber()) {
      throw ApiError.validation(path(field), path(field) + " must be a number");
    }
    BigDecimal number = value.decimalValue();
    if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
      throw ApiError.validation(path(field), path(field) + " must be between " + min.toPlainString() + " and " + max.toPlainString());
    }
    return Optional.of(number);
  }

  /** A non-negative amount of money with at most two decimals. */
  public Optional<Money> optMoney(String field) {
    return optDecimal(field, BigDecimal.ZERO, BigDecimal.valueOf(Money.MAX_CENTS, 2)).map(d -> Money.exact(d)
        .orElseThrow(() -> ApiError.validation(path(field), path(field) + " must have at most 2 decimal places")));
  }

  public Optional<Boolean> optBoolean(String field) {
    JsonNode value = value(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw ApiError.validation(path(field), path(field) + " must be true or false");
    }
    return Optional.of(value.booleanValue());
  }

  public <E extends Enum<E>> Optional<E> optEnum(String field, Class<E> type) {
    return optString(field, 64).map(text -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(text)) {
          return constant;
        }
      }
      List<String> names = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        names.add(constant.name().toLowerCase());
      }
      throw ApiError.validation(path(field), path(field) + " must be one of " + names);
    });
  }

  public Optional<DocReader> optObject(String field) {
    JsonNode value = value(field);
    return value == null ? Optional.empty() : Optional.of(of(value, path(field)));
  }

  public DocReader object(String field) {
    return optObject(field).orElseThrow(() -> missing(field));
  }

  /** The elements of an array field, each converted with its own path. */
  public <T> List<T> list(String field, int maxSize, Function<Element, T> convert) {
    JsonNode value = value(field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw ApiError.validation(path(field), path(field) + " must be an array");
    }
    if (value.size() > maxSize) {
      throw ApiError.validation(path(field), path(field) + " must have at most " + maxSize + " elements");
    }
    List<T> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      out.add(convert.apply(new Element(value.get(i), path(field) + "[" + i + "]")));
    }
    return List.copyOf(out);
  }

  /** The names of the fields of this object (for maps keyed by name). */
  public Iterator<String> fieldNames() {
    return node.fieldNames();
  }

  /** Refuses any field that was not read. */
  public void done() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!read.contains(name)) {
        throw ApiError.validation(path(name), "unknown field " + path(name));
      }
    }
  }

  /** Refuses fields the contract names but this version does not implement yet. */
  public void unsupported(String... fields) {
    for (String field : fields) {
      if (node.has(field)) {
        throw ApiError.validation(path(field), path(field) + " is not supported by this version of the exchange yet");
      }
    }
  }

  /** Marks a field as read without reading it (it is handled elsewhere). */
  public JsonNode raw(String field) {
    return value(field);
  }

  public ApiError missing(String field) {
    return ApiError.validation(path(field), path(field) + " is required");
  }

  private static boolean isWhole(BigDecimal value) {
    return value.stripTrailingZeros().scale() <= 0;
  }

  /** An array element with its JSON path. */
  public record Element(JsonNode node, String path) {
    public DocReader object() {
      return DocReader.of(node, path);
    }

    public String string(int maxLength) {
      if (!node.isTextual() || node.textValue().length() > maxLength) {
        throw ApiError.validation(path, path + " must be a string of at most " + maxLength + " characters");
      }
      return node.textValue();
    }
  }
}
