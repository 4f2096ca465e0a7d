package org.leadex.loadtest.traffic;

import java.util.LinkedHashMap;
import java.util.Map;

/** A generated lead: the fields a ping may carry, and the PII that only a post carries. */
public record Lead(Map<String, Object> nonPii, Map<String, Object> pii) {

  public Map<String, Object> allFields() {
    Map<String, Object> all = new LinkedHashMap<>(nonPii);
    all.putAll(pii);
    return all;
  }
}
