package org.leadex.exchange.api;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.leadex.exchange.catalog.ApiKeys;
import org.leadex.exchange.catalog.CatalogCache;
import org.leadex.exchange.catalog.Principal;
import org.leadex.exchange.catalog.Role;

/**
 * Resolves {@code Authorization: Bearer <key>} to a principal from the catalog snapshot (keys are
 * looked up by their SHA-256, as stored), or to the bootstrap admin from EXCHANGE_ADMIN_KEY.
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

  /** The caller, who must hold one of the roles; 401 without a valid key, 403 with another role's. */
  public Principal require(RoutingContext ctx, Set<Role> roles) {
    Principal principal = ctx.get(PRINCIPAL);
    if (principal == null) {
      principal = resolve(ctx.request().getHeader("Authorization"));
      ctx.put(PRINCIPAL, principal);
    }
    if (!roles.contains(principal.role())) {
      throw ApiError.forbidden("a " + principal.role().wire() + " key cannot use this endpoint");
    }
    return principal;
  }

  private Principal resolve(String header) {
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
    if (bootstrapAdminHash != null && java.security.MessageDigest.isEqual(hash, bootstrapAdminHash)) {
      return new Principal(Role.ADMIN, null, "bootstrap");
    }
    Principal principal = catalog.current().keysByHash().get(java.util.HexFormat.of().formatHex(hash));
    if (principal == null) {
      throw ApiError.unauthorized("unknown or revoked API key");
    }
    return principal;
  }
}
