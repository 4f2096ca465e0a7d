package org.leadex.exchange.replay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.leadex.exchange.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -cp exchange.jar org.leadex.exchange.replay.ReplayCli --campaign ... --from ... --to ...
 * --changes '{"floor": 5.00}'}: asks a running exchange for a replay and prints it as a table and a
 * chart ({@link ReplayTable}). A thin client of {@code POST /v1/admin/replay}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "What-if replay of a campaign's recorded pings"
    + " under changed settings (docs/replay.md).")
public final class ReplayCli implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "${env:EXCHANGE_URL:-http://127.0.0.1:8080}", description = "the exchange [EXCHANGE_URL]")
  String url;

  @Option(names = "--admin-key", defaultValue = "${env:EXCHANGE_ADMIN_KEY}", required = true,
      description = "an admin API key [EXCHANGE_ADMIN_KEY]")
  String adminKey;

  @Option(names = "--campaign", required = true)
  String campaign;

  @Option(names = "--from", required = true, description = "first UTC day, YYYY-MM-DD")
  String from;

  @Option(names = "--to", required = true, description = "last UTC day, YYYY-MM-DD")
  String to;

  @Option(names = "--changes", defaultValue = "{}", description = "JSON: floor, auction, sale, rank_by, tiers,"
      + " buyers.<code>.caps / filters (default: none, which reproduces what happened)")
  String changes;

  @Option(names = "--json", description = "print the exchange's JSON answer instead of the table")
  boolean json;

  private final StringBuilder printed = new StringBuilder();

  @Override
  public Integer call() throws Exception {
    String body = "{\"campaign\":" + Json.text(Json.MAPPER.getNodeFactory().textNode(campaign)) + ",\"from\":\"" + from
        + "\",\"to\":\"" + to + "\",\"changes\":" + changes + "}";
    HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/v1/admin/replay"))
        .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + adminKey)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      printed.append("replay refused: ").append(reply.statusCode()).append(' ').append(reply.body()).append('\n');
      System.err.print(printed);
      return 1;
    }
    printed.append(json ? reply.body() + "\n" : ReplayTable.render(Json.parse(reply.body())));
    System.out.print(printed);
    return 0;
  }

  /** What the last run printed (its tests read it). */
  String printed() {
    return printed.toString();
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ReplayCli()).execute(args));
  }
}
