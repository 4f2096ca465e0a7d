package org.leadex.exchange.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.leadex.exchange.buyers.BuyerClientSettings;
import org.leadex.exchange.buyers.BuyerEndpoint;
import org.leadex.exchange.catalog.Campaign;
import org.leadex.exchange.catalog.ConsentPolicy;
import org.leadex.exchange.json.Json;

/**
 * Asks a campaign's consent service whether a lead's certificate is valid, before the lead is
 * offered: {@code POST check_url {"certificate": ..., "lead": {non-PII fields}}} →
 * {@code {"valid": true, "created_at": "..."}}. The service is an untrusted remote like a buyer, and
 * is called the same way: a deadline (the post's budget, at most 1 s) after which the request is
 * reset, an answer size limit, and a circuit breaker per check URL. Anything but a valid, young
 * enough certificate is a {@code consent_invalid} verdict, never an exception. Thread safe.
 */
public final class ConsentCheck {
  /** The contract: no answer within 1 s counts as invalid, whatever the post's budget. */
  static final int MAX_WAIT_MILLIS = 1_000;
  /** A created_at this far ahead of our clock is a service's clock error we tolerate, not consent from the future. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final BuyerClientSettings settings;
  private final Clock clock;
  private final HttpClient client;
  private final Map<String, CircuitBreaker> circuits = new ConcurrentHashMap<>();

  public ConsentCheck(Vertx vertx, BuyerClientSettings settings, Clock clock) {
    this.vertx = vertx;
    this.settings = settings;
    this.clock = clock;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(1_000)
        .setMaxInitialLineLength(4096).setMaxHeaderSize(16 * 1024).setName("consent"),
        new PoolOptions().setHttp1MaxSize(32));
  }

  /**
   * The verdict on {@code lead} (all its fields) under {@code campaign}'s check; null when the
   * campaign does not require one.
   */
  public Future<ConsentVerdict> check(Campaign campaign, ObjectNode lead) {
    if (!campaign.checksConsent()) {
      return Future.succeededFuture(null);
    }
    ConsentPolicy policy = campaign.consent().orElseThrow();
    Instant now = clock.instant();
    JsonNode value = lead.get(policy.field());
    String certificate = value == null || !value.isTextual() || value.textValue().isBlank() ? null : value.textValue();
    if (certificate == null) {
      return Future.succeededFuture(new ConsentVerdict(false, "missing certificate", null, now, null));
    }
    CircuitBreaker circuit = circuits.computeIfAbsent(policy.checkUrl().toString(),
        url -> BuyerEndpoint.circuitBreaker("consent-" + url, settings));
    if (!circuit.tryAcquirePermission()) {
      return Future.succeededFuture(new ConsentVerdict(false, "circuit_open", certificate, now, null));
    }
    ObjectNode body = Json.object();
    body.put("certificate", certificate);
    ObjectNode fields = body.putObject("lead");
    for (Iterator<String> names = lead.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      // the schema's fields only: PII never leaves for a consent service (nor does the certificate twice)
      if (campaign.fields().containsKey(name) && !name.equals(policy.field())) {
        fields.set(name, lead.get(name));
      }
    }
    int waitMillis = Math.min(campaign.postTimeoutMs(), MAX_WAIT_MILLIS);
    long start = System.nanoTime();
    return call(policy, Buffer.buffer(Json.bytes(body)), waitMillis).map(answer -> {
      long micros = (System.nanoTime() - start) / 1_000;
      if (answer.failure() != null) {
        circuit.onError(micros, TimeUnit.MICROSECONDS, new TimeoutException(answer.failure()));
        return new ConsentVerdict(false, answer.failure(), certificate, now, null);
      }
      ConsentVerdict verdict = judge(policy, certificate, now, answer.status(), answer.body());
      if (verdict.valid() || verdict.createdAt() != null || "invalid".equals(verdict.reason())) {
        circuit.onSuccess(micros, TimeUnit.MICROSECONDS); // it answered: a verdict, not a fault
      } else {
        circuit.onError(micros, TimeUnit.MICROSECONDS, new IllegalStateException(verdict.reason()));
      }
      return verdict;
    });
  }

  /** The service's answer read against the policy (pure). */
  static ConsentVerdict judge(ConsentPolicy policy, String certificate, Instant now, int status, byte[] body) {
    if (status != 200) {
      return new ConsentVerdict(false, "status " + status, certificate, now, null);
    }
    JsonNode answer;
    try {
      answer = Json.parse(body);
    } catch (IOException e) {
      return new ConsentVerdict(false, "malformed: not JSON", certificate, now, null);
    }
    JsonNode valid = answer.get("valid");
    JsonNode created = answer.get("created_at");
    Instant createdAt = null;
    if (created != null && created.isTextual()) {
      try {
        createdAt = OffsetDateTime.parse(created.textValue()).toInstant();
      } catch (DateTimeParseException e) {
        return new ConsentVerdict(false, "malformed: created_at is not a date-time", certificate, now, null);
      }
    }
    if (valid == null || !valid.isBoolean()) {
      return new ConsentVerdict(false, "malformed: no boolean valid", certificate, now, createdAt);
    }
    if (!valid.booleanValue()) {
      return new ConsentVerdict(false, "invalid", certificate, now, createdAt);
    }
    if (createdAt == null) {
      return new ConsentVerdict(false, "malformed: no created_at", certificate, now, null);
    }
    if (createdAt.isAfter(now.plus(CLOCK_SKEW))) {
      return new ConsentVerdict(false, "created_at is in the future", certificate, now, createdAt);
    }
    long age = Duration.between(createdAt, now).getSeconds();
    if (age > policy.maxAgeSeconds()) {
      return new ConsentVerdict(false, "too old: " + age + " s > max_age_s " + policy.maxAgeSeconds(), certificate,
          now, createdAt);
    }
    return new ConsentVerdict(true, null, certificate, now, createdAt);
  }

  /** The service's raw answer, or why there is none. */
  private record Answer(int status, byte[] body, String failure) {}

  private Future<Answer> call(ConsentPolicy policy, Buffer body, int waitMillis) {
    Promise<Answer> promise = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(waitMillis, id -> {
      if (promise.tryComplete(new Answer(0, null, "timeout after " + waitMillis + " ms")) && sent[0] != null) {
        sent[0].reset();
      }
    });
    int limit = settings.maxAnswerBytes();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(policy.checkUrl().toString()).setIdleTimeout(waitMillis + 1_000L)
        .putHeader("content-type", "application/json");
    client.request(options)
        .compose(request -> {
          if (promise.future().isComplete()) {
            request.reset();
            return Future.failedFuture("no time left");
          }
          sent[0] = request;
          return request.send(body);
        })
        .onSuccess(response -> {
          Buffer answer = Buffer.buffer();
          response.exceptionHandler(e -> promise.tryComplete(new Answer(0, null, "error: " + e.getMessage())));
          response.handler(chunk -> {
            if (answer.length() + chunk.length() > limit) {
              promise.tryComplete(new Answer(0, null, "too_large: answer over " + limit + " bytes"));
              response.handler(null);
              response.request().reset();
            } else {
              answer.appendBuffer(chunk);
            }
          });
          response.endHandler(v -> promise.tryComplete(new Answer(response.statusCode(), answer.getBytes(), null)));
        })
        .onFailure(e -> promise.tryComplete(new Answer(0, null, "error: " + e.getMessage())));
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  public void close() {
    client.close();
  }
}
