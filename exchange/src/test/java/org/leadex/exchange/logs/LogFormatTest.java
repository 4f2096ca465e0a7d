package org.leadex.exchange.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.json.Json;

class LogFormatTest {
  private static final UUID PING = UUID.fromString("0190a3b2-7c1d-7000-8000-000000000001");
  private static final UUID LEAD = UUID.fromString("0190a3b2-7c1d-7000-8000-000000000002");

  private static LogRecord record(String message, Throwable thrown) {
    LogRecord record = new LogRecord(Level.WARNING, message);
    record.setLoggerName("org.leadex.exchange.delivery.LeadDelivery");
    record.setParameters(new Object[] {new LeadLog.Ids(PING, LEAD)});
    record.setThrown(thrown);
    return record;
  }

  @Test
  void aJsonLineCarriesTheIdsAndTheStackTraceAndMasksPii() {
    String line = new JsonLogFormatter().format(record("buyer said: bob@mail.example.org is a duplicate",
        new IllegalStateException("phone 212-555-0188 refused")));
    assertTrue(line.endsWith(System.lineSeparator()));
    assertEquals(1, line.strip().lines().count(), "one line");
    JsonNode json = Json.parse(line);
    assertEquals("WARNING", json.get("level").asText());
    assertEquals("org.leadex.exchange.delivery.LeadDelivery", json.get("logger").asText());
    assertEquals(PING.toString(), json.get("ping_id").asText());
    assertEquals(LEAD.toString(), json.get("lead_id").asText());
    assertEquals("buyer said: [email] is a duplicate", json.get("msg").asText());
    assertTrue(json.get("exception").asText().contains("IllegalStateException: phone [phone] refused"));
    assertTrue(json.get("ts").asText().endsWith("Z"));
  }

  @Test
  void aLineAboutNoLeadHasNoIds() {
    LogRecord record = new LogRecord(Level.INFO, "exchange ready on port 8080");
    record.setLoggerName("x");
    JsonNode json = Json.parse(new JsonLogFormatter().format(record));
    assertFalse(json.has("ping_id"));
    assertEquals("exchange ready on port 8080", json.get("msg").asText());
  }

  @Test
  void theTextFormatShowsTheIdsToo() {
    String line = new TextLogFormatter().format(record("sold to acme", null));
    assertTrue(line.contains("WARNING org.leadex.exchange.delivery.LeadDelivery: [ping " + PING + "] [lead " + LEAD
        + "] sold to acme"), line);
  }

  @Test
  void idsAndTimesAreNotMistakenForPhones() {
    String text = "ping " + PING + " at 2026-11-23T20:41:00.123Z took 1234 ms, port 41525";
    assertEquals(text, PiiMask.mask(text));
    assertEquals("call [phone] or [phone] or [phone]", PiiMask.mask("call +442079460958 or 415.555.0132 or 4155550132"));
  }
}
