package org.leadex.exchange.catalog;

/** What an API key may do. */
public enum Role {
  ADMIN, SELLER, BUYER, FINANCE;

  public String wire() {
    return name().toLowerCase();
  }
}
