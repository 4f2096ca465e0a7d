package org.leadex.exchange.leads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * One field of a campaign's lead schema: its type, whether it is required, and its bounds; and
 * whether it holds the lead's consent certificate ({@code consent: true}: a certificate URL or
 * token, checked on the post and never sent to buyers in a bid request). Pure.
 */
public record FieldRule(String name, Type type, boolean required, Pattern pattern, BigDecimal min, BigDecimal max,
                        int maxLength, boolean consent) {

  public enum Type { STRING, INTEGER, NUMBER, BOOLEAN }

  /**
   * The value in canonical form (integers as longs, numbers without trailing zeros), so that the
   * ping's and the post's copies of a field compare equal however the seller wrote them; or an
   * error naming the field.
   */
  public JsonNode check(JsonNode value, String path) {
    switch (type) {
      case STRING -> {
        if (!value.isTextual()) {
          throw ApiError.validation(path, path + " must be a string");
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
          throw ApiError.validation(path, path + " must be at most " + maxLength + " characters");
        }
        if (pattern != null && !pattern.matcher(text).matches()) {
          throw ApiError.validation(path, path + " does not match " + pattern.pattern());
        }
        return value;
      }
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          throw ApiError.validation(path, path + " must be true or false");
        }
        return value;
      }
      case INTEGER, NUMBER -> {
        if (!value.isNumber()) {
          throw ApiError.validation(path, path + " must be a number");
        }
        BigDecimal number = value.decimalValue().stripTrailingZeros();
        if (number.precision() - number.scale() > 30 || number.scale() > 30) {
          // 1e999999999 is a valid JSON number whose plain form has a billion digits
          throw ApiError.validation(path, path + " is out of range");
        }
        if (type == Type.INTEGER && number.scale() > 0) {
          throw ApiError.validation(path, path + " must be an integer");
        }
        if ((min != null && number.compareTo(min) < 0) || (max != null && number.compareTo(max) > 0)) {
          throw ApiError.validation(path, path + " must be between " + (min == null ? "-inf" : min.toPlainString())
              + " and " + (max == null ? "inf" : max.toPlainString()));
        }
        if (type == Type.INTEGER) {
          if (number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw ApiError.validation(path, path + " is out of range");
          }
          return LongNode.valueOf(number.longValueExact());
        }
        if (number.precision() > 30) {
          throw ApiError.validation(path, path + " has too many digits");
        }
        return DecimalNode.valueOf(number);
      }
      default -> throw new IllegalStateException(type.name());
    }
  }

  public static FieldRule read(String name, DocReader doc) {
    Type type = doc.optEnum("type", Type.class).orElseThrow(() -> doc.missing("type"));
    boolean required = doc.optBoolean("required").orElse(false);
    Pattern pattern = doc.optString("pattern", 500).map(p -> {
      try {
        return Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw ApiError.validation(doc.path("pattern"), doc.path("pattern") + " is not a valid regular expression");
      }
    }).orElse(null);
    BigDecimal big = BigDecimal.valueOf(Long.MAX_VALUE);
    BigDecimal min = doc.optDecimal("min", big.negate(), big).orElse(null);
    BigDecimal max = doc.optDecimal("max", big.negate(), big).orElse(null);
    int maxLength = doc.integer("max_length", 1, 10_000, 1_000);
    if (pattern != null && type != Type.STRING) {
      throw ApiError.validation(doc.path("pattern"), "pattern applies to strings only");
    }
    boolean consent = doc.optBoolean("consent").orElse(false);
    if (consent && type != Type.STRING) {
      throw ApiError.validation(doc.path("consent"), "the consent field holds a certificate: it must be a string");
    }
    doc.done();
    return new FieldRule(name, type, required, pattern, min, max, maxLength, consent);
  }
}
