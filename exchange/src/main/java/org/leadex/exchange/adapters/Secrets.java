package org.leadex.exchange.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * A buyer's write-only secrets ({@code "secrets": {"api_key": "..."}}): its adapters' templates read
 * them as {@code {{secret.api_key}}}; nothing the exchange shows or logs ever holds their values
 * ({@link #mask} for text, {@link #redact} for documents). Immutable; thread safe.
 */
public final class Secrets {
  public static final Secrets NONE = new Secrets(Map.of());
  /** What a secret's value is shown as. */
  public static final String MASK = "********";
  /** Shorter values are not masked inside other text: a 2-character secret would mask half of every answer. */
  static final int MIN_MASKED_LENGTH = 4;
  public static final String FIELD = "secrets";

  private final Map<String, String> values;
  /** Longest first, so that a secret containing another is masked whole. */
  private final List<String> masked;

  private Secrets(Map<String, String> values) {
    this.values = Map.copyOf(values);
    List<String> masked = new ArrayList<>();
    for (String value : values.values()) {
      if (value.length() >= MIN_MASKED_LENGTH) {
        masked.add(value);
      }
    }
    masked.sort(Comparator.comparingInt(String::length).reversed());
    this.masked = List.copyOf(masked);
  }

  /** {@code "secrets": {"name": "value", ...}}: up to 20, names as template names, values up to 4,000 characters. */
  public static Secrets read(DocReader doc) {
    Map<String, String> values = new LinkedHashMap<>();
    for (var names = doc.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
        throw ApiError.validation(doc.path(name), doc.path(name) + ": a secret's name is a letter then letters, digits"
            + " or _ (at most 64)");
      }
      values.put(name, doc.string(name, 4_000));
    }
    if (values.size() > 20) {
      throw ApiError.validation(FIELD, "a buyer has at most 20 secrets");
    }
    return new Secrets(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The {@code secret} part of a template's context. */
  public Map<String, String> values() {
    return values;
  }

  /** The text with every secret's value replaced by {@link #MASK}: for anything shown, stored as a reason, or logged. */
  public String mask(String text) {
    if (text == null || masked.isEmpty()) {
      return text;
    }
    String out = text;
    for (String value : masked) {
      if (out.contains(value)) {
        out = out.replace(value, MASK);
      }
    }
    return out;
  }

  /** The names only: a buyer record printed anywhere must not print its secrets. */
  @Override
  public String toString() {
    return "Secrets" + new java.util.TreeSet<>(values.keySet());
  }

  /**
   * Completes a buyer's document about to be stored with the secrets stored before: all of them when
   * it has no {@code "secrets"}, and each one given as {@link #MASK} (as a GET shows it). A masked
   * secret with nothing stored is refused.
   */
  public static void keepStored(ObjectNode doc, JsonNode stored) {
    boolean storedAny = stored != null && stored.isObject();
    if (!doc.has(FIELD)) {
      if (storedAny) {
        doc.set(FIELD, stored.deepCopy());
      }
      return;
    }
    if (!doc.get(FIELD).isObject()) {
      return; // null clears; anything else is refused when the document is read
    }
    ObjectNode given = (ObjectNode) doc.get(FIELD);
    List<String> names = new ArrayList<>();
    given.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (MASK.equals(given.path(name).asText(null))) {
        JsonNode old = storedAny ? stored.get(name) : null;
        if (old == null || !old.isTextual()) {
          throw ApiError.validation(FIELD + "." + name, "secret '" + name + "' is given masked but none is stored;"
              + " give its value");
        }
        given.set(name, old);
      }
    }
  }

  /**
   * A copy of a buyer's document with its secrets' values replaced by {@link #MASK} (their names stay,
   * so an admin sees which secrets are set). Anything else is returned as it is.
   */
  public static JsonNode redact(JsonNode doc) {
    if (doc == null || !doc.isObject() || !doc.path(FIELD).isObject()) {
      return doc;
    }
    ObjectNode copy = ((ObjectNode) doc).deepCopy();
    ObjectNode secrets = (ObjectNode) copy.get(FIELD);
    List<String> names = new ArrayList<>();
    secrets.fieldNames().forEachRemaining(names::add);
    names.forEach(name -> secrets.put(name, MASK));
    return copy;
  }
}
