package dev.kiln.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link BenchServer} in a child JVM: started, asked for its CPU time, stopped. */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ServerProcess start(String mode, Store store, String apiKey, List<String> jvmOptions)
      throws IOException {
    Path dataDir = store.dataDir();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            BenchServer.class.getName(),
            mode,
            dataDir.toString(),
            apiKey));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(dataDir.resolve("server.log").toFile());
    // The server takes its store from the environment; the operator's own KILN_ settings (a
    // KILN_STORAGE in the shell) must not choose it instead.
    builder.environment().keySet().removeIf(name -> name.startsWith("KILN_"));
    builder.environment().putAll(store.serverSettings());
    Process process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String line;
    while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
      if (line.startsWith(BenchServer.READY)) {
        return new ServerProcess(
            process, Integer.parseInt(line.substring(BenchServer.READY.length()).trim()));
      }
    }
    process.destroyForcibly();
    throw new IOException("the server did not start; see " + dataDir.resolve("server.log"));
  }

  int port() {
    return port;
  }

  /** CPU time the server used so far, across all its threads. */
  Duration cpuTime() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: graceful stop, so a JFR recording is written out
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
