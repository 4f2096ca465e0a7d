package org.leadex.exchange.catalog;

/** Who is calling: the key's role, the seller or buyer it belongs to (null for admin and finance), its key id. */
public record Principal(Role role, String id, String keyId) {}
