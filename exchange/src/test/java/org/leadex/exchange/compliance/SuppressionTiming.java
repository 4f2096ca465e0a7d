package org.leadex.exchange.compliance;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.leadex.exchange.support.Http;
import org.leadex.exchange.support.TestBuyers;
import org.leadex.exchange.support.TestDatabase;
import org.leadex.exchange.support.TestExchange;

/**
 * A plain timing run (not a test) for docs/performance.md "Suppression lists": uploads lists of the
 * given sizes through the API of a real exchange on a test PostgreSQL and times them, then times
 * lookups in a list of each size. Run with the test classpath:
 * {@code java -cp <test classpath> org.leadex.exchange.compliance.SuppressionTiming 1000000 10000000}.
 */
public final class SuppressionTiming {
  public static void main(String[] args) throws Exception {
    try (TestExchange exchange = TestExchange.start(TestDatabase.fresh("suppression-timing"));
         TestBuyers buyers = TestBuyers.start()) {
      Http.Reply created = exchange.admin("PUT", "/v1/admin/buyers/timed", buyers.fixedPriceJson("timed", "5.00"));
      String key = created.text("api_key");
      for (String arg : args) {
        int lines = Integer.parseInt(arg);
        Path body = Files.createTempFile("suppression-" + lines, ".txt");
        write(body, lines);
        HttpRequest request = HttpRequest.newBuilder(URI.create(exchange.url() + "/v1/buyers/me/suppression"))
            .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + key)
            .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofFile(body)).build();
        for (int run = 0; run < 2; run++) {
          long start = System.nanoTime();
          HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
          long millis = (System.nanoTime() - start) / 1_000_000;
          System.out.printf("upload %,d lines (%,d bytes): %d ms, status %d, %s%n", lines, Files.size(body), millis,
              answer.statusCode(), answer.body());
        }
        Files.delete(body);
        lookups(lines);
      }
    }
  }

  private static void write(Path file, int lines) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    HexFormat hex = HexFormat.of();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (int i = 0; i < lines; i++) {
        out.write(hex.formatHex(digest.digest(("person-" + i + "@example.org").getBytes(StandardCharsets.UTF_8)))
            .getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
      }
    }
  }

  private static void lookups(int size) {
    SplittableRandom random = new SplittableRandom(7);
    long[] listed = new long[size];
    for (int i = 0; i < size; i++) {
      listed[i] = random.nextLong();
    }
    SuppressionList list = SuppressionList.of(listed, size);
    int found = 0;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < 10_000_000; i++) {
        found += list.contains(i % 2 == 0 ? listed[i % size] : random.nextLong()) ? 1 : 0;
      }
      System.out.printf("lookups in a %,d list: %.1f ns each (half listed, half not), %,d bytes = %.1f bytes/hash%n",
          size, (System.nanoTime() - start) / 10_000_000.0, list.bytes(), list.bytes() / (double) size);
    }
    if (found == 0) {
      throw new IllegalStateException();
    }
  }
}
