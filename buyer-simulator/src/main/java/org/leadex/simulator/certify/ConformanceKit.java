package org.leadex.simulator.certify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.leadex.simulator.config.Json;

/**
 * The buyer conformance kit: sends a buyer's endpoints the protocol's cases, one request at a time,
 * and judges every answer as the exchange would ({@link BidReading}, {@link PostReading}) into a
 * {@link CertificationReport}. Blocking: run it from a plain thread, never an event loop.
 *
 * <p>Order: a warm-up bid request (it opens the connection, as the exchange's pool would have),
 * a normal request, a test lead, a best campaign's request, one with unknown fields, one meant to
 * be declined, then {@code repeats} more normal ones; then a post following a bid (test traffic
 * unless {@code livePosts}), the same post again, and a post of a lead with blank contact fields.
 * Ids carry a random run id, so a second run is not a repeat of the first.
 */
public final class ConformanceKit {
  private static final List<String> EXCLUSIVE = List.of("exclusive");
  private static final List<String> BEST = List.of("exclusive", "shared");
  /** The warm-up also waits for the kit's own start (class loading) and a slow first connection. */
  private static final long WARM_UP_EXTRA_WAIT_MS = 5_000;
  /** The price of a post when the buyer never bid (as the exchange posts to a fixed-price buyer). */
  private static final BigDecimal PRICE_WITHOUT_BID = new BigDecimal("1.00");

  private final KitSettings s;
  private final BuyerWire wire;
  private final String runId;
  private int pings;
  /** The ping id of each bid sent, for the post that follows one (what was sent may be a buyer's own format). */
  private final java.util.Map<BidExchange, String> pingIds = new java.util.IdentityHashMap<>();

  private ConformanceKit(KitSettings settings, BuyerWire wire, String runId) {
    this.s = settings;
    this.wire = wire;
    this.runId = runId;
  }

  /** Runs every case against the buyer and returns the report; takes about the buyer's answer times, one after another. */
  public static CertificationReport certify(Vertx vertx, KitSettings settings) {
    try (BuyerWire wire = new ProtocolWire(vertx)) {
      return certify(settings, wire);
    }
  }

  /** Runs every case through {@code wire} (a buyer's own API through its adapter, say); the caller closes it. */
  public static CertificationReport certify(KitSettings settings, BuyerWire wire) {
    String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    return new ConformanceKit(settings, wire, runId).run();
  }

  private CertificationReport run() {
    List<CaseResult> cases = new ArrayList<>();
    BidCases.Round bids = null;
    if (s.bidUrl() == null) {
      cases.addAll(BidCases.skipped("no --bid-url given (a fixed-price buyer is not pinged)"));
    } else {
      Map<String, JsonNode> lead = s.orderedLead(Map.of());
      // Not timed: it pays for the connection, which the exchange's pool keeps open between pings.
      BidExchange connect = bid(BidCases.CONNECT, KitRequests.bid(s, nextPing(), true, EXCLUSIVE, lead, s.score()),
          Long.MAX_VALUE, s.bidDeadlineMs() + s.lateWaitMs() + WARM_UP_EXTRA_WAIT_MS);
      CaseResult connected = BidCases.connect(connect);
      if (connected.verdict() == Verdict.FAIL) {
        // Every other request would fail the same way (or wait out its deadline): say it once.
        cases.add(connected);
        cases.addAll(BidCases.skipped("not run: " + BidCases.CONNECT + " failed").subList(1, 8));
      } else {
        bids = sendBids(connect, lead);
        cases.addAll(BidCases.judge(bids, s));
      }
    }
    cases.addAll(s.postUrl() == null ? PostCases.skipped("no --post-url given") : PostCases.judge(sendPosts(bids), s));
    return new CertificationReport(s, cases);
  }

