package org.leadex.exchange.templates;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Mustache template (JMustache) compiled once, when the catalog that holds it is loaded, and
 * rendered per lead. {@code {{x}}} is escaped for the template's {@link TemplateFormat};
 * {@code {{{x}}}} is raw; a name with no value renders empty; dotted names reach into maps
 * ({@code {{lead.first_name}}}). Thread safe: a compiled JMustache template is immutable.
 */
public final class LeadTemplate {
  /** Templates longer than this are refused: a body template is a page, not a program. */
  public static final int MAX_LENGTH = 64 * 1024;

  private final String source;
  private final TemplateFormat format;
  private final Template template;

  private LeadTemplate(String source, TemplateFormat format, Template template) {
    this.source = source;
    this.format = format;
    this.template = template;
  }

  /** Compiles a template; {@link IllegalArgumentException} with Mustache's message when it does not parse. */
  public static LeadTemplate compile(String source, TemplateFormat format) {
    return compile(source, format, format::escape);
  }

  /**
   * Compiles a template whose {@code {{x}}} gets another escaping than its body format's: a URL's
   * (percent-encoding) or a header's (line breaks removed, so a value can never start a header of its own).
   */
  public static LeadTemplate compile(String source, TemplateFormat format, Mustache.Escaper escaper) {
    try {
      Template template = Mustache.compiler()
          .withEscaper(escaper)
          .defaultValue("")
          .compile(source);
      return new LeadTemplate(source, format, template);
    } catch (MustacheException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public String source() {
    return source;
  }

  public TemplateFormat format() {
    return format;
  }

  /** Renders the template over a context of maps, lists and scalars; {@link MustacheException} on a runtime error. */
  public String render(Map<String, Object> context) {
    return template.execute(context);
  }

  /** Every name the template reads ({@code lead.email}, {@code price}, sections included), in order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    template.visit(new Mustache.Visitor() {
      @Override
      public void visitText(String text) {}

      @Override
      public void visitVariable(String name) {
        names.add(name);
      }

      @Override
      public boolean visitInclude(String name) {
        return false;
      }

      @Override
      public boolean visitSection(String name) {
        names.add(name);
        return true;
      }

      @Override
      public boolean visitInvertedSection(String name) {
        names.add(name);
        return true;
      }
    });
    return names;
  }
}
