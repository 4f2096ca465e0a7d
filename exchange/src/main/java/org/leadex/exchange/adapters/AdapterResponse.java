package org.leadex.exchange.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.leadex.exchange.json.Json;
import org.w3c.dom.Document;

/**
 * A buyer's answer as its adapter's rules see it: the status, the body, and the body read as its
 * {@code Content-Type} says (JSON for {@code *json*}, XML for {@code *xml*}, text for anything), each
 * parsed at most once whatever the number of rules. Confined to one thread (the call's event loop).
 */
public final class AdapterResponse {
  /** How much of an unreadable body is kept with its reason. */
  public static final int EXCERPT_BYTES = 2 * 1024;

  /** What a body is, by its Content-Type. */
  public enum BodyKind { JSON, XML, TEXT }

  private static final ThreadLocal<DocumentBuilder> XML_PARSER = ThreadLocal.withInitial(AdapterResponse::parser);

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final BodyKind kind;
  private JsonNode json;
  private Document xml;
  private String text;
  private boolean parsed;
  private boolean malformed;

  public AdapterResponse(int status, String contentType, byte[] body) {
    this.status = status;
    this.contentType = contentType == null ? "" : contentType;
    this.body = body;
    String type = this.contentType.toLowerCase();
    this.kind = type.contains("json") ? BodyKind.JSON : type.contains("xml") ? BodyKind.XML : BodyKind.TEXT;
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public BodyKind kind() {
    return kind;
  }

  public boolean success() {
    return status >= 200 && status < 300;
  }

  /** The body as JSON; null when its Content-Type is not JSON or it does not parse. */
  JsonNode json() {
    parse();
    return json;
  }

  /** The body as an XML document; null when its Content-Type is not XML or it does not parse. */
  Document xml() {
    parse();
    return xml;
  }

  /** The body as UTF-8 text (any Content-Type: a regex reads every body). */
  String text() {
    if (text == null) {
      text = new String(body, StandardCharsets.UTF_8);
    }
    return text;
  }

  /** Whether the body claims JSON or XML and is not. */
  public boolean malformed() {
    parse();
    return malformed;
  }

  /** The first {@link #EXCERPT_BYTES} of the body as text, secrets masked: what an unreadable answer is recorded with. */
  public String excerpt(Secrets secrets) {
    int length = Math.min(body.length, EXCERPT_BYTES);
    // A cut through a multi-byte character decodes to one replacement character: harmless.
    return secrets.mask(new String(body, 0, length, StandardCharsets.UTF_8));
  }

  private void parse() {
    if (parsed) {
      return;
    }
    parsed = true;
    try {
      if (kind == BodyKind.JSON) {
        json = Json.parse(body);
      } else if (kind == BodyKind.XML) {
        DocumentBuilder parser = XML_PARSER.get();
        parser.reset();
        parser.setErrorHandler(SILENT); // reset() forgets it
        xml = parser.parse(new ByteArrayInputStream(body));
      }
    } catch (Exception e) { // IOException, SAXException: not what the Content-Type said
      malformed = true;
    }
  }

  /**
   * An XML parser that reads no DTD and no external entity: a buyer's answer must not make the exchange
   * fetch files or URLs (XXE) or expand entities into gigabytes.
   */
  private static final org.xml.sax.ErrorHandler SILENT = new org.xml.sax.ErrorHandler() {
    @Override
    public void warning(org.xml.sax.SAXParseException e) {}

    @Override
    public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
      throw e;
    }

    @Override
    public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
      throw e;
    }
  };

  private static DocumentBuilder parser() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      factory.setNamespaceAware(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(SILENT); // the default handler prints every parse error to stderr
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be secured", e);
    }
  }
}
