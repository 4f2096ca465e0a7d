package org.leadex.loadtest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Writes a phase's report files into a directory:
 * <ul>
 *   <li>{@code <operation>.hgrm}: latency from the intended send time, HdrHistogram's percentile
 *       distribution in ms (plot it with HdrHistogram's plotter, or compare runs);</li>
 *   <li>{@code <operation>-service.hgrm}: the service time, the same way;</li>
 *   <li>{@code summary.json}: every number of the console report, plus the per-second series;</li>
 *   <li>{@code report.html}: one self-contained page with tables and inline SVG plots.</li>
 * </ul>
 */
public final class ReportFiles {
  /** snake_case JSON, as the rest of the project. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ReportFiles() {
  }

  public static void write(Path dir, String title, Map<String, Object> settings, PhaseReport report,
      String stopReason) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, Histogram> e : report.latencyHistograms().entrySet()) {
      writeHgrm(dir.resolve(e.getKey() + ".hgrm"), e.getValue());
      writeHgrm(dir.resolve(e.getKey() + "-service.hgrm"),
          report.serviceHistograms().get(e.getKey()));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("tool", "leadex-loadtest");
    summary.put("written_at", Instant.now().toString());
    summary.put("settings", settings);
    summary.put("stop_reason", stopReason);
    summary.put("result", report);
    JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
    Files.writeString(dir.resolve("report.html"), HtmlReport.render(title, settings, report),
        StandardCharsets.UTF_8);
  }

  /**
   * Writes a surge or storm run: the whole run's files as {@link #write} does (its
   * {@code summary.json} gains {@code profile}, {@code phases}, {@code recovery}, {@code control}
   * and {@code phase_reports}), and {@code <phase>-<operation>.hgrm} for each phase.
   */
  public static void writeProfile(Path dir, String title, Map<String, Object> settings,
      ProfileReport profile, String stopReason) throws IOException {
    Files.createDirectories(dir);
    PhaseReport whole = profile.whole();
    for (Map.Entry<String, Histogram> e : whole.latencyHistograms().entrySet()) {
      writeHgrm(dir.resolve(e.getKey() + ".hgrm"), e.getValue());
      writeHgrm(dir.resolve(e.getKey() + "-service.hgrm"),
          whole.serviceHistograms().get(e.getKey()));
    }
    for (PhaseReport phase : profile.phaseReports()) {
      for (Map.Entry<String, Histogram> e : phase.latencyHistograms().entrySet()) {
        writeHgrm(dir.resolve(phase.name() + "-" + e.getKey() + ".hgrm"), e.getValue());
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("tool", "leadex-loadtest");
    summary.put("written_at", Instant.now().toString());
    summary.put("settings", settings);
    summary.put("stop_reason", stopReason);
    summary.put("result", whole);
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("kind", profile.kind());
    described.put("base_rate", profile.baseRate());
    described.put("multiple", profile.multiple());
    described.put("window_at_s", profile.windowAtSeconds());
    described.put("window_for_s", profile.windowForSeconds());
    described.put("duration_s", profile.durationSeconds());
    described.put("shed_limit_ms", profile.shedLimitMs());
    summary.put("profile", described);
    summary.put("phases", profile.phases());
    summary.put("recovery", profile.recovery());
    summary.put("control", profile.control());
    summary.put("control_at_s", profile.controlAtSeconds());
    summary.put("phase_reports", profile.phaseReports());
    JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
    Files.writeString(dir.resolve("report.html"), ProfileHtml.render(title, settings, profile),
        StandardCharsets.UTF_8);
  }

  /** HdrHistogram's percentile distribution of a µs histogram, with values in ms. */
  public static void writeHgrm(Path file, Histogram micros) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8)) {
      micros.outputPercentileDistribution(print, 1000.0);
    }
  }
}
