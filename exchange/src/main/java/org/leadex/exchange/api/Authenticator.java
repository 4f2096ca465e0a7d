package org.leadex.exchange.api;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.leadex.exchange.catalog.AddressAllowList;
import org.leadex.exchange.catalog.ApiKeys;
import org.leadex.exchange.catalog.Catalog;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.Role;

/**
 * Resolves {@code Authorization: Bearer <key>} to a principal from the catalog snapshot (keys are
 * looked up by their SHA-256, as stored), or to the bootstrap admin from EXCHANGE_ADMIN_KEY; then
 * holds a seller's or buyer's key to that principal's {@code allowed_ips}, if it has any.
 * Thread safe.
 */
public final class Authenticator {
  private static final String PRINCIPAL = "principal";

  private final CatalogCache catalog;
  private final byte[] bootstrapAdminHash;

  public Authenticator(CatalogCache catalog, String bootstrapAdminKey) {
    this.catalog = catalog;
    this.bootstrapAdminHash = bootstrapAdminKey == null ? null : ApiKeys.hash(bootstrapAdminKey);
  }

  /**
   * The caller, who must hold one of the roles: 401 without a valid key, 403 with another role's
   * key or from an address the principal does not allow.
   */
  public Principal require(RoutingContext ctx, Set<Role> roles) {
    Principal principal = ctx.get(PRINCIPAL);
    if (principal == null) {
      Catalog snapshot = catalog.current();
      principal = resolve(snapshot, ctx.request().getHeader("Authorization"));
      requireAllowedAddress(snapshot, principal, ctx.request().remoteAddress());
      ctx.put(PRINCIPAL, principal);
    }
    if (!roles.contains(principal.role())) {
      throw ApiError.forbidden("a " + principal.role().wire() + " key cannot use this endpoint");
    }
    return principal;
  }

  /**
   * A route step that checks the key before the body is read, so that a caller without a valid
   * key costs no body buffering or parsing.
   */
  public io.vertx.core.Handler<RoutingContext> gate(Set<Role> roles) {
    return ctx -> {
      require(ctx, roles);
      ctx.next();
    };
  }

  private Principal resolve(Catalog snapshot, String header) {
    if (header == null || header.isBlank()) {
      throw ApiError.unauthorized("an API key is required: Authorization: Bearer <key>");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiError.unauthorized("the Authorization header must be 'Bearer <key>'");
    }
    String key = header.substring(7).trim();
    if (key.isEmpty() || key.length() > 256) {
      throw ApiError.unauthorized("unknown or revoked API key");
    }
    byte[] hash = ApiKeys.hash(key);
    if (bootstrapAdminHash != null && MessageDigest.isEqual(hash, bootstrapAdminHash)) {
      return new Principal(Role.ADMIN, null, "bootstrap");
    }
    Principal principal = snapshot.keysByHash().get(HexFormat.of().formatHex(hash));
    if (principal == null) {
      throw ApiError.unauthorized("unknown or revoked API key");
    }
    return principal;
  }

  /**
   * The TCP peer's address against the principal's allow-list. Behind a proxy that is the proxy's
   * address: see docs/security.md.
   */
  private static void requireAllowedAddress(Catalog snapshot, Principal principal, SocketAddress peer) {
    AddressAllowList allowed = switch (principal.role()) {
      case SELLER -> snapshot.seller(principal.id()).map(s -> s.allowedIps()).orElse(AddressAllowList.ANY);
      case BUYER -> snapshot.buyer(principal.id()).map(b -> b.allowedIps()).orElse(AddressAllowList.ANY);
      default -> AddressAllowList.ANY;
    };
    if (!allowed.any() && (peer == null || !allowed.permits(peer.hostAddress()))) {
      throw ApiError.forbidden("this " + principal.role().wire() + "'s keys may not be used from this address");
    }
  }
}