  private BidCases.Round sendBids(BidExchange connect, Map<String, JsonNode> lead) {
    BidExchange normal = bid(BidCases.NORMAL, KitRequests.bid(s, nextPing(), false, EXCLUSIVE, lead, s.score()));
    BidExchange testLead = bid(BidCases.TEST_LEAD, KitRequests.bid(s, nextPing(), true, EXCLUSIVE, lead, s.score()));
    BidExchange shared = bid(BidCases.SHARED, KitRequests.bid(s, nextPing(), false, BEST, lead, s.score()));
    Map<String, JsonNode> withUnknown = new LinkedHashMap<>(lead);
    withUnknown.put("x_certify_unknown_field", JsonNodeFactory.instance.textNode("a field this buyer does not know"));
    ObjectNode unknownRequest = KitRequests.bid(s, nextPing(), false, EXCLUSIVE, withUnknown, s.score());
    unknownRequest.putObject("x_certify_unknown").put("note", "a future addition to the contract").put("version", 2);
    BidExchange unknown = bid(BidCases.UNKNOWN_FIELDS, unknownRequest);
    BidExchange noBid = bid(BidCases.NO_BID, KitRequests.bid(s, nextPing(), false, EXCLUSIVE, s.orderedLead(s.noBidLead()), 0));
    List<BidExchange> repeats = new ArrayList<>();
    for (int i = 0; i < s.repeats(); i++) {
      repeats.add(bid(BidCases.NORMAL + " #" + (i + 2), KitRequests.bid(s, nextPing(), false, EXCLUSIVE, lead, s.score())));
    }
    return new BidCases.Round(connect, normal, testLead, shared, unknown, noBid, repeats);
  }

  private PostCases.Round sendPosts(BidCases.Round bids) {
    boolean test = !s.livePosts();
    // A post inherits "test" from its ping: follow a bid made on a request of the same kind.
    BidExchange basis = null;
    if (bids != null) {
      List<BidExchange> candidates = new ArrayList<>(test ? List.of(bids.testLead(), bids.connect()) : List.of(bids.normal()));
      if (!test) {
        candidates.addAll(bids.repeats());
        candidates.add(bids.unknownFields());
      }
      basis = candidates.stream().filter(e -> e.reading().outcome() == BidReading.Outcome.BID).findFirst().orElse(null);
    }
    String pingId = basis != null ? pingIds.get(basis) : nextPing();
    String bidId = basis == null ? null : basis.reading().bidId();
    BigDecimal price = basis == null ? PRICE_WITHOUT_BID : basis.reading().bid();
    String words = basis == null
        ? "at " + price.setScale(2).toPlainString() + " without a bid_id (no bid was seen; as for a fixed-price buyer)"
        : "after " + basis.label() + "'s bid " + price.toPlainString() + (bidId == null ? " (it gave no bid_id)" : " with its bid_id " + bidId);
    ObjectNode first = KitRequests.post(pingId, nextLead(), bidId, price, test, s.orderedLead(Map.of()), s.orderedPii(Map.of()));
    PostExchange accept = post(PostCases.ACCEPT, first);
    if (accept.answer().ending() == WireAnswer.Ending.FAILED) {
      return new PostCases.Round(words, accept, null, null); // unreachable: the other posts would fail alike
    }
    PostExchange repeat = post(PostCases.REPEAT, first);
    Map<String, JsonNode> blank = new LinkedHashMap<>();
    s.pii().keySet().forEach(k -> blank.put(k, JsonNodeFactory.instance.textNode("")));
    blank.putAll(s.rejectLead());
    ObjectNode rejected = KitRequests.post(nextPing(), nextLead(), null, price, test, s.orderedLead(blank), s.orderedPii(blank));
    PostExchange reject = post(PostCases.REJECT, rejected);
    return new PostCases.Round(words, accept, repeat, reject);
  }

  private BidExchange bid(String label, ObjectNode request) {
    return bid(label, request, s.bidDeadlineMs(), s.bidDeadlineMs() + s.lateWaitMs());
  }

  private BidExchange bid(String label, ObjectNode request, long deadlineMs, long waitMs) {
    BidExchange sent = wire.bid(label, s.bidUrl(), Json.write(request), deadlineMs, waitMs);
    pingIds.put(sent, request.path("ping_id").asText());
    return sent;
  }

  private PostExchange post(String label, ObjectNode request) {
    return wire.post(label, s.postUrl(), Json.write(request), s.postTimeoutMs(), (long) s.postTimeoutMs() + s.lateWaitMs());
  }

  private String nextPing() {
    return "certify-" + runId + "-ping-" + (++pings);
  }

  private String nextLead() {
    return "certify-" + runId + "-lead-" + (++pings);
  }
}
