package org.leadex.loadtest.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the reference server, shared by its event loops. Thread safe. */
final class ReferenceStats {
  final LongAdder pings = new LongAdder();
  final LongAdder bids = new LongAdder();
  final LongAdder noBids = new LongAdder();
  final LongAdder overloaded = new LongAdder();
  final LongAdder droppedLate = new LongAdder();
  final LongAdder callBid = new LongAdder();
  final LongAdder callNoBid = new LongAdder();
  final LongAdder callMalformed = new LongAdder();
  final LongAdder callHttpError = new LongAdder();
  final LongAdder callTooLarge = new LongAdder();
  final LongAdder callError = new LongAdder();
  final LongAdder callLate = new LongAdder();
  final LongAdder callAbandoned = new LongAdder();

  void count(BuyerAnswer answer) {
    switch (answer.kind()) {
      case BID -> callBid.increment();
      case NO_BID -> callNoBid.increment();
      case MALFORMED -> callMalformed.increment();
      case HTTP_ERROR -> callHttpError.increment();
      default -> throw new AssertionError(answer.kind());
    }
  }

  Map<String, Object> snapshot(long inFlight) {
    Map<String, Object> calls = new LinkedHashMap<>();
    calls.put("bid", callBid.sum());
    calls.put("no_bid", callNoBid.sum());
    calls.put("malformed", callMalformed.sum());
    calls.put("http_error", callHttpError.sum());
    calls.put("too_large", callTooLarge.sum());
    calls.put("error", callError.sum());
    calls.put("late", callLate.sum());
    calls.put("abandoned", callAbandoned.sum());
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("pings", pings.sum());
    all.put("bids", bids.sum());
    all.put("no_bids", noBids.sum());
    all.put("overloaded", overloaded.sum());
    all.put("dropped_late", droppedLate.sum());
    all.put("in_flight", inFlight);
    all.put("buyer_calls", calls);
    return all;
  }
}
