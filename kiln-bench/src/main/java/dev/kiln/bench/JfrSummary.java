package dev.kiln.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording's execution samples and says where the CPU went: the methods on top of the
 * stack, the area of code each sample belongs to (the innermost frame outside the JDK: time in
 * HashMap called from Kiln's storage counts as Kiln's storage), and the threads that ran.
 */
final class JfrSummary {
  /** Areas of code by package prefix, most specific first. */
  private static final Map<String, String> AREAS = areas();

  private JfrSummary() {}

  record Summary(
      long samples,
      Map<String, Double> topSelfMethods,
      Map<String, Double> areas,
      Map<String, Double> threads) {}

  static Summary summarize(Path recording, int top) throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> area = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    long samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      self.merge(name(frames.getFirst()), 1L, Long::sum);
      area.merge(areaOf(frames), 1L, Long::sum);
      threads.merge(threadGroup(event), 1L, Long::sum);
    }
    return new Summary(
        samples,
        shares(self, samples, top),
        shares(area, samples, AREAS.size() + 1),
        shares(threads, samples, 10));
  }

  private static Map<String, Double> shares(Map<String, Long> counts, long samples, int top) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> Math.round(1000.0 * e.getValue() / samples) / 10.0,
                (a, b) -> a,
                LinkedHashMap::new));
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** The area of the innermost frame that is not the JDK's own. */
  private static String areaOf(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String className = frame.getMethod().getType().getName();
      for (Map.Entry<String, String> area : AREAS.entrySet()) {
        if (className.startsWith(area.getKey())) {
          return area.getValue();
        }
      }
    }
    return "JDK only (threads, I/O, GC helpers)";
  }

  /**
   * Thread names without their numbers: "JettyServerThreadPool-12" counts as
   * "JettyServerThreadPool".
   */
  private static String threadGroup(RecordedEvent event) {
    var thread = event.getThread("sampledThread");
    String name = thread == null || thread.getJavaName() == null ? "unknown" : thread.getJavaName();
    return name.replaceAll("[-#]?\\d+$", "");
  }

  private static Map<String, String> areas() {
    Map<String, String> areas = new LinkedHashMap<>();
    areas.put("org.sqlite", "SQLite (sqlite-jdbc)");
    areas.put("org.postgresql", "PostgreSQL JDBC driver");
    areas.put("com.zaxxer.hikari", "connection pool");
    areas.put("dev.kiln.storage", "Kiln storage (rows, JSON documents)");
    areas.put("dev.kiln.ingest", "Kiln decoding and validation");
    areas.put("dev.kiln.core", "Kiln core semantics");
    areas.put("dev.kiln.server", "Kiln HTTP endpoints");
    areas.put("com.fasterxml.jackson", "Jackson JSON");
    areas.put("io.javalin", "Javalin");
    areas.put("org.eclipse.jetty", "Jetty");
    areas.put("io.micrometer", "metrics");
    return areas;
  }
}
