package org.leadex.exchange.catalog;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.leadex.exchange.adapters.Adapter;
import org.leadex.exchange.adapters.ResponseRules;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.templates.FieldMapping;
import org.leadex.exchange.templates.LeadTemplate;
import org.leadex.exchange.templates.TemplateFormat;

/**
 * Where a copy of a sold lead goes besides the buyer's post: the buyer's CRM ({@code "crm"}) or a
 * notification channel ({@code "notify"}), with the body built by a Mustache template or a field
 * mapping, compiled when the catalog is loaded. Deliveries go through the outbox after the sale is
 * recorded, never on the seller's time. Immutable; thread safe.
 *
 * @param maxAttempts tries before the delivery is dead-lettered
 * @param response    for a CRM that answers 200 to everything: the rules (those of adapters) by which its
 *                    answer says it took the lead; without them any 2xx does
 */
public record Webhook(URI url, TemplateFormat format, Optional<LeadTemplate> template, Optional<FieldMapping> mapping,
                      int maxAttempts, Optional<ResponseRules> response) {

  public Webhook(URI url, TemplateFormat format, Optional<LeadTemplate> template, Optional<FieldMapping> mapping,
                 int maxAttempts) {
    this(url, format, template, mapping, maxAttempts, Optional.empty());
  }
  /** The names a body can use besides {@code lead.<field>}. */
  public static final Set<String> SALE_NAMES = Set.of("ping_id", "lead_id", "price", "buyer", "buyer_name",
      "campaign", "source", "test", "sold_at", "reference");

  /** Slack- and Mattermost-style {@code {"text": ...}} without any PII. */
  static final String DEFAULT_NOTIFY_TEMPLATE = "{\"text\":\"New lead {{lead_id}} for {{buyer_name}}: campaign"
      + " {{campaign}}, source {{source}}, price {{price}}\"}";

  public String render(Map<String, Object> context) {
    return template.map(t -> t.render(context)).orElseGet(() -> mapping.orElseThrow().render(context));
  }

  /** {@code "crm": {"url", "format": "json"|"form"|"xml", "template" or "mapping", "max_attempts", "response"}}. */
  static Webhook readCrm(DocReader doc) {
    URI url = Buyer.url(doc.string("url", 2000), doc.path("url"));
    TemplateFormat format = doc.optEnum("format", TemplateFormat.class).orElse(TemplateFormat.JSON);
    Optional<LeadTemplate> template = template(doc, format);
    Optional<FieldMapping> mapping = doc.optObject("mapping").map(m -> mapping(m, doc.path("mapping"), format));
    if (template.isPresent() == mapping.isPresent()) {
      throw ApiError.validation(doc.path("template"), "a crm needs either a template or a mapping, not both");
    }
    int maxAttempts = doc.integer("max_attempts", 1, 20, 5);
    // Read as a post adapter's rules: "accepted" is required, "reason" says why not.
    Optional<ResponseRules> response = doc.optObject("response").map(r -> ResponseRules.read(r, Adapter.Kind.POST));
    doc.done();
    if (format == TemplateFormat.XML && mapping.isPresent()) {
      throw ApiError.validation(doc.path("mapping"), "a mapping builds JSON or a form; an XML body needs a template");
    }
    return new Webhook(url, format, template, mapping, maxAttempts, response);
  }

  /** {@code "notify": {"url", "template", "max_attempts"}}: a JSON body, by default a PII-free line of text. */
  static Webhook readNotify(DocReader doc) {
    URI url = Buyer.url(doc.string("url", 2000), doc.path("url"));
    LeadTemplate template = template(doc, TemplateFormat.JSON)
        .orElseGet(() -> LeadTemplate.compile(DEFAULT_NOTIFY_TEMPLATE, TemplateFormat.JSON));
    int maxAttempts = doc.integer("max_attempts", 1, 20, 3);
    doc.done();
    return new Webhook(url, TemplateFormat.JSON, Optional.of(template), Optional.empty(), maxAttempts);
  }

  private static Optional<LeadTemplate> template(DocReader doc, TemplateFormat format) {
    return doc.optString("template", LeadTemplate.MAX_LENGTH).map(source -> {
      try {
        return LeadTemplate.compile(source, format);
      } catch (IllegalArgumentException e) {
        throw ApiError.validation(doc.path("template"), doc.path("template") + " is not a valid Mustache template: "
            + e.getMessage());
      }
    });
  }

  private static FieldMapping mapping(DocReader doc, String path, TemplateFormat format) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (var names = doc.fieldNames(); names.hasNext(); ) {
      String theirs = names.next();
      String ours = doc.string(theirs, 200);
      if (!SALE_NAMES.contains(ours) && !(ours.startsWith("lead.") && ours.length() > 5)) {
        throw ApiError.validation(doc.path(theirs), doc.path(theirs) + " must name lead.<field> or one of "
            + SALE_NAMES.stream().sorted().toList());
      }
      fields.put(theirs, ours);
    }
    if (fields.isEmpty() || fields.size() > 200) {
      throw ApiError.validation(path, path + " needs 1 to 200 fields");
    }
    return new FieldMapping(fields, format);
  }
}
