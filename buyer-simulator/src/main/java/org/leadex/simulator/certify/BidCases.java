package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pure. Judges the bid requests of one run (sent by {@link ConformanceKit}) case by case. A case
 * fails when the exchange would record something other than a bid or a no-bid, or when the
 * contract is broken in a way the exchange cannot see yet ({@code shared_bid}).
 */
final class BidCases {
  private BidCases() {}

  /** The bid requests of one run, by the case that sent them; {@code repeats} are further normal requests. */
  record Round(BidExchange connect, BidExchange normal, BidExchange testLead, BidExchange shared,
               BidExchange unknownFields, BidExchange noBid, List<BidExchange> repeats) {

    /** Every judged request (the warm-up is not timed: it pays for the connection). */
    List<BidExchange> judged() {
      List<BidExchange> all = new ArrayList<>(List.of(normal, testLead, shared, unknownFields, noBid));
      all.addAll(repeats);
      return all;
    }
  }

  static final String CONNECT = "bid.connect";
  static final String NORMAL = "bid.normal";
  static final String TEST_LEAD = "bid.test_lead";
  static final String SHARED = "bid.shared";
  static final String UNKNOWN_FIELDS = "bid.unknown_fields";
  static final String NO_BID = "bid.no_bid";
  static final String TIMING = "bid.timing";
  static final String SIZE_AND_TYPE = "bid.size_and_type";

  private static final String T_CONNECT = "The bid URL takes a connection and answers HTTP (a warm-up test request; not timed)";
  private static final String T_NORMAL = "A normal bid request gets a valid bid or no-bid";
  private static final String T_TEST_LEAD = "A test lead (\"test\": true) is answered like any other";
  private static final String T_SHARED = "A best campaign's request (sale_modes [\"exclusive\",\"shared\"]) gets a valid answer; "
      + "an optional shared_bid is money with at most 2 decimals";
  private static final String T_UNKNOWN = "A request with fields the buyer does not know (at the top and in lead) is answered as usual";
  private static final String T_NO_BID = "A no-bid is 204 or 200 {\"bid\": 0}";
  private static final String T_TIMING = "Every answer arrives within tmax_ms";
  private static final String T_SIZE = "Answers are JSON and under 64 KiB";

  static List<CaseResult> skipped(String why) {
    return List.of(CaseResult.skip(CONNECT, T_CONNECT, why), CaseResult.skip(NORMAL, T_NORMAL, why),
        CaseResult.skip(TEST_LEAD, T_TEST_LEAD, why), CaseResult.skip(SHARED, T_SHARED, why),
        CaseResult.skip(UNKNOWN_FIELDS, T_UNKNOWN, why), CaseResult.skip(NO_BID, T_NO_BID, why),
        CaseResult.skip(TIMING, T_TIMING, why), CaseResult.skip(SIZE_AND_TYPE, T_SIZE, why));
  }

  static List<CaseResult> judge(Round r, KitSettings s) {
    return List.of(connect(r.connect()), normal(r, s), testLead(r, s), shared(r.shared(), s),
        unknownFields(r, s), noBid(r), timing(r, s), sizeAndType(r));
  }

  static CaseResult connect(BidExchange c) {
    WireAnswer a = c.answer();
    if (a.ending() == WireAnswer.Ending.FAILED || a.status() == 0) {
      return new CaseResult(CONNECT, T_CONNECT, Verdict.FAIL, List.of(c.call()),
          a.ending() == WireAnswer.Ending.FAILED ? "could not talk to the bid URL: " + a.failure() : "no answer at all in " + a.millis() + " ms",
          "Make POST on the bid URL reachable from the exchange: it must accept a connection within 1 s and answer over HTTP/1.1.");
    }
    return new CaseResult(CONNECT, T_CONNECT, Verdict.PASS, List.of(c.call()),
        "answered status " + a.status() + " in " + a.millis() + " ms, connection set-up included", null);
  }

  /** The first normal request and the repeats: all must be valid, so that an occasional failure shows too. */
  static CaseResult normal(Round r, KitSettings s) {
    List<BidExchange> all = new ArrayList<>(List.of(r.normal()));
    all.addAll(r.repeats());
    List<BidExchange> bad = all.stream().filter(e -> !e.reading().valid()).toList();
    if (bad.isEmpty() || all.size() == 1) {
      return single(NORMAL, T_NORMAL, r.normal(), s, null);
    }
    BidExchange first = bad.get(0);
    CaseResult one = single(NORMAL, T_NORMAL, first, s, null);
    String which = bad.stream().map(e -> e.label() + ": " + e.reading().recorded()).collect(Collectors.joining("; "));
    return new CaseResult(NORMAL, T_NORMAL, Verdict.FAIL, calls(bad),
        bad.size() + " of " + all.size() + " normal requests failed: " + which + "; each a failure counted against your circuit breaker",
        one.fix());
  }

