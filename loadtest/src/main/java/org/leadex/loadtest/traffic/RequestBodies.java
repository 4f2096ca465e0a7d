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

  /**
   * @param testTraffic adds {@code "test": true}, which keeps the load out of the exchange's
   *     reports, caps, budgets and dedupe (posts inherit it from their ping)
   */
  public RequestBodies(String campaign, String source, boolean testTraffic) {
    this.campaign = campaign;
    this.source = source;
    this.testTraffic = testTraffic;
  }

  /** {@code {"campaign", "source", "lead": {non-PII fields}}} */
  public byte[] ping(Lead lead) {
    return write(seller(lead.nonPii()));
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
