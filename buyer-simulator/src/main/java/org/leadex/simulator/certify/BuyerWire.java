package org.leadex.simulator.certify;

import java.net.URI;

/**
 * How the kit's requests reach a buyer and how its answers are read: the buyer protocol as it is
 * ({@link ProtocolWire}), or a buyer's own API through an adapter (the exchange's
 * {@code certify --buyer FILE} supplies that one, rendering the same cases through the adapter's
 * templates and reading answers by its rules). Requests are the protocol's JSON either way; the
 * wire reports what it really sent. Blocking, like {@link ConformanceKit}.
 */
public interface BuyerWire extends AutoCloseable {

  /** Sends one bid request and reads the answer as the exchange would, given the deadline. */
  BidExchange bid(String label, URI url, String request, long deadlineMs, long waitMs);

  /** Sends one post and reads the answer as the exchange would, given the post's budget. */
  PostExchange post(String label, URI url, String request, long budgetMs, long waitMs);

  @Override
  void close();
}
