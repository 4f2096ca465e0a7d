package org.leadex.exchange.compliance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.leadex.exchange.json.Json;

/**
 * What a lead's consent check found: valid or not (and why not), the certificate checked, when it
 * was checked and, from the consent service, when the consent was given. Stored on the lead, shown
 * in its trace and in the returns queue, and sent to each buyer with the post. Immutable.
 *
 * @param createdAt null when the service did not say (or was not reached)
 */
public record ConsentVerdict(boolean valid, String reason, String certificate, Instant checkedAt, Instant createdAt) {

  public ObjectNode json() {
    ObjectNode out = Json.object();
    out.put("valid", valid);
    if (!valid) {
      out.put("reason", reason);
    }
    out.put("certificate", certificate);
    out.put("checked_at", checkedAt.toString());
    out.put("created_at", createdAt == null ? null : createdAt.toString());
    return out;
  }
}
