package org.leadex.exchange.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leadex.exchange.json.Json;

class LeadTemplateTest {
  private static final Map<String, Object> CONTEXT = Map.of(
      "price", new BigDecimal("14.25"),
      "lead_id", "L1",
      "lead", Map.of("first_name", "Ann \"Nan\"", "city", "A&B \\ C", "age", 42));

  @Test
  void valuesAreEscapedAsJsonStringContentAndTripleBracesAreRaw() {
    LeadTemplate t = LeadTemplate.compile("{\"name\":\"{{lead.first_name}}\",\"city\":\"{{lead.city}}\","
        + "\"price\":{{price}},\"raw\":{{{lead.age}}},\"none\":\"{{lead.nothing}}\"}", TemplateFormat.JSON);
    String body = t.render(CONTEXT);
    var json = Json.parse(body);
    assertEquals("Ann \"Nan\"", json.get("name").asText());
    assertEquals("A&B \\ C", json.get("city").asText());
    assertEquals(new BigDecimal("14.25"), json.get("price").decimalValue());
    assertEquals(42, json.get("raw").asInt());
    assertEquals("", json.get("none").asText());
  }

  @Test
  void valuesAreFormEncodedInAFormTemplate() {
    LeadTemplate t = LeadTemplate.compile("name={{lead.first_name}}&city={{lead.city}}&price={{price}}",
        TemplateFormat.FORM);
    assertEquals("name=Ann+%22Nan%22&city=A%26B+%5C+C&price=14.25", t.render(CONTEXT));
  }

  @Test
  void aTemplateThatDoesNotParseIsRefusedAndNamesAreListed() {
    assertThrows(IllegalArgumentException.class, () -> LeadTemplate.compile("{{#lead}}open", TemplateFormat.JSON));
    assertEquals(List.of("lead.first_name", "lead", "city", "price"),
        LeadTemplate.compile("{{lead.first_name}}{{#lead}}{{city}}{{/lead}}{{{price}}}", TemplateFormat.JSON).names());
  }

  @Test
  void aMappingKeepsJsonTypesAndLeavesOutMissingValues() {
    FieldMapping json = new FieldMapping(Map.of("Age", "lead.age", "Amount", "price", "Name", "lead.first_name",
        "Gone", "lead.nothing"), TemplateFormat.JSON);
    assertEquals("{\"Age\":42,\"Amount\":14.25,\"Name\":\"Ann \\\"Nan\\\"\"}", json.render(CONTEXT));
    FieldMapping form = new FieldMapping(Map.of("City", "lead.city", "Id", "lead_id"), TemplateFormat.FORM);
    assertEquals("City=A%26B+%5C+C&Id=L1", form.render(CONTEXT));
  }
}
