package org.leadex.exchange.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.reports.ReportPeriod;

/**
 * {@code POST /v1/admin/replay}'s body: a campaign, inclusive UTC dates as in reports, the changes
 * to try, and whether to list the leads one by one ({@code "leads": true}, at most
 * {@link #MAX_LEADS_LISTED}, posted pings only).
 */
public record ReplayRequest(String campaign, ReportPeriod period, ReplayChanges changes, boolean listLeads) {
  public static final int MAX_LEADS_LISTED = 10_000;

  public static ReplayRequest read(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiError.validation("", "the body must be a JSON object");
    }
    for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!java.util.Set.of("campaign", "from", "to", "changes", "leads").contains(name)) {
        throw ApiError.validation(name, "unknown field '" + name + "'");
      }
    }
    JsonNode campaign = body.get("campaign");
    if (campaign == null || !campaign.isTextual() || campaign.textValue().isEmpty()) {
      throw ApiError.validation("campaign", "campaign (a campaign code) is required");
    }
    LocalDate from = date(body, "from");
    LocalDate to = date(body, "to");
    ReportPeriod period;
    try {
      period = new ReportPeriod(from, to);
    } catch (IllegalArgumentException e) {
      throw ApiError.validation("to", e.getMessage());
    }
    JsonNode leads = body.get("leads");
    if (leads != null && !leads.isBoolean()) {
      throw ApiError.validation("leads", "leads must be true or false");
    }
    return new ReplayRequest(campaign.textValue(), period, ReplayChanges.read(body.get("changes")),
        leads != null && leads.booleanValue());
  }

  private static LocalDate date(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw ApiError.validation(field, field + " (a date, YYYY-MM-DD, UTC) is required");
    }
    try {
      return LocalDate.parse(value.textValue());
    } catch (DateTimeParseException e) {
      throw ApiError.validation(field, field + " must be a date, YYYY-MM-DD");
    }
  }
}
