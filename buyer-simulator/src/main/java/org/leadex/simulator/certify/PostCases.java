package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * Pure. Judges the posts of one run (sent by {@link ConformanceKit}). The exchange takes anything
 * but 200 {@code {"accepted": true}} as a rejection, so a malformed acceptance is a lost sale and a
 * late one a lead the buyer must not keep; a buyer may decline any lead, so a well-formed rejection
 * never fails a case.
 */
final class PostCases {
  private PostCases() {}

  /**
   * The posts of one run.
   *
   * @param basis which bid the first post follows, in words
   * @param repeat the first post sent again unchanged; null (and {@code reject} too) when the first could not be sent
   */
  record Round(String basis, PostExchange accept, PostExchange repeat, PostExchange reject) {}

  static final String ACCEPT = "post.accept";
  static final String REPEAT = "post.repeat";
  static final String REJECT = "post.reject";

  private static final String T_ACCEPT = "A post after a bid (its bid_id echoed) is accepted as {\"accepted\": true, \"reference\": \"...\"}";
  private static final String T_REPEAT = "The same post again (same lead_id) is not bought twice";
  private static final String T_REJECT = "A lead with blank contact fields is declined as {\"accepted\": false, \"reason\": \"...\"}";

  static List<CaseResult> skipped(String why) {
    return List.of(CaseResult.skip(ACCEPT, T_ACCEPT, why), CaseResult.skip(REPEAT, T_REPEAT, why), CaseResult.skip(REJECT, T_REJECT, why));
  }

  static List<CaseResult> judge(Round r, KitSettings s) {
    if (r.repeat() == null) {
      List<CaseResult> out = new java.util.ArrayList<>(List.of(accept(r, s)));
      out.addAll(skipped("not run: the post URL could not be reached").subList(1, 3));
      return out;
    }
    return List.of(accept(r, s), repeat(r, s), reject(r.reject(), s));
  }

  static CaseResult accept(Round r, KitSettings s) {
    PostExchange e = r.accept();
    PostReading p = e.reading();
    String finding = "posted " + r.basis() + "; the exchange records " + p.recorded();
    if (!p.wellFormed()) {
      return new CaseResult(ACCEPT, T_ACCEPT, Verdict.FAIL, List.of(e.call()), finding, fix(p, s));
    }
    if (!p.accepted()) {
      return new CaseResult(ACCEPT, T_ACCEPT, Verdict.WARN, List.of(e.call()), finding + ": the kit did not see an acceptance",
          "Give the kit a lead you would buy: --lead-field and --pii-field NAME=VALUE with your campaign's fields.");
    }
    if (p.reference() == null) {
      return new CaseResult(ACCEPT, T_ACCEPT, Verdict.WARN, List.of(e.call()), finding,
          "Send a \"reference\" (your id for the lead) when you accept: the exchange keeps it for returns, disputes and support.");
    }
    return new CaseResult(ACCEPT, T_ACCEPT, Verdict.PASS, List.of(e.call()), finding, null);
  }