  static CaseResult testLead(Round r, KitSettings s) {
    String fix = r.normal().reading().valid()
        ? "Answer test leads (\"test\": true) as you answer real ones, with a bid or a no-bid, and only skip acting on them: "
            + "the exchange tests and monitors buyers with test traffic."
        : null;
    return single(TEST_LEAD, T_TEST_LEAD, r.testLead(), s, fix);
  }

  static CaseResult unknownFields(Round r, KitSettings s) {
    String fix = r.normal().reading().valid()
        ? "Ignore fields you do not know, at the top of the request and in lead: the contract grows by adding fields, without notice."
        : null;
    return single(UNKNOWN_FIELDS, T_UNKNOWN, r.unknownFields(), s, fix);
  }

  static CaseResult shared(BidExchange e, KitSettings s) {
    CaseResult basic = single(SHARED, T_SHARED, e, s, null);
    if (basic.verdict() != Verdict.PASS) {
      return basic;
    }
    JsonNode body = e.reading().body();
    JsonNode shared = body == null ? null : body.get("shared_bid");
    if (shared == null || shared.isNull()) {
      return new CaseResult(SHARED, T_SHARED, Verdict.PASS, List.of(e.call()),
          "the exchange records " + e.reading().recorded() + "; no shared_bid: buys exclusive only", null);
    }
    String fix = "Send shared_bid as a JSON number of at least 0 with at most 2 decimals (7.50), or leave it out (or 0) to buy exclusive only.";
    if (!shared.isNumber()) {
      return new CaseResult(SHARED, T_SHARED, Verdict.FAIL, List.of(e.call()), "shared_bid is not a number: " + shared, fix);
    }
    BigDecimal amount = shared.decimalValue();
    if (amount.signum() < 0 || !BidReading.isMoney(amount)) {
      return new CaseResult(SHARED, T_SHARED, Verdict.FAIL, List.of(e.call()),
          "shared_bid " + amount.toPlainString() + " is not money (negative, more than 2 decimals or out of range)", fix);
    }
    if (amount.signum() > 0 && e.reading().outcome() == BidReading.Outcome.NO_BID) {
      return new CaseResult(SHARED, T_SHARED, Verdict.WARN, List.of(e.call()),
          "a no-bid with shared_bid " + amount.toPlainString() + ": the exchange reads bid 0 as no bid at all and never sees the shared_bid",
          "In a best campaign, bid is the exclusive price and shared_bid an addition to it; the contract has no shared-only bid there.");
    }
    return new CaseResult(SHARED, T_SHARED, Verdict.PASS, List.of(e.call()),
        "the exchange records " + e.reading().recorded() + (amount.signum() == 0 ? "; shared_bid 0: exclusive only"
            : "; shared_bid " + amount.toPlainString()), null);
  }

  static CaseResult noBid(Round r) {
    List<BidExchange> judged = r.judged();
    List<BidExchange> misread = judged.stream().filter(BidCases::looksLikeNoBid).toList();
    if (!misread.isEmpty()) {
      BidExchange first = misread.get(0);
      return new CaseResult(NO_BID, T_NO_BID, Verdict.FAIL, calls(misread),
          first.label() + " looks like a no-bid but the exchange records " + first.form().recorded()
              + ", a failure counted against your circuit breaker",
          "Decline with 204 (no body) or 200 {\"bid\": 0}: anything else is an error.");
    }
    BidExchange declined = judged.stream().filter(e -> e.form().outcome() == BidReading.Outcome.NO_BID).findFirst().orElse(null);
    if (declined == null) {
      return new CaseResult(NO_BID, T_NO_BID, Verdict.WARN, List.of(r.noBid().call()),
          "no no-bid in " + judged.size() + " requests, so the kit could not see how you decline (" + r.noBid().label()
              + " sent a lead of score 0)",
          "Make sure you decline with 204 or 200 {\"bid\": 0}, and send the kit a lead you decline: --no-bid-field NAME=VALUE (e.g. state=ZZ).");
    }
    String how = declined.answer().status() == 204 ? "204" : "200 {\"bid\": 0}";
    return new CaseResult(NO_BID, T_NO_BID, Verdict.PASS, List.of(declined.call()),
        declined.label() + " was declined with " + how + ": the exchange records no_bid", null);
  }

