package dev.kiln.server.multinode;

import dev.kiln.server.testing.KilnProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of ITMultiNode's Kiln processes (the shipped jar): its own port and public URL, the shared
 * database and data folder, an export lease short enough for a survivor to take a killed node's job
 * over within seconds.
 */
final class KilnNode implements AutoCloseable {
  static final String SECRET = "multi-node-secret";
  static final int LEASE_SECONDS = 3;

  private final int index;
  private final int port = KilnProcess.freePort();
  private final Path jar;
  private final Path dataDir;
  private final Path workDir;
  private final String postgresUrl;
  private KilnProcess process;

  KilnNode(int index, Path jar, Path dataDir, Path workDir, String postgresUrl) {
    this.index = index;
    this.jar = jar;
    this.dataDir = dataDir;
    this.workDir = workDir;
    this.postgresUrl = postgresUrl;
  }

  void start() throws IOException, InterruptedException {
    Map<String, String> settings = new HashMap<>();
    settings.put("KILN_PORT", Integer.toString(port));
    settings.put("KILN_HOST", "127.0.0.1");
    settings.put("KILN_PUBLIC_URL", "http://127.0.0.1:" + port);
    settings.put("KILN_STORAGE", "postgres");
    settings.put("KILN_POSTGRES_URL", postgresUrl);
    settings.put("KILN_API_KEY", SECRET);
    settings.put("KILN_CALLBACK_ALLOW_PRIVATE", "true"); // the receiver is on loopback
    settings.put("KILN_EXPORT_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
    process =
        KilnProcess.serve(
            jar, dataDir, Files.createDirectories(workDir.resolve("node-" + index)), settings);
  }

  boolean alive() {
    return process != null && process.process().isAlive();
  }

  int kill() throws InterruptedException {
    return process.kill();
  }

  /** Everything the process wrote (its log goes to stderr). */
  String log() {
    return process.stdout() + process.stderr();
  }

  String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }

  @Override
  public String toString() {
    return "node " + index + " (port " + port + ")";
  }
}
