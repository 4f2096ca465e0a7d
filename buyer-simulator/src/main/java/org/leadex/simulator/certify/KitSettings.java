package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Immutable. What the conformance kit sends and how strictly it times the answers.
 *
 * @param bidUrl the buyer's bid endpoint, or null for a buyer without one (fixed price): bid cases are skipped
 * @param postUrl the buyer's post endpoint, or null: post cases are skipped
 * @param tmaxMs the budget told to the buyer in {@code tmax_ms}, which the exchange enforces
 * @param marginMs added to {@code tmax_ms} when judging time, for a kit that runs farther from the
 *     buyer than the exchange does (its round trip); 0 judges as the exchange does
 * @param lateWaitMs how long past a deadline the kit keeps listening, to show a late answer and what it said
 * @param postTimeoutMs the post's budget (the campaign's {@code post_timeout_ms}; the exchange's default 3000)
 * @param lead the sample lead's non-PII fields (sent in bid requests and posts)
 * @param pii the sample lead's PII fields (sent in posts only, never in a bid request)
 * @param noBidLead overrides of the lead for the request meant to be declined (score 0 besides)
 * @param rejectLead overrides of the lead for the post meant to be rejected (PII blanked besides)
 * @param repeats extra normal bid requests, so that timing is judged on more than one answer
 * @param livePosts send posts as real traffic ({@code "test": false}) instead of test traffic
 */
public record KitSettings(
    URI bidUrl,
    URI postUrl,
    int tmaxMs,
    int marginMs,
    int lateWaitMs,
    int postTimeoutMs,
    String campaign,
    String vertical,
    int score,
    Map<String, JsonNode> lead,
    Map<String, JsonNode> pii,
    Map<String, JsonNode> noBidLead,
    Map<String, JsonNode> rejectLead,
    int repeats,
    boolean livePosts) {

  /** A lead of the simulator's registered campaign (docs/buyer-simulator.md, "Registration"). */
  public static final Map<String, JsonNode> SAMPLE_LEAD = ordered(
      "zip", text("90210"), "state", text("CA"), "age", JsonNodeFactory.instance.numberNode(40));
  public static final Map<String, JsonNode> SAMPLE_PII = ordered(
      "first_name", text("Test"), "last_name", text("Lead"), "email", text("test.lead@example.com"),
      "phone", text("+13105550100"), "address", text("1 Test Street, Beverly Hills"));

  public KitSettings {
    if (bidUrl == null && postUrl == null) {
      throw new IllegalArgumentException("give --bid-url, --post-url or both");
    }
    checkUrl(bidUrl, "--bid-url");
    checkUrl(postUrl, "--post-url");
    if (tmaxMs < 1 || tmaxMs > 60_000) {
      throw new IllegalArgumentException("--tmax-ms must be between 1 and 60000, got " + tmaxMs);
    }
    if (marginMs < 0 || lateWaitMs < 0 || marginMs > 60_000 || lateWaitMs > 60_000) {
      throw new IllegalArgumentException("--timeout-margin-ms and --late-wait-ms must be between 0 and 60000");
    }
    if (postTimeoutMs < 10 || postTimeoutMs > 60_000) {
      throw new IllegalArgumentException("--post-timeout-ms must be between 10 and 60000 (the campaign's range), got " + postTimeoutMs);
    }
    if (score < 0 || score > 100) {
      throw new IllegalArgumentException("--score must be between 0 and 100, got " + score);
    }
    if (repeats < 0 || repeats > 100) {
      throw new IllegalArgumentException("--repeat must be between 0 and 100, got " + repeats);
    }
    lead = Map.copyOf(lead);
    pii = Map.copyOf(pii);
    noBidLead = Map.copyOf(noBidLead);
    rejectLead = Map.copyOf(rejectLead);
    for (String name : pii.keySet()) {
      if (lead.containsKey(name)) {
        throw new IllegalArgumentException("'" + name + "' is both a lead field and a PII field");
      }
    }
  }

  /** The exchange's defaults: tmax_ms 120 judged exactly, posts within 3 s, the sample lead, test posts. */
  public static KitSettings of(URI bidUrl, URI postUrl) {
    return new KitSettings(bidUrl, postUrl, 120, 0, 1_000, 3_000, "certify", "auto-insurance", 50,
        SAMPLE_LEAD, SAMPLE_PII, Map.of(), Map.of(), 5, false);
  }

  public KitSettings withTmaxMs(int ms) {
    return new KitSettings(bidUrl, postUrl, ms, marginMs, lateWaitMs, postTimeoutMs, campaign, vertical, score, lead, pii,
        noBidLead, rejectLead, repeats, livePosts);
  }

  public KitSettings withMarginMs(int ms) {
    return new KitSettings(bidUrl, postUrl, tmaxMs, ms, lateWaitMs, postTimeoutMs, campaign, vertical, score, lead, pii,
        noBidLead, rejectLead, repeats, livePosts);
  }

  public KitSettings withPostTimeoutMs(int ms) {
    return new KitSettings(bidUrl, postUrl, tmaxMs, marginMs, lateWaitMs, ms, campaign, vertical, score, lead, pii,
        noBidLead, rejectLead, repeats, livePosts);
  }

  public KitSettings withLateWaitMs(int ms) {
    return new KitSettings(bidUrl, postUrl, tmaxMs, marginMs, ms, postTimeoutMs, campaign, vertical, score, lead, pii,
        noBidLead, rejectLead, repeats, livePosts);
  }

  public KitSettings withRepeats(int n) {
    return new KitSettings(bidUrl, postUrl, tmaxMs, marginMs, lateWaitMs, postTimeoutMs, campaign, vertical, score, lead, pii,
        noBidLead, rejectLead, n, livePosts);
  }

  /** When a bid answer is late: {@code tmax_ms} plus the margin. */
  public long bidDeadlineMs() {
    return (long) tmaxMs + marginMs;
  }

  /** The sample lead's non-PII fields in a stable order (the map itself is unordered). */
  public Map<String, JsonNode> orderedLead(Map<String, JsonNode> overrides) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    SAMPLE_LEAD.keySet().stream().filter(lead::containsKey).forEach(k -> out.put(k, lead.get(k)));
    lead.keySet().stream().sorted().forEach(k -> out.putIfAbsent(k, lead.get(k)));
    overrides.keySet().stream().filter(k -> !pii.containsKey(k)).sorted().forEach(k -> out.put(k, overrides.get(k)));
    return out;
  }

  /** The PII fields in a stable order, with overrides of PII fields applied. */
  public Map<String, JsonNode> orderedPii(Map<String, JsonNode> overrides) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    SAMPLE_PII.keySet().stream().filter(pii::containsKey).forEach(k -> out.put(k, pii.get(k)));
    pii.keySet().stream().sorted().forEach(k -> out.putIfAbsent(k, pii.get(k)));
    overrides.keySet().stream().filter(pii::containsKey).sorted().forEach(k -> out.put(k, overrides.get(k)));
    return out;
  }

  private static void checkUrl(URI url, String flag) {
    if (url == null) {
      return;
    }
    String scheme = url.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null) {
      throw new IllegalArgumentException(flag + " must be an absolute http:// or https:// URL, got " + url);
    }
  }

  private static JsonNode text(String s) {
    return JsonNodeFactory.instance.textNode(s);
  }

  private static Map<String, JsonNode> ordered(Object... pairs) {
    Map<String, JsonNode> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (JsonNode) pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
