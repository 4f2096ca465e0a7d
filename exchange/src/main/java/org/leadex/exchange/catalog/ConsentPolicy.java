package org.leadex.exchange.catalog;

import java.net.URI;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;

/**
 * A campaign's consent check (document field {@code "consent"}): before a posted lead is offered
 * to anyone, {@code check_url} is asked whether the certificate in the campaign's consent field is
 * valid, and how old it is; a lead without a valid certificate younger than {@code max_age_s} is
 * not sold ({@code consent_invalid}).
 *
 * @param field the schema field marked {@code consent: true}
 */
public record ConsentPolicy(boolean required, URI checkUrl, int maxAgeSeconds, String field) {
  public static final int DEFAULT_MAX_AGE_SECONDS = 86_400;

  static ConsentPolicy read(DocReader doc, String field) {
    boolean required = doc.optBoolean("required").orElse(false);
    URI checkUrl = doc.optString("check_url", 2000).map(u -> Buyer.url(u, doc.path("check_url"))).orElse(null);
    int maxAge = doc.integer("max_age_s", 1, 365 * 86_400, DEFAULT_MAX_AGE_SECONDS);
    doc.done();
    if (required && checkUrl == null) {
      throw ApiError.validation(doc.path("check_url"), "a required consent check needs a check_url");
    }
    if (required && field == null) {
      throw ApiError.validation(doc.path("required"), "a required consent check needs one field marked consent: true,"
          + " which holds the certificate");
    }
    return new ConsentPolicy(required, checkUrl, maxAge, field);
  }
}
