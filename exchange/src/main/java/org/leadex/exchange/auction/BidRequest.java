package org.leadex.exchange.auction;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.leadex.exchange.adapters.Secrets;
import org.leadex.exchange.json.Json;

/**
 * One ping's bid request, built at most once per form and shared by all of its buyers: the buyer
 * protocol's JSON (left open so each buyer's {@code tmax_ms} can be appended) for buyers that speak
 * it, and the template context for buyers with a bid adapter. Neither holds PII: a ping carries
 * none (checked at the edge), and the consent certificate is kept for the post. Confined to the
 * ping's event loop.
 */
public final class BidRequest {
  private final PingRequest ping;
  private final int score;
  private Buffer prefix;
  private Map<String, Object> context;

  BidRequest(PingRequest ping, int score) {
    this.ping = ping;
    this.score = score;
  }

  /**
   * The buyer protocol's request without its closing brace, serialised once: the same for every
   * buyer but for {@code tmax_ms}.
   */
  public Buffer prefix() {
    if (prefix == null) {
      prefix = protocolPrefix();
    }
    return prefix;
  }

  /**
   * What a bid adapter's templates read: {@code ping_id}, {@code campaign}, {@code vertical},
   * {@code test}, {@code sale_modes}, {@code tmax_ms}, {@code lead.*} (with {@code score}) and
   * {@code secret.*} (the buyer's own).
   */
  public Map<String, Object> adapterContext(long tmaxMillis, Secrets secrets) {
    if (context == null) {
      Map<String, Object> base = new HashMap<>();
      base.put("ping_id", ping.pingId().toString());
      base.put("campaign", ping.campaign().code());
      base.put("vertical", ping.campaign().vertical());
      base.put("test", ping.test());
      base.put("sale_modes", ping.campaign().sale().saleModes());
      Map<String, Object> lead = new LinkedHashMap<>();
      forEachBidField((name, value) -> lead.put(name, Json.MAPPER.convertValue(value, Object.class)));
      lead.put("score", score);
      base.put("lead", lead);
      context = base;
    }
    Map<String, Object> call = new HashMap<>(context);
    call.put("tmax_ms", tmaxMillis);
    call.put("secret", secrets.values());
    return call;
  }

  /** The lead's fields a bidder may see: all of the ping's but a consent certificate (that is for the post). */
  private void forEachBidField(BiConsumer<String, JsonNode> field) {
    String certificate = ping.campaign().consentField();
    for (Iterator<Map.Entry<String, JsonNode>> fields = ping.lead().fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> next = fields.next();
      if (!next.getKey().equals(certificate)) {
        field.accept(next.getKey(), next.getValue());
      }
    }
  }

  private Buffer protocolPrefix() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    // Streamed rather than built as a tree: the lead's fields are written as they are, plus the
    // score, without copying the lead.
    try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("ping_id", ping.pingId().toString());
      json.writeStringField("campaign", ping.campaign().code());
      json.writeStringField("vertical", ping.campaign().vertical());
      json.writeBooleanField("test", ping.test());
      json.writeArrayFieldStart("sale_modes");
      for (String mode : ping.campaign().sale().saleModes()) {
        json.writeString(mode);
      }
      json.writeEndArray();
      json.writeObjectFieldStart("lead");
      forEachBidField((name, value) -> {
        try {
          json.writeFieldName(name);
          Json.MAPPER.writeTree(json, value);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      json.writeNumberField("score", score);
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = out.toByteArray();
    return Buffer.buffer(bytes.length + 24).appendBytes(bytes, 0, bytes.length - 1); // drop the closing brace
  }
}
