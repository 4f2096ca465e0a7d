package org.leadex.exchange.adapters;

import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.templates.LeadTemplate;
import org.leadex.exchange.templates.TemplateFormat;

/**
 * How to speak one buyer's own API for its bids or its posts: the request (URL, method, headers and
 * body, each a Mustache template over the call's context, compiled once when the catalog is loaded)
 * and the {@link ResponseRules} that read its answer. The body's {@code {{x}}} is escaped for its
 * format, the URL's is percent-encoded, a header's loses its line breaks. Immutable; thread safe.
 *
 * @param url     a template: a buyer may want its key or a field in the query string
 * @param headers by name; {@code Content-Type} defaults to the format's
 * @param body    empty for GET
 */
public record Adapter(Kind kind, LeadTemplate url, HttpMethod method, TemplateFormat format,
                      Map<String, LeadTemplate> headers, Optional<LeadTemplate> body, ResponseRules rules) {

  /** What an adapter is for: asking for a bid, or delivering a lead. */
  public enum Kind {
    BID("bid_adapter"), POST("post_adapter");

    public final String field;

    Kind(String field) {
      this.field = field;
    }
  }

  private static final List<HttpMethod> METHODS = List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.GET);

  /** Reads {@code bid_adapter} or {@code post_adapter}; a template or rule that does not compile is a 400. */
  public static Adapter read(DocReader doc, Kind kind) {
    String urlSource = doc.string("url", 2_000);
    LeadTemplate url = compile(doc, "url", urlSource, TemplateFormat.FORM, TemplateFormat.FORM::escape);
    requireHttpUrl(doc.path("url"), urlSource, url);
    String methodName = doc.optString("method", 8).orElse("POST").toUpperCase();
    HttpMethod method = METHODS.stream().filter(m -> m.name().equals(methodName)).findFirst()
        .orElseThrow(() -> ApiError.validation(doc.path("method"), doc.path("method") + " must be POST, PUT or GET"));
    TemplateFormat format = doc.optEnum("format", TemplateFormat.class).orElse(TemplateFormat.JSON);
    Map<String, LeadTemplate> headers = new LinkedHashMap<>();
    doc.optObject("headers").ifPresent(h -> {
      for (var names = h.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
          throw ApiError.validation(h.path(name), h.path(name) + " is not a valid header name");
        }
        headers.put(name, compile(h, name, h.string(name, 4_000), format, Adapter::headerValue));
      }
      if (headers.size() > 30) {
        throw ApiError.validation(doc.path("headers"), doc.path("headers") + " holds at most 30 headers");
      }
    });
    Optional<LeadTemplate> body = doc.optString("template", LeadTemplate.MAX_LENGTH)
        .map(source -> compile(doc, "template", source, format, format::escape));
    if (method == HttpMethod.GET && body.isPresent()) {
      throw ApiError.validation(doc.path("template"), doc.path("template") + ": a GET has no body; put the fields"
          + " in the url");
    }
    if (method != HttpMethod.GET && body.isEmpty()) {
      throw ApiError.validation(doc.path("template"), doc.path("template") + " is required for a " + method.name());
    }
    ResponseRules rules = ResponseRules.read(doc.object("response"), kind);
    doc.done();
    return new Adapter(kind, url, method, format, Map.copyOf(headers), body, rules);
  }

  /** Renders the request for one call. {@link com.samskivert.mustache.MustacheException} when the context lacks a section's shape. */
  public AdapterRequest render(Map<String, Object> context) {
    Map<String, String> rendered = new LinkedHashMap<>();
    boolean typed = false;
    for (Map.Entry<String, LeadTemplate> header : headers.entrySet()) {
      // Cleaned after rendering too: a raw {{{x}}} skips the escaper, and must not start a header either.
      rendered.put(header.getKey(), headerValue(header.getValue().render(context)));
      typed |= header.getKey().equalsIgnoreCase("content-type");
    }
    if (!typed && body.isPresent()) {
      rendered.put("Content-Type", format.contentType + (format == TemplateFormat.FORM ? "" : "; charset=utf-8"));
    }
    return new AdapterRequest(method, url.render(context), rendered, body.map(t -> t.render(context)).orElse(null));
  }

  /** Every name its templates read (URL, headers, body): what the PII and secret checks look at. */
  public List<String> names() {
    List<String> names = new ArrayList<>(url.names());
    headers.values().forEach(h -> names.addAll(h.names()));
    body.ifPresent(b -> names.addAll(b.names()));
    return names;
  }

  private static LeadTemplate compile(DocReader doc, String field, String source, TemplateFormat format,
                                      com.samskivert.mustache.Mustache.Escaper escaper) {
    try {
      return LeadTemplate.compile(source, format, escaper);
    } catch (IllegalArgumentException e) {
      throw ApiError.validation(doc.path(field), doc.path(field) + " is not a valid Mustache template: "
          + e.getMessage());
    }
  }

  /**
   * The URL's scheme and host must be plain text: no tag before the path or query begins (else
   * {@code http://api.buyer.example{{lead.x}}/} would let a lead's field pick the host), and rendered
   * with nothing filled in, it is an absolute http(s) URL.
   */
  private static void requireHttpUrl(String path, String source, LeadTemplate url) {
    int tag = source.indexOf("{{");
    if (tag >= 0) {
      String fixed = source.substring(0, tag);
      int authority = fixed.indexOf("://");
      if (authority < 0 || (fixed.indexOf('/', authority + 3) < 0 && fixed.indexOf('?', authority + 3) < 0)) {
        throw ApiError.validation(path, path + ": the scheme and host must be plain text; templates may fill"
            + " the path and the query only");
      }
    }
    String bare = url.render(Map.of());
    try {
      URI uri = new URI(bare);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw ApiError.validation(path, path + " must be an absolute http(s) URL whose scheme and host are not templated");
  }

  /** A header's value never holds a line break or another control character (no header injection). */
  private static String headerValue(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 0x20 && c != 0x7f) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