  /** An answer that means "no bid" in a form the exchange records as an error. */
  static boolean looksLikeNoBid(BidExchange e) {
    WireAnswer a = e.answer();
    if (!a.complete() || e.form().outcome() != BidReading.Outcome.ERROR) {
      return false;
    }
    if (a.status() == 202 || a.status() == 404) {
      return true;
    }
    if (a.status() != 200) {
      return false;
    }
    if (a.body().length == 0 || new String(a.body(), java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return true;
    }
    JsonNode body = BidReading.parse(a.body());
    if (body == null || !body.isObject()) {
      return false;
    }
    JsonNode bid = body.get("bid");
    return bid == null || bid.isNull() || bid.isBoolean()
        || (bid.isTextual() && (bid.textValue().isBlank() || bid.textValue().matches("0+(\\.0*)?")));
  }

  static CaseResult timing(Round r, KitSettings s) {
    List<BidExchange> judged = r.judged();
    List<BidExchange> late = judged.stream().filter(e -> e.reading().outcome() == BidReading.Outcome.TIMEOUT).toList();
    String budget = "tmax_ms " + s.tmaxMs() + (s.marginMs() == 0 ? "" : " + a margin of " + s.marginMs() + " ms");
    if (!late.isEmpty()) {
      String which = late.stream().map(e -> e.label() + (e.answer().complete() ? " " + e.answer().millis() + " ms" : " no answer"))
          .collect(Collectors.joining(", "));
      return new CaseResult(TIMING, T_TIMING, Verdict.FAIL, calls(late),
          late.size() + " of " + judged.size() + " answers came after " + budget + ": " + which
              + "; the exchange records each as timeout, counted against your circuit breaker",
          "Answer within tmax_ms (read it from each request; " + s.tmaxMs() + " ms here), counted to the answer's last byte: "
              + "after it the exchange has moved on without you.");
    }
    List<Long> times = judged.stream().filter(e -> e.answer().complete()).map(e -> e.answer().millis()).sorted().toList();
    if (times.isEmpty()) {
      return new CaseResult(TIMING, T_TIMING, Verdict.FAIL, calls(judged), "no answer could be timed: every request failed",
          "See bid.connect and bid.normal.");
    }
    long slowest = times.get(times.size() - 1);
    long median = times.get(times.size() / 2);
    BidExchange slowestCall = judged.stream().filter(e -> e.answer().complete())
        .max(Comparator.comparingLong(e -> e.answer().millis())).orElseThrow();
    if (slowest * 5 > s.bidDeadlineMs() * 4) {
      return new CaseResult(TIMING, T_TIMING, Verdict.WARN, List.of(slowestCall.call()),
          "all " + times.size() + " answers within " + budget + ", but the slowest took " + slowest + " ms (median " + median
              + " ms): little headroom for the network and a busy moment",
          "Leave headroom: answer well inside tmax_ms, e.g. decide from memory rather than a remote call per request.");
    }
    return new CaseResult(TIMING, T_TIMING, Verdict.PASS, List.of(),
        "all " + times.size() + " answers within " + budget + ": median " + median + " ms, slowest " + slowest + " ms", null);
  }

  static CaseResult sizeAndType(Round r) {
    List<BidExchange> all = new ArrayList<>(r.judged());
    all.add(0, r.connect());
    List<BidExchange> large = all.stream().filter(e -> e.answer().ending() == WireAnswer.Ending.TOO_LARGE).toList();
    if (!large.isEmpty()) {
      return new CaseResult(SIZE_AND_TYPE, T_SIZE, Verdict.FAIL, calls(large),
          large.size() + " answer(s) over 64 KiB: the exchange resets the request and records too_large",
          "Keep bid answers under 64 KiB; {\"bid\": 14.25, \"bid_id\": \"...\"} takes a few dozen bytes.");
    }
    List<BidExchange> unreadable = all.stream().filter(e -> e.byRules() && e.reading().reason() != null
        && e.reading().reason().startsWith("unparsable")).toList();
    if (!unreadable.isEmpty()) {
      return new CaseResult(SIZE_AND_TYPE, T_SIZE, Verdict.FAIL, calls(unreadable),
          unreadable.size() + " answer(s) the adapter's rules cannot read: the exchange records error: unparsable",
          "Answer with the Content-Type your adapter's rules read (json_path: JSON, xpath: XML), and make the price"
              + " rule find a value in every bid.");
    }
    List<BidExchange> notJson = all.stream()
        .filter(e -> !e.byRules() && e.answer().complete() && e.answer().status() == 200
            && BidReading.parse(e.answer().body()) == null)
        .toList();
    if (!notJson.isEmpty()) {
      return new CaseResult(SIZE_AND_TYPE, T_SIZE, Verdict.FAIL, calls(notJson),
          notJson.size() + " answer(s) with status 200 and a body that is not JSON: the exchange records error: malformed: not JSON",
          "Answer 200 with one JSON object ({\"bid\": 14.25}) and nothing else, or 204 with no body to decline.");
    }
    List<BidExchange> untyped = all.stream()
        .filter(e -> !e.byRules() && e.answer().complete() && e.answer().status() == 200 && e.answer().body().length > 0
            && !e.answer().saysJson())
        .toList();
    int largest = all.stream().filter(e -> e.answer().complete()).mapToInt(e -> e.answer().body().length).max().orElse(0);
    if (!untyped.isEmpty()) {
      return new CaseResult(SIZE_AND_TYPE, T_SIZE, Verdict.WARN, calls(untyped),
          "JSON bodies sent as " + (untyped.get(0).answer().contentType() == null ? "no Content-Type" : untyped.get(0).answer().contentType()),
          "Send Content-Type: application/json (the exchange reads the body regardless; proxies and logs go by the header).");
    }
    return new CaseResult(SIZE_AND_TYPE, T_SIZE, Verdict.PASS, List.of(),
        "every answer JSON (or empty with 204) and under 64 KiB; the largest " + largest + " bytes", null);
  }

  /** A case of one request: a pass when the exchange records a bid or a no-bid. */
  private static CaseResult single(String id, String title, BidExchange e, KitSettings s, String fixWhenOnlyThisFails) {
    BidReading reading = e.reading();
    if (reading.valid()) {
      return new CaseResult(id, title, Verdict.PASS, List.of(e.call()), "the exchange records " + reading.recorded(), null);
    }
    String finding = "the exchange records " + reading.recorded();
    if (reading.outcome() == BidReading.Outcome.TIMEOUT) {
      finding += e.answer().complete()
          ? " (answered in " + e.answer().millis() + " ms; in time it would have read as " + reading.late().recorded() + ")"
          : "";
    }
    if (reading.outcome().failure()) {
      finding += ", a failure counted against your circuit breaker";
    }
    boolean onlyThisCase = fixWhenOnlyThisFails != null && reading.outcome() != BidReading.Outcome.TIMEOUT;
    return new CaseResult(id, title, Verdict.FAIL, List.of(e.call()), finding,
        onlyThisCase ? fixWhenOnlyThisFails : fix(reading, s));
  }

  /** One line on how to fix an answer the exchange does not take as a bid or a no-bid. */
  static String fix(BidReading r, KitSettings s) {
    String reason = r.reason() == null ? "" : r.reason();
    return switch (r.outcome()) {
      case TIMEOUT -> "Answer within tmax_ms (read it from each request; " + s.tmaxMs() + " ms here), counted to the answer's "
          + "last byte: after it the exchange has moved on without you.";
      case TOO_LARGE -> "Keep bid answers under 64 KiB; {\"bid\": 14.25, \"bid_id\": \"...\"} takes a few dozen bytes.";
      default -> {
        if (reason.startsWith("status ")) {
          yield "Answer 200 {\"bid\": 14.25, \"bid_id\": \"...\"} to bid and 204 (or 200 {\"bid\": 0}) not to; any other status is an error.";
        } else if (reason.equals("malformed: not JSON")) {
          yield "Send the body as one JSON object, e.g. {\"bid\": 14.25}, with nothing before or after it.";
        } else if (reason.equals("malformed: no numeric bid")) {
          yield "Put the price in \"bid\" as a JSON number (14.25, not \"14.25\" or null); to decline send 204 or {\"bid\": 0}.";
        } else if (reason.equals("malformed: negative bid")) {
          yield "A bid is 0 (no bid) or a positive price.";
        } else if (reason.startsWith("malformed: bid has more than 2 decimals")) {
          yield "Round the price to the cent before answering: at most 2 decimals (14.25, not 14.255), and at most 100000000.00.";
        } else if (reason.startsWith("malformed: bid_id")) {
          yield "Send bid_id as a JSON string of at most 256 characters, or leave it out.";
        }
        yield "The HTTP exchange failed (" + reason + "): check the URL and TLS, and that the server answers before closing the connection.";
      }
    };
  }

  private static List<CaseResult.Call> calls(List<BidExchange> exchanges) {
    return exchanges.stream().map(BidExchange::call).toList();
  }
}
