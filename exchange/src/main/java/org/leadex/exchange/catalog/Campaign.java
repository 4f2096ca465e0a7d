package org.leadex.exchange.catalog;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.leadex.exchange.api.ApiError;
import org.leadex.exchange.json.DocReader;
import org.leadex.exchange.leads.FieldRule;
import org.leadex.exchange.leads.ScoringRule;
import org.leadex.exchange.money.Money;

/**
 * A campaign: the lead schema, the deadlines, the price rules and the distribution plan.
 *
 * @param piiRetentionDays the PII of its leads is erased this many days after the post (hashes kept)
 * @param sale             exclusive, shared or best ({@link SalePlan})
 * @param consent          the consent check before a lead is offered, if the campaign has one
 */
public record Campaign(int id, String code, String vertical, Map<String, FieldRule> fields, Set<String> piiFields,
                       int pingTimeoutMs, int pingTtlSeconds, int postTimeoutMs, Money floor, AuctionType auction,
                       List<ScoringRule> scoring, List<Tier> tiers, int dedupeDays, ReturnPolicy returns,
                       boolean rankByExpectedNet, int piiRetentionDays, SalePlan sale,
                       java.util.Optional<ConsentPolicy> consent) {
  public static final int DEFAULT_PII_RETENTION_DAYS = 30;

  /** An exclusive campaign. */
  public Campaign(int id, String code, String vertical, Map<String, FieldRule> fields, Set<String> piiFields,
                  int pingTimeoutMs, int pingTtlSeconds, int postTimeoutMs, Money floor, AuctionType auction,
                  List<ScoringRule> scoring, List<Tier> tiers, int dedupeDays, ReturnPolicy returns,
                  boolean rankByExpectedNet, int piiRetentionDays) {
    this(id, code, vertical, fields, piiFields, pingTimeoutMs, pingTtlSeconds, postTimeoutMs, floor, auction, scoring,
        tiers, dedupeDays, returns, rankByExpectedNet, piiRetentionDays, SalePlan.EXCLUSIVE);
  }

  /** A campaign without a consent check. */
  public Campaign(int id, String code, String vertical, Map<String, FieldRule> fields, Set<String> piiFields,
                  int pingTimeoutMs, int pingTtlSeconds, int postTimeoutMs, Money floor, AuctionType auction,
                  List<ScoringRule> scoring, List<Tier> tiers, int dedupeDays, ReturnPolicy returns,
                  boolean rankByExpectedNet, int piiRetentionDays, SalePlan sale) {
    this(id, code, vertical, fields, piiFields, pingTimeoutMs, pingTtlSeconds, postTimeoutMs, floor, auction, scoring,
        tiers, dedupeDays, returns, rankByExpectedNet, piiRetentionDays, sale, java.util.Optional.empty());
  }

  /** The schema field holding the consent certificate, or null. */
  public String consentField() {
    return consent.map(ConsentPolicy::field).orElse(null);
  }

  /** Whether leads must pass the consent check before they are offered. */
  public boolean checksConsent() {
    return consent.isPresent() && consent.get().required();
  }

  /** A campaign with the default PII retention. */
  public Campaign(int id, String code, String vertical, Map<String, FieldRule> fields, Set<String> piiFields,
                  int pingTimeoutMs, int pingTtlSeconds, int postTimeoutMs, Money floor, AuctionType auction,
                  List<ScoringRule> scoring, List<Tier> tiers, int dedupeDays, ReturnPolicy returns,
                  boolean rankByExpectedNet) {
    this(id, code, vertical, fields, piiFields, pingTimeoutMs, pingTtlSeconds, postTimeoutMs, floor, auction, scoring,
        tiers, dedupeDays, returns, rankByExpectedNet, DEFAULT_PII_RETENTION_DAYS);
  }

  public static Campaign read(int id, String code, DocReader doc) {
    String vertical = doc.string("vertical", 100);
    DocReader fieldsDoc = doc.object("fields");
    Map<String, FieldRule> fields = new LinkedHashMap<>();
    for (Iterator<String> names = fieldsDoc.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      fields.put(name, FieldRule.read(name, fieldsDoc.object(name)));
    }
    fieldsDoc.done();
    if (fields.isEmpty() || fields.size() > 200) {
      throw ApiError.validation("fields", "fields must define between 1 and 200 fields");
    }
    Set<String> pii = new HashSet<>(doc.list("pii_fields", 100, e -> e.string(64)));
    for (String name : pii) {
      if (fields.containsKey(name)) {
        throw ApiError.validation("pii_fields", "'" + name + "' is both a schema field and a PII field; "
            + "schema fields are sent to buyers in the ping, so a PII field must not be one");
      }
    }
    int pingTimeoutMs = doc.integer("ping_timeout_ms", 10, 10_000, 150);
    int pingTtl = doc.integer("ping_ttl_s", 1, 86_400, 120);
    int postTimeoutMs = doc.integer("post_timeout_ms", 10, 60_000, 3_000);
    Money floor = doc.optMoney("floor").orElse(Money.ZERO);
    AuctionType auction = doc.optEnum("auction", AuctionType.class).orElse(AuctionType.FIRST_PRICE);
    List<ScoringRule> scoring = doc.list("scoring", 100, e -> ScoringRule.read(e.object()));
    List<Tier> tiers = doc.list("tiers", 20, e -> Tier.read(e.object()));
    if (tiers.isEmpty()) {
      throw doc.missing("tiers");
    }
    Set<String> listed = new HashSet<>();
    for (int t = 0; t < tiers.size(); t++) {
      for (String buyer : tiers.get(t).buyers()) {
        if (!listed.add(buyer)) {
          // A buyer in two tiers could be offered the same lead twice on the post's fallback.
          throw ApiError.validation("tiers[" + t + "].buyers", "buyer '" + buyer + "' is listed in more than one tier");
        }
      }
    }
    int dedupeDays = doc.integer("dedupe_days", 0, 3650, 0);
    ReturnPolicy returns = ReturnPolicy.read(doc); // "returns" wins over the "return_days" shorthand
    String rankBy = doc.optString("rank_by", 16).orElse("bid");
    if (!rankBy.equals("bid") && !rankBy.equals("expected_net")) {
      throw ApiError.validation("rank_by", "rank_by is bid or expected_net");
    }
    int piiRetentionDays = doc.integer("pii_retention_days", 1, 3650, DEFAULT_PII_RETENTION_DAYS);
    SalePlan sale = doc.optObject("sale").map(SalePlan::read).orElse(SalePlan.EXCLUSIVE);
    String consentField = null;
    for (FieldRule rule : fields.values()) {
      if (rule.consent()) {
        if (consentField != null) {
          throw ApiError.validation("fields." + rule.name() + ".consent", "only one field may be consent: true ('"
              + consentField + "' is)");
        }
        consentField = rule.name();
      }
    }
    String certificateField = consentField;
    java.util.Optional<ConsentPolicy> consent = doc.optObject("consent").map(c -> ConsentPolicy.read(c, certificateField));
    doc.done();
    return new Campaign(id, code, vertical, Map.copyOf(fields), Set.copyOf(pii), pingTimeoutMs, pingTtl, postTimeoutMs,
        floor, auction, scoring, tiers, dedupeDays, returns, rankBy.equals("expected_net"), piiRetentionDays, sale,
        consent);
  }
}