  static CaseResult repeat(Round r, KitSettings s) {
    PostReading first = r.accept().reading();
    PostExchange e = r.repeat();
    PostReading again = e.reading();
    List<CaseResult.Call> calls = List.of(r.accept().call(), e.call());
    String fix = "Remember the lead_ids you bought: answer a repeated post with the first answer (the same reference) "
        + "or 200 {\"accepted\": false, \"reason\": \"duplicate\"}, never as a second purchase.";
    if (!first.accepted()) {
      return new CaseResult(REPEAT, T_REPEAT, Verdict.WARN, calls,
          "the first post was not accepted" + (again.accepted() ? " but the repeat was (" + again.recorded() + ")" : "")
              + ", so a second purchase could not be tested",
          "See post.accept: the kit needs a lead you accept.");
    }
    if (again.accepted()) {
      if (first.reference() != null && again.reference() != null && !first.reference().equals(again.reference())) {
        return new CaseResult(REPEAT, T_REPEAT, Verdict.FAIL, calls,
            "accepted the same lead_id twice, as references " + first.reference() + " and " + again.reference()
                + ": bought twice (the exchange takes one sale)", fix);
      }
      if (Objects.equals(first.reference(), again.reference()) && first.reference() != null) {
        return new CaseResult(REPEAT, T_REPEAT, Verdict.PASS, calls,
            "answered the repeat as the first post (reference " + first.reference() + "): bought once", null);
      }
      return new CaseResult(REPEAT, T_REPEAT, Verdict.WARN, calls,
          "accepted twice without references to compare: the kit cannot tell one purchase from two",
          "Send a reference with every acceptance, and answer a repeated lead_id with the first answer.");
    }
    if (!again.wellFormed()) {
      return new CaseResult(REPEAT, T_REPEAT, Verdict.WARN, calls,
          "the exchange takes the repeat as " + again.recorded() + ", which is safe, but not in the contract's form",
          "Answer a repeat with 200 {\"accepted\": false, \"reason\": \"duplicate\"} or with the first answer again.");
    }
    return new CaseResult(REPEAT, T_REPEAT, Verdict.PASS, calls, "declined the repeat: " + again.recorded(), null);
  }

  static CaseResult reject(PostExchange e, KitSettings s) {
    PostReading p = e.reading();
    List<CaseResult.Call> calls = List.of(e.call());
    String finding = "the exchange records " + p.recorded();
    if (p.accepted()) {
      return new CaseResult(REJECT, T_REJECT, Verdict.WARN, calls,
          finding + ": the lead was bought, so the form of your rejection was not seen",
          "If you validate leads, post the kit one you decline: --reject-field NAME=VALUE; if you buy every lead, ignore this.");
    }
    if (!p.wellFormed()) {
      boolean statusOnly = p.reason().startsWith("status ");
      return new CaseResult(REJECT, T_REJECT, statusOnly ? Verdict.WARN : Verdict.FAIL, calls,
          finding + (statusOnly ? ": a rejection, but your reason is lost" : ""),
          statusOnly ? "Decline with 200 {\"accepted\": false, \"reason\": \"...\"}: another status loses your reason." : fix(p, s));
    }
    JsonNode body = e.byRules() ? null : BidReading.parse(e.answer().body());
    // Through an adapter, the reason is what its reason rule read ("rejected" when it read nothing).
    JsonNode given = e.byRules()
        ? ("rejected".equals(p.reason()) ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(p.reason()))
        : body == null ? null : body.get("reason");
    if (given == null || given.isNull() || given.asText().isBlank()) {
      return new CaseResult(REJECT, T_REJECT, Verdict.WARN, calls, finding + " (no reason given)",
          "Add a \"reason\" (e.g. \"invalid_phone\"): it shows in the exchange's decision trace and reports.");
    }
    return new CaseResult(REJECT, T_REJECT, Verdict.PASS, calls, finding, null);
  }

  /** One line on how to fix a post answer the exchange cannot take as the buyer meant it. */
  static String fix(PostReading p, KitSettings s) {
    String reason = p.reason();
    if (reason.startsWith("timeout")) {
      return "Answer a post within post_timeout_ms (" + s.postTimeoutMs() + " ms here): after it the exchange counts a rejection, "
          + "resets the request and offers the lead to the next buyer, so you must not keep it.";
    }
    if (reason.startsWith("too_large")) {
      return "Keep post answers under 64 KiB: {\"accepted\": true, \"reference\": \"...\"} is enough.";
    }
    if (reason.startsWith("status ")) {
      return "Answer a post with 200 and {\"accepted\": true, \"reference\": \"...\"} or {\"accepted\": false, \"reason\": \"...\"}: "
          + "any other status is a rejection, so a lead you meant to buy is lost.";
    }
    if (reason.startsWith("malformed")) {
      return "Answer one JSON object with a JSON boolean \"accepted\" (true, not \"true\" or 1): anything else is a rejection.";
    }
    return "The HTTP exchange failed (" + reason.replaceFirst("^error: ", "") + "): check the URL and TLS, and that the server answers before closing the connection.";
  }
}
