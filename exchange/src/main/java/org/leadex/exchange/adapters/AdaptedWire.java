package org.leadex.exchange.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.leadex.exchange.buyers.AdaptedAnswers;
import org.leadex.exchange.buyers.BidAnswer;
import org.leadex.exchange.buyers.PostAnswer;
import org.leadex.exchange.json.Json;
import org.leadex.simulator.certify.BidExchange;
import org.leadex.simulator.certify.BidReading;
import org.leadex.simulator.certify.BuyerCall;
import org.leadex.simulator.certify.BuyerWire;
import org.leadex.simulator.certify.PostExchange;
import org.leadex.simulator.certify.PostReading;
import org.leadex.simulator.certify.ProtocolWire;
import org.leadex.simulator.certify.WireAnswer;

/**
 * The conformance kit's cases through a buyer's adapters: each protocol request becomes the
 * template context a live call renders (the same names), is sent as the adapter says, and the answer
 * is read by the adapter's rules through the same {@link AdaptedAnswers} as live traffic. Timing,
 * size limits and failures are judged as for any buyer. A side without an adapter speaks the
 * protocol. The report shows what was really sent, secrets masked. Blocking, like the kit.
 */
public final class AdaptedWire implements BuyerWire {
  private final BuyerAdapters adapters;
  private final BuyerCall http;
  private final ProtocolWire protocol;

  public AdaptedWire(Vertx vertx, BuyerAdapters adapters) {
    this.adapters = adapters;
    this.http = new BuyerCall(vertx);
    this.protocol = new ProtocolWire(vertx);
  }

  @Override
  public BidExchange bid(String label, URI url, String request, long deadlineMs, long waitMs) {
    Optional<Adapter> adapter = adapters.bid();
    if (adapter.isEmpty()) {
      return protocol.bid(label, url, request, deadlineMs, waitMs);
    }
    AdapterRequest rendered = adapter.get().render(context(request, Map.of()));
    WireAnswer answer = send(rendered, waitMs);
    BidReading byTime = BidReading.of(answer, deadlineMs);
    BidReading reading;
    if (!answer.complete()) {
      reading = byTime; // silent, too large, failed: as for any buyer
    } else {
      BidReading read = read(bidAnswer(adapter.get(), answer));
      // Late: a timeout, with how it would have read in time (by the rules, not the protocol).
      reading = byTime.outcome() == BidReading.Outcome.TIMEOUT
          ? new BidReading(byTime.outcome(), null, null, byTime.reason(), null, read) : read;
    }
    return new BidExchange(label, shownUrl(rendered), shown(rendered), masked(answer), reading, true);
  }

  @Override
  public PostExchange post(String label, URI url, String request, long budgetMs, long waitMs) {
    Optional<Adapter> adapter = adapters.post();
    if (adapter.isEmpty()) {
      return protocol.post(label, url, request, budgetMs, waitMs);
    }
    AdapterRequest rendered = adapter.get().render(context(request, Map.of("source", "certify", "sale_mode",
        "exclusive")));
    WireAnswer answer = send(rendered, waitMs);
    PostReading reading;
    if (!answer.complete() || answer.millis() > budgetMs) {
      reading = PostReading.of(answer, budgetMs);
    } else {
      PostAnswer read = AdaptedAnswers.post(adapter.get().rules(), response(answer), adapters.secrets(), answer.millis());
      boolean readable = answer.status() / 100 == 2 && (read.reason() == null
          || !read.reason().startsWith(AdaptedAnswers.UNPARSABLE));
      reading = new PostReading(read.accepted(), read.reference(), read.reason(), readable);
    }
    return new PostExchange(label, shownUrl(rendered), shown(rendered), masked(answer), reading, true);
  }

  /** The protocol request as a template context: the same names a live call has, and the buyer's secrets. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> context(String request, Map<String, Object> defaults) {
    Map<String, Object> context = Json.MAPPER.convertValue(Json.parse(request), Map.class);
    defaults.forEach(context::putIfAbsent);
    context.put("secret", adapters.secrets().values());
    return context;
  }

  private WireAnswer send(AdapterRequest request, long waitMs) {
    byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
    return http.send(request.method(), request.url(), request.headers(), body, waitMs);
  }

  private BidAnswer bidAnswer(Adapter adapter, WireAnswer answer) {
    return AdaptedAnswers.bid(adapter.rules(), response(answer), adapters.secrets());
  }

  private static AdapterResponse response(WireAnswer answer) {
    return new AdapterResponse(answer.status(), answer.contentType(), answer.body());
  }

  /** The kit's reading of an adapted bid, with the protocol's JSON of it (the kit checks {@code shared_bid} there). */
  private static BidReading read(BidAnswer answer) {
    BidReading.Outcome outcome = switch (answer.outcome()) {
      case BID -> BidReading.Outcome.BID;
      case NO_BID -> BidReading.Outcome.NO_BID;
      default -> BidReading.Outcome.ERROR;
    };
    ObjectNode body = Json.object();
    if (answer.bid() != null) {
      body.put("bid", answer.bid().toDecimal());
      if (answer.bidId() != null) {
        body.put("bid_id", answer.bidId());
      }
    }
    if (answer.sharedBid() != null) {
      body.put("shared_bid", answer.sharedBid().toDecimal());
    }
    JsonNode json = body.isEmpty() ? null : body;
    return new BidReading(outcome, answer.bid() == null ? null : answer.bid().toDecimal(), answer.bidId(),
        answer.reason(), json, null);
  }

  /** The answer as the report shows it: a buyer may echo its key back (read before masking, shown after). */
  private WireAnswer masked(WireAnswer answer) {
    Secrets secrets = adapters.secrets();
    if (secrets.isEmpty()) {
      return answer;
    }
    byte[] body = secrets.mask(new String(answer.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    return new WireAnswer(answer.status(), secrets.mask(answer.contentType()), body, answer.millis(), answer.ending(),
        secrets.mask(answer.failure()), secrets.mask(answer.failureMessage()));
  }

  private String shownUrl(AdapterRequest request) {
    return request.method().name() + " " + adapters.secrets().mask(request.url());
  }

  private String shown(AdapterRequest request) {
    return request.body() == null ? "" : adapters.secrets().mask(request.body());
  }

  @Override
  public void close() {
    http.close();
    protocol.close();
  }
}
