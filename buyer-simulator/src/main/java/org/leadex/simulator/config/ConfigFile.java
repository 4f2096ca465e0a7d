package org.leadex.simulator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable. What a JSON config file says, before command-line flags are applied. Any top-level
 * setting may be absent (null here); {@link #toConfig()} fills in the documented defaults.
 *
 * <p>Each entry of {@code "buyers"} names one buyer ({@code "id"}) or a group ({@code "id_prefix"}
 * and {@code "count"}), a {@code "preset"} (default: the file's top-level {@code "preset"}, else
 * {@code realistic}) and a {@code "profile"} of overrides deep-merged onto that preset: an object
 * merges field by field, anything else replaces, and a {@code price} with a different
 * {@code "type"} replaces the preset's price whole. What {@link #write} produces reads back as the
 * same configuration.
 */
public record ConfigFile(Long seed, String host, Integer port, Integer ports, List<BuyerConfig> buyers) {

  public static final long DEFAULT_SEED = 1;
  public static final int DEFAULT_PORT = 9100;

  private static final Set<String> TOP_LEVEL = Set.of("seed", "host", "port", "ports", "preset", "buyers");
  private static final Set<String> ENTRY = Set.of("id", "id_prefix", "count", "name", "preset", "profile");

  public ConfigFile {
    buyers = buyers == null ? List.of() : List.copyOf(buyers);
  }

  public static ConfigFile read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }

  public static ConfigFile parse(String json) {
    return parse(json, "config");
  }

  /** The file's settings with the documented defaults: seed 1, host 127.0.0.1, port 9100, 1 port. */
  public SimulatorConfig toConfig() {
    return new SimulatorConfig(
        seed == null ? DEFAULT_SEED : seed,
        host == null ? SimulatorConfig.DEFAULT_HOST : host,
        port == null ? DEFAULT_PORT : port,
        ports == null ? 1 : ports,
        buyers);
  }

  /** A config as a file that {@link #parse} reads back: every buyer written out with its full profile. */
  public static String write(SimulatorConfig config) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("seed", config.seed());
    root.put("host", config.host());
    root.put("port", config.port());
    root.put("ports", config.ports());
    ArrayNode buyers = root.putArray("buyers");
    for (BuyerConfig b : config.buyers()) {
      ObjectNode entry = buyers.addObject();
      entry.put("id", b.id());
      entry.put("name", b.name());
      entry.set("profile", Json.MAPPER.valueToTree(b.profile()));
    }
    return Json.writePretty(root);
  }

  /** A preset with overrides merged onto it, validated. */
  public static BuyerProfile profile(String preset, JsonNode overrides, String where) {
    BuyerProfile base = Presets.named(preset);
    if (overrides == null || overrides.isNull()) {
      return base;
    }
    if (!overrides.isObject()) {
      throw new IllegalArgumentException(where + ".profile must be an object");
    }
    JsonNode merged = merge(Json.MAPPER.valueToTree(base), overrides);
    return Json.bind(merged, BuyerProfile.class, where + ".profile");
  }

  private static ConfigFile parse(String json, String where) {
    JsonNode root = Json.parse(json, where);
    if (!root.isObject()) {
      throw new IllegalArgumentException(where + ": the top level must be a JSON object");
    }
    requireKnown(root, TOP_LEVEL, where);
    String defaultPreset = text(root, "preset", "realistic", where);
    List<BuyerConfig> buyers = new ArrayList<>();
    JsonNode entries = root.get("buyers");
    if (entries != null) {
      if (!entries.isArray()) {
        throw new IllegalArgumentException(where + ": buyers must be an array");
      }
      for (int i = 0; i < entries.size(); i++) {
        buyers.addAll(entry(entries.get(i), defaultPreset, where + ": buyers[" + i + "]"));
      }
    }
    return new ConfigFile(
        root.has("seed") ? integer(root, "seed", where) : null,
        root.has("host") ? text(root, "host", null, where) : null,
        root.has("port") ? smallInteger(root, "port", where) : null,
        root.has("ports") ? smallInteger(root, "ports", where) : null,
        buyers);
  }

  private static List<BuyerConfig> entry(JsonNode e, String defaultPreset, String where) {
    if (!e.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    requireKnown(e, ENTRY, where);
    BuyerProfile profile = profile(text(e, "preset", defaultPreset, where), e.get("profile"), where);
    boolean single = e.has("id");
    if (single == e.has("id_prefix")) {
      throw new IllegalArgumentException(where + " needs either \"id\" or \"id_prefix\" with \"count\"");
    }
    if (single) {
      return List.of(new BuyerConfig(text(e, "id", null, where), text(e, "name", null, where), profile));
    }
    if (!e.has("count")) {
      throw new IllegalArgumentException(where + ": \"id_prefix\" needs \"count\"");
    }
    return BuyerConfig.group(text(e, "id_prefix", null, where), smallInteger(e, "count", where), profile);
  }

  /** Objects merge key by key; a price object whose "type" changes, arrays and scalars replace. */
  static JsonNode merge(JsonNode base, JsonNode override) {
    if (!(base instanceof ObjectNode b) || !override.isObject()) {
      return override.deepCopy();
    }
    JsonNode baseType = b.get("type");
    JsonNode overrideType = override.get("type");
    if (overrideType != null && !overrideType.equals(baseType)) {
      return override.deepCopy();
    }
    ObjectNode out = b.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode existing = out.get(f.getKey());
      out.set(f.getKey(), existing == null ? f.getValue().deepCopy() : merge(existing, f.getValue()));
    }
    return out;
  }

  private static void requireKnown(JsonNode node, Set<String> known, String where) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        throw new IllegalArgumentException(where + ": unknown field \"" + n + "\" (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String text(JsonNode node, String field, String fallback, String where) {
    JsonNode v = node.get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + ": " + field + " must be a string");
    }
    return v.asText();
  }

  private static int smallInteger(JsonNode node, String field, String where) {
    long v = integer(node, field, where);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(where + ": " + field + " is out of range: " + v);
    }
    return (int) v;
  }

  private static long integer(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(where + ": " + field + " must be an integer");
    }
    return v.longValue();
  }
}
