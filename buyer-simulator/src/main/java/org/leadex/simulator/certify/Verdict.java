package org.leadex.simulator.certify;

/** A case's result. Only {@link #FAIL} keeps a buyer from being certified. */
public enum Verdict {
  /** The endpoint behaves as the contract says. */
  PASS,
  /** Works with the exchange, but something is worth fixing, or the kit could not see the behaviour. */
  WARN,
  /** The exchange would lose bids or sales, or count failures against the buyer: fix it. */
  FAIL,
  /** Not run: the endpoint it needs was not given. */
  SKIP
}
