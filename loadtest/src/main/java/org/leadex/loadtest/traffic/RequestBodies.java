package org.leadex.loadtest.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON bodies of the seller calls, shaped as in the contract's "Sellers". Thread safe. */
public final class RequestBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String campaign;
  private final String source;
  private final boolean testTraffic;
  private final boolean hashes;

  public RequestBodies(String campaign, String source, boolean testTraffic) {
    this(campaign, source, testTraffic, false);
  }

  /**
   * @param testTraffic adds {@code "test": true}, which keeps the load out of the exchange's
   *     reports, caps, budgets and dedupe (posts inherit it from their ping)
   * @param hashes pings carry the contract's {@code "hashes"} of the lead's phone and e-mail, so
   *     that dedupe and suppression lists run at ping time
   */
  public RequestBodies(String campaign, String source, boolean testTraffic, boolean hashes) {
    this.campaign = campaign;
    this.source = source;
    this.testTraffic = testTraffic;
    this.hashes = hashes;
  }

  /** {@code {"campaign", "source", "lead": {non-PII fields}}}, and {@code "hashes"} when asked for. */
  public byte[] ping(Lead lead) {
    Map<String, Object> body = seller(lead.nonPii());
    if (hashes) {
      // The generator's phones are E.164 and its e-mails lower case already: hashed as they are.
      body.put("hashes", Map.of("phone", sha256(String.valueOf(lead.pii().get("phone"))),
          "email", sha256(String.valueOf(lead.pii().get("email")))));
    }
    return write(body);
  }

  private static String sha256(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** {@code {"ping_id", "lead": {all fields}}}: the non-PII fields equal the ping's. */
  public byte[] post(String pingId, Lead lead) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ping_id", pingId);
    body.put("lead", lead.allFields());
    return write(body);
  }

  /** {@code {"campaign", "source", "lead": {all fields}}} */
  public byte[] direct(Lead lead) {
    return write(seller(lead.allFields()));
  }

  private Map<String, Object> seller(Map<String, Object> fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("campaign", campaign);
    body.put("source", source);
    if (testTraffic) {
      body.put("test", true);
    }
    body.put("lead", fields);
    return body;
  }

  private static byte[] write(Map<String, Object> body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
