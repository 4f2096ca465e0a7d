package org.leadex.exchange.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.json.Json;
import org.w3c.dom.Document;

/**
 * One response rule of an adapter: where in a buyer's answer a value is ({@code json_path},
 * {@code xpath}, or {@code regex} and its first group) and, optionally, what it must equal. A rule
 * reads only a body of its own kind (a JSONPath reads nothing from XML); a regex reads any body as
 * text. Compiled once, when the catalog is loaded. Thread safe.
 */
public final class ResponseRule {
  /** The kinds of rule, by their document field. */
  public enum Kind { JSON_PATH, XPATH, REGEX }

  private static final Configuration JSON_PATH = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
      .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
      .options(Option.SUPPRESS_EXCEPTIONS)
      .build();
  private static final int MAX_EXPRESSION = 500;
  /** A value read is cut to this: it is a price, a flag, a reference or a reason, not a document. */
  static final int MAX_VALUE = 256;

  private final Kind kind;
  private final String expression;
  private final Optional<String> equals;
  private final JsonPath jsonPath;
  private final Pattern regex;
  /** XPath expressions are not thread safe: one per thread, compiled from the checked source. */
  private final ThreadLocal<XPathExpression> xpath;

  private ResponseRule(Kind kind, String expression, Optional<String> equals) {
    this.kind = kind;
    this.expression = expression;
    this.equals = equals;
    this.jsonPath = kind == Kind.JSON_PATH ? JsonPath.compile(expression) : null;
    this.regex = kind == Kind.REGEX ? Pattern.compile(expression) : null;
    this.xpath = kind == Kind.XPATH ? ThreadLocal.withInitial(() -> xpath(expression)) : null;
  }

  /** {@code {"json_path": "$.x"} | {"xpath": "/a/b"} | {"regex": "x=(\\d+)"}}, with optional {@code "equals"}. */
  public static ResponseRule read(DocReader doc) {
    Optional<String> jsonPath = doc.optString("json_path", MAX_EXPRESSION);
    Optional<String> xpathSource = doc.optString("xpath", MAX_EXPRESSION);
    Optional<String> regexSource = doc.optString("regex", MAX_EXPRESSION);
    Optional<String> equals = doc.optString("equals", MAX_VALUE);
    doc.done();
    int given = (jsonPath.isPresent() ? 1 : 0) + (xpathSource.isPresent() ? 1 : 0) + (regexSource.isPresent() ? 1 : 0);
    if (given != 1) {
      throw ApiError.validation(doc.path("json_path"), "a response rule needs exactly one of json_path, xpath,"
          + " regex (" + doc.path("json_path") + ")");
    }
    try {
      if (jsonPath.isPresent()) {
        return new ResponseRule(Kind.JSON_PATH, jsonPath.get(), equals);
      }
      if (xpathSource.isPresent()) {
        xpath(xpathSource.get()); // compiles it now, so a bad one is refused at the PUT
        return new ResponseRule(Kind.XPATH, xpathSource.get(), equals);
      }
      return new ResponseRule(Kind.REGEX, regexSource.get(), equals);
    } catch (InvalidPathException | IllegalArgumentException e) { // PatternSyntaxException is an IllegalArgumentException {
      String field = jsonPath.isPresent() ? "json_path" : xpathSource.isPresent() ? "xpath" : "regex";
      throw ApiError.validation(doc.path(field), doc.path(field) + " does not compile: " + firstLine(e.getMessage()));
    }
  }

  public Kind kind() {
    return kind;
  }

  public String expression() {
    return expression;
  }

  public Optional<String> equalsValue() {
    return equals;
  }

  /** The value this rule reads from the answer, trimmed; empty when it reads nothing (or an empty text). */
  public Optional<String> read(AdapterResponse response) {
    String value = switch (kind) {
      case JSON_PATH -> fromJson(response.json());
      case XPATH -> fromXml(response.xml());
      case REGEX -> fromText(response.text());
    };
    if (value == null) {
      return Optional.empty();
    }
    value = value.strip();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE));
  }

  /**
   * Whether the rule holds for what it read: equal to {@code equals} when given (exactly, case and
   * all); otherwise any non-empty value other than {@code false} or {@code 0}.
   */
  public boolean holds(Optional<String> value) {
    if (equals.isPresent()) {
      return value.isPresent() && value.get().equals(equals.get());
    }
    return value.isPresent() && !value.get().equalsIgnoreCase("false") && !isZero(value.get());
  }

  private static boolean isZero(String value) {
    try {
      return new BigDecimal(value).signum() == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private String fromJson(JsonNode json) {
    if (json == null) {
      return null;
    }
    Object found = jsonPath.read(json, JSON_PATH);
    return scalar(found);
  }

  /** A JSONPath result as text: a scalar as it is; an array (an indefinite path) by its first element. */
  private static String scalar(Object found) {
    if (found == null) {
      return null;
    }
    if (found instanceof JsonNode node) {
      if (node.isArray()) {
        return node.isEmpty() ? null : scalar(node.get(0));
      }
      if (node.isNull() || node.isMissingNode()) {
        return null;
      }
      if (node.isBigDecimal()) {
        return node.decimalValue().toPlainString();
      }
      return node.isValueNode() ? node.asText() : node.toString();
    }
    if (found instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (found instanceof java.util.List<?> list) {
      return list.isEmpty() ? null : scalar(list.get(0));
    }
    return String.valueOf(found);
  }

  private String fromXml(Document xml) {
    if (xml == null) {
      return null;
    }
    try {
      return xpath.get().evaluate(xml);
    } catch (XPathExpressionException e) {
      return null;
    }
  }

  private String fromText(String text) {
    Matcher matcher = regex.matcher(text);
    if (!matcher.find()) {
      return null;
    }
    return matcher.groupCount() >= 1 ? matcher.group(1) : matcher.group();
  }

  private static XPathExpression xpath(String source) {
    try {
      return XPathFactory.newInstance().newXPath().compile(source);
    } catch (XPathExpressionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException(String.valueOf(cause.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  /** As written in a document, for {@code adapter-test}'s answer. */
  public String describe() {
    return switch (kind) {
      case JSON_PATH -> "json_path " + expression;
      case XPATH -> "xpath " + expression;
      case REGEX -> "regex " + expression;
    } + equals.map(e -> " equals " + e).orElse("");
  }
}
