package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.NoSuchElementException;
import org.leadex.simulator.config.Json;

/**
 * Immutable. The kit's verdict on one buyer: every case in order, as text for a person fixing an
 * endpoint or as JSON for a script. Certified when no case failed; warnings and skips do not count.
 */
public record CertificationReport(KitSettings settings, List<CaseResult> cases) {

  static final String CIRCUIT_NOTE = "Bid answers the exchange records as error, timeout or too_large count against the buyer's "
      + "circuit breaker: when half of its last 20 bid calls failed, the exchange stops calling it for 30 s.";

  public CertificationReport {
    cases = List.copyOf(cases);
  }

  public boolean certified() {
    return count(Verdict.FAIL) == 0;
  }

  /** The command's exit code: 0 certified, 1 not. */
  public int exitCode() {
    return certified() ? 0 : 1;
  }

  public long count(Verdict verdict) {
    return cases.stream().filter(c -> c.verdict() == verdict).count();
  }

  public CaseResult get(String id) {
    return cases.stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no case " + id));
  }

  /** The ids of the failed cases, in order. */
  public List<String> failed() {
    return cases.stream().filter(c -> c.verdict() == Verdict.FAIL).map(CaseResult::id).toList();
  }

  /** For a person: each case on a line; for a warning or a failure, what was sent and came back, and the fix. */
  public String text() {
    StringBuilder out = new StringBuilder(4096);
    out.append("Buyer conformance kit\n");
    out.append("  bid URL   ").append(settings.bidUrl() == null ? "(none)" : settings.bidUrl()).append('\n');
    out.append("  post URL  ").append(settings.postUrl() == null ? "(none)" : settings.postUrl()).append('\n');
    out.append("  tmax_ms ").append(settings.tmaxMs())
        .append(settings.marginMs() == 0 ? "" : " (+" + settings.marginMs() + " ms margin)")
        .append(", post_timeout_ms ").append(settings.postTimeoutMs())
        .append(", posts sent as ").append(settings.livePosts() ? "real traffic (\"test\": false)" : "test traffic (\"test\": true)")
        .append("\n\n");
    for (CaseResult c : cases) {
      out.append(String.format("%-5s %-19s %s%n", c.verdict(), c.id(), c.title()));
      out.append("      ").append(c.finding()).append('\n');
      if (c.verdict() == Verdict.WARN || c.verdict() == Verdict.FAIL) {
        for (CaseResult.Call call : c.calls().subList(0, Math.min(3, c.calls().size()))) {
          out.append("      - ").append(call.label()).append(": POST ").append(call.url()).append('\n');
          out.append("          sent      ").append(cut(call.request(), 300)).append('\n');
          out.append("          received  ").append(call.answer().describe()).append('\n');
          out.append("          exchange  ").append(call.recorded()).append('\n');
        }
        if (c.calls().size() > 3) {
          out.append("      - and ").append(c.calls().size() - 3).append(" more (see --json)\n");
        }
        out.append("      fix: ").append(c.fix()).append('\n');
      }
    }
    out.append('\n').append(certified() ? "CERTIFIED" : "NOT CERTIFIED").append(": ")
        .append(count(Verdict.PASS)).append(" passed, ").append(count(Verdict.WARN)).append(" warnings, ")
        .append(count(Verdict.FAIL)).append(" failed, ").append(count(Verdict.SKIP)).append(" skipped\n");
    out.append(CIRCUIT_NOTE).append('\n');
    return out.toString();
  }

  /** For a script: the settings, the totals and every case with every request and answer. */
  public String json() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("bid_url", settings.bidUrl() == null ? null : settings.bidUrl().toString());
    root.put("post_url", settings.postUrl() == null ? null : settings.postUrl().toString());
    root.put("tmax_ms", settings.tmaxMs());
    root.put("timeout_margin_ms", settings.marginMs());
    root.put("post_timeout_ms", settings.postTimeoutMs());
    root.put("live_posts", settings.livePosts());
    root.put("certified", certified());
    ObjectNode totals = root.putObject("totals");
    for (Verdict v : Verdict.values()) {
      totals.put(v.name().toLowerCase(java.util.Locale.ROOT), count(v));
    }
    ArrayNode list = root.putArray("cases");
    for (CaseResult c : cases) {
      ObjectNode node = list.addObject();
      node.put("id", c.id());
      node.put("title", c.title());
      node.put("verdict", c.verdict().name());
      node.put("finding", c.finding());
      node.put("fix", c.fix());
      ArrayNode calls = node.putArray("calls");
      for (CaseResult.Call call : c.calls()) {
        ObjectNode n = calls.addObject();
        n.put("label", call.label());
        n.put("url", call.url());
        n.set("request", requestJson(call.request()));
        WireAnswer a = call.answer();
        ObjectNode answer = n.putObject("answer");
        answer.put("ending", a.ending().name().toLowerCase(java.util.Locale.ROOT));
        answer.put("status", a.status());
        answer.put("content_type", a.contentType());
        answer.put("millis", a.millis());
        answer.put("bytes", a.body().length);
        answer.put("body", a.excerpt(2048));
        answer.put("failure", a.failure());
        n.put("exchange_records", call.recorded());
      }
    }
    return Json.writePretty(root);
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  /** The request as JSON when it is (the protocol's), else as text (a buyer's own format, through an adapter). */
  private static com.fasterxml.jackson.databind.JsonNode requestJson(String request) {
    try {
      return Json.parse(request, "request");
    } catch (IllegalArgumentException e) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(request);
    }
  }
}
