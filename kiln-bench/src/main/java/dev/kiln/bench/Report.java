package dev.kiln.bench;

import java.io.PrintStream;
import java.util.List;

/** The table printed at the end of a run. */
final class Report {
  private Report() {}

  record Row(String scenario, LoadResult result) {}

  static void print(List<Row> rows, PrintStream out) {
    int nameWidth = rows.stream().mapToInt(row -> row.scenario().length()).max().orElse(0);
    String format =
        "%-" + Math.max(nameWidth, "scenario".length()) + "s %10s %12s %9s %9s %9s %8s %10s%n";
    out.printf(
        format,
        "scenario",
        "req/s",
        "objects/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "errors",
        "server CPU");
    for (Row row : rows) {
      LoadResult r = row.result();
      out.printf(
          format,
          row.scenario(),
          fixed(r.requestsPerSecond(), 1),
          fixed(r.objectsPerSecond(), 0),
          fixed(r.p50Millis(), 2),
          fixed(r.p99Millis(), 2),
          fixed(r.maxMillis(), 1),
          r.errors(),
          fixed(r.serverCpuCores(), 2) + " cores");
      if (r.firstError() != null) {
        out.println(
            "    first error: "
                + r.firstError().substring(0, Math.min(200, r.firstError().length())));
      }
    }
  }

  private static String fixed(double value, int decimals) {
    return String.format("%." + decimals + "f", value);
  }
}
