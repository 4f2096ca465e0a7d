package org.leadex.exchange.templates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.leadex.exchange.json.Json;

/**
 * A body built by renaming: each of the receiver's field names takes the value at one of our
 * names ({@code "EmailAddress": "lead.email"}). The simple alternative to a template for CRMs that
 * take flat JSON or a form. In JSON, values keep their type (a number stays a number); a name with
 * no value is left out. Immutable; thread safe.
 */
public final class FieldMapping {
  private final Map<String, String> theirsToOurs;
  private final TemplateFormat format;

  public FieldMapping(Map<String, String> theirsToOurs, TemplateFormat format) {
    this.theirsToOurs = Map.copyOf(new LinkedHashMap<>(theirsToOurs));
    this.format = format;
  }

  public Map<String, String> fields() {
    return theirsToOurs;
  }

  public TemplateFormat format() {
    return format;
  }

  public String render(Map<String, Object> context) {
    ObjectNode json = Json.object();
    StringJoiner form = new StringJoiner("&");
    // Map.copyOf does not keep order: go by sorted receiver names, so bodies are stable.
    theirsToOurs.keySet().stream().sorted().forEach(theirs -> {
      Object value = lookup(context, theirsToOurs.get(theirs));
      if (value == null) {
        return;
      }
      if (format == TemplateFormat.JSON) {
        json.set(theirs, Json.MAPPER.valueToTree(value));
      } else {
        form.add(format.escape(theirs) + "=" + format.escape(String.valueOf(value)));
      }
    });
    return format == TemplateFormat.JSON ? Json.text(json) : form.toString();
  }

  /** The value at a dotted name in nested maps, or null. */
  static Object lookup(Map<String, Object> context, String dotted) {
    Object current = context;
    for (String part : dotted.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }
}
