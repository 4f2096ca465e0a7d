package org.leadex.exchange.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.leadex.exchange.catalog.Buyer;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.Seller;
import org.leadex.exchange.json.DocReader;

/**
 * Every version of the catalog documents a replay touches (from {@code catalog_history}), and the
 * plan they made at any catalog version: per document, its latest version at or before it. With
 * {@link ReplayChanges} the same plan is built with the changes laid over the documents, so the
 * replayed plan differs from the recorded one exactly by the changes. Plans are built once per
 * version. Not thread safe: one replay's worker uses it.
 */
final class PlanVersions {
  /** The documents of one kind: id → version → document. */
  private final Map<Integer, NavigableMap<Long, JsonNode>> campaigns = new HashMap<>();
  private final Map<Integer, NavigableMap<Long, JsonNode>> buyers = new HashMap<>();
  private final Map<Integer, NavigableMap<Long, JsonNode>> sellers = new HashMap<>();
  private final Codes codes;
  private final Map<Long, Plan> recorded = new HashMap<>();
  private final Map<Long, Plan> changed = new HashMap<>();
  private final ReplayChanges changes;

  /** The codes of campaigns, buyers and sellers by id (codes never change; ids are what the records hold). */
  record Codes(Map<Integer, String> campaigns, Map<Integer, String> buyers, Map<Integer, String> sellers) {}

  PlanVersions(Codes codes, ReplayChanges changes) {
    this.codes = codes;
    this.changes = changes;
  }

  void add(String kind, int id, long version, JsonNode doc) {
    Map<Integer, NavigableMap<Long, JsonNode>> docs = switch (kind) {
      case "campaign" -> campaigns;
      case "buyer" -> buyers;
      default -> sellers;
    };
    docs.computeIfAbsent(id, x -> new TreeMap<>()).put(version, doc);
  }

  /** The plan a ping decided at {@code version} was decided under. */
  Plan recorded(int campaignId, long version) {
    return recorded.computeIfAbsent(version, v -> build(campaignId, v, false));
  }

  /** That plan with the replay's changes. */
  Plan changed(int campaignId, long version) {
    return changes.none() ? recorded(campaignId, version) : changed.computeIfAbsent(version, v -> build(campaignId, v, true));
  }

  private Plan build(int campaignId, long version, boolean withChanges) {
    JsonNode campaignDoc = at(campaigns, campaignId, version);
    if (campaignDoc == null) {
      throw new IllegalStateException("no version of campaign " + campaignId + " at or before " + version);
    }
    if (withChanges) {
      campaignDoc = changes.onCampaign((ObjectNode) campaignDoc);
    }
    Campaign campaign = Campaign.read(campaignId, codes.campaigns().get(campaignId), DocReader.of(campaignDoc, ""));
    Map<String, Buyer> byCode = new HashMap<>();
    Map<Integer, Buyer> byId = new HashMap<>();
    for (Map.Entry<Integer, NavigableMap<Long, JsonNode>> b : buyers.entrySet()) {
      JsonNode doc = at(buyers, b.getKey(), version);
      if (doc == null) {
        continue;
      }
      String code = buyerCode(b.getKey());
      if (withChanges) {
        doc = changes.onBuyer(code, (ObjectNode) doc);
      }
      Buyer buyer = Buyer.read(b.getKey(), code, DocReader.of(doc, ""));
      byCode.put(code, buyer);
      byId.put(buyer.id(), buyer);
    }
    Map<Integer, Seller> sellerById = new HashMap<>();
    for (Integer id : sellers.keySet()) {
      JsonNode doc = at(sellers, id, version);
      if (doc != null) {
        sellerById.put(id, Seller.read(id, sellerCode(id), DocReader.of(doc, "")));
      }
    }
    return new Plan(campaign, byCode, byId, sellerById);
  }

  private static JsonNode at(Map<Integer, NavigableMap<Long, JsonNode>> docs, int id, long version) {
    NavigableMap<Long, JsonNode> versions = docs.get(id);
    if (versions == null) {
      return null;
    }
    Map.Entry<Long, JsonNode> entry = versions.floorEntry(version);
    // a document first written after this version did not exist then; version 0 stands for "before history"
    return entry == null ? null : entry.getValue().deepCopy();
  }

  private String buyerCode(int id) {
    return codes.buyers().getOrDefault(id, "#" + id);
  }

  private String sellerCode(int id) {
    return codes.sellers().getOrDefault(id, "#" + id);
  }

  /** One plan: the campaign, the buyers by code and id, the sellers by id. */
  record Plan(Campaign campaign, Map<String, Buyer> buyers, Map<Integer, Buyer> buyersById,
              Map<Integer, Seller> sellers) {

    /** The codes of tier {@code t}'s buyers, for comparing a tier across two plans. */
    List<String> tierBuyers(int t) {
      return t < campaign.tiers().size() ? campaign.tiers().get(t).buyers() : new ArrayList<>();
    }
  }
}
