package org.leadex.exchange.templates;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The body formats a template can produce, each with the escaping a {@code {{value}}} gets in it,
 * so that a lead's text can never break out of its place (a quote in a name, an {@code &} in an
 * address). {@code {{{value}}}} inserts the value raw. Pure.
 */
public enum TemplateFormat {
  /** A JSON document; values land inside JSON strings, so they are escaped as JSON string content. */
  JSON("application/json"),
  /** {@code application/x-www-form-urlencoded}; values are percent-encoded. */
  FORM("application/x-www-form-urlencoded"),
  /** An XML document; values are escaped as XML text and attribute content (the five predefined entities). */
  XML("application/xml");

  public final String contentType;

  TemplateFormat(String contentType) {
    this.contentType = contentType;
  }

  public String escape(String raw) {
    return switch (this) {
      case JSON -> new String(JsonStringEncoder.getInstance().quoteAsString(raw));
      case FORM -> URLEncoder.encode(raw, StandardCharsets.UTF_8);
      case XML -> xml(raw);
    };
  }

  private static String xml(String raw) {
    StringBuilder out = new StringBuilder(raw.length() + 16);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // Control characters other than tab and line breaks are not allowed in XML 1.0 at all.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  public String wire() {
    return name().toLowerCase();
  }
}
