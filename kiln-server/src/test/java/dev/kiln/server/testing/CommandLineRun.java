package dev.kiln.server.testing;

import dev.kiln.server.cli.KilnCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One {@code ./kiln ...} command line run in-process: its exit code, stdout and stderr. */
public record CommandLineRun(int exitCode, String out, String err) {

  /** Runs {@code ./kiln args...} with exactly this environment. */
  public static CommandLineRun kiln(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode;
    try (PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true)) {
      exitCode = KilnCommand.execute(() -> environment, outWriter, errWriter, args);
    }
    return new CommandLineRun(exitCode, out.toString(), err.toString());
  }
}
