package dev.kiln.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code java -jar kiln-server.jar} child process, the shipped jar as an operator runs it.
 * Failsafe runs from the kiln-server folder after {@code package}, so the shaded jar is at {@link
 * #JAR}.
 *
 * <p>Its stdout and stderr go to files, read when needed: a thread reading the child's stderr pipe
 * was seen to miss the last line, "Kiln stopped", which is written during shutdown, while the JDK
 * reaps the process and closes its pipes.
 */
public final class KilnProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target", "kiln-server.jar").toAbsolutePath();

  /** How long starting or stopping may take before the test fails rather than hangs. */
  public static final Duration BOUND = Duration.ofSeconds(30);

  public static final String LISTENING = "Kiln listening on http://";

  /**
   * The JVM's exit code after SIGTERM (128 + 15), even when its shutdown hooks ran to completion.
   */
  public static final int EXIT_SIGTERM = 143;

  /** The exit code of a process killed by SIGKILL (128 + 9): nothing of it ran after the signal. */
  public static final int EXIT_SIGKILL = 137;

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private KilnProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts the jar with {@code args}; its environment is this one without any {@code KILN_*}
   * variable, plus {@code env}. Its output goes to a new folder under {@code workDir}.
   */
  public static KilnProcess start(Path workDir, Map<String, String> env, String... args)
      throws IOException {
    return start(JAR, workDir, env, args);
  }

  /**
   * As {@link #start(Path, Map, String...)}, with another copy of the jar: a test whose processes
   * run long can start them from a copy of its own, which a {@code package} run meanwhile does not
   * rewrite under them (a JVM reads classes from its jar lazily, and fails on a jar replaced
   * underneath).
   */
  public static KilnProcess start(Path jar, Path workDir, Map<String, String> env, String... args)
      throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
    command.addAll(List.of(args));
    Path logs = Files.createTempDirectory(workDir, "process");
    Path stdout = logs.resolve("stdout.txt");
    Path stderr = logs.resolve("stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("KILN_"));
    builder.environment().putAll(env);
    return new KilnProcess(builder.start(), stdout, stderr);
  }

  /**
   * Starts {@code serve} over {@code dataDir} with these settings and waits until it listens.
   * Unless the settings name a {@code KILN_CONFIG}, an empty one is used, so that no {@code
   * kiln.properties} in the working folder changes the test. Output goes under {@code workDir}.
   */
  public static KilnProcess serve(Path dataDir, Path workDir, Map<String, String> settings)
      throws IOException, InterruptedException {
    return serve(JAR, dataDir, workDir, settings);
  }

  /**
   * As {@link #serve(Path, Path, Map)}, with another copy of the jar (see {@link #start(Path, Path,
   * Map, String...)}).
   */
  public static KilnProcess serve(
      Path jar, Path dataDir, Path workDir, Map<String, String> settings)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(settings);
    env.put("KILN_DATA_DIR", dataDir.toString());
    if (!env.containsKey("KILN_CONFIG")) {
      env.put("KILN_CONFIG", Files.createTempFile(workDir, "kiln", ".properties").toString());
    }
    KilnProcess kiln = start(jar, workDir, env, "serve");
    try {
      kiln.awaitListening();
    } catch (AssertionError | InterruptedException e) {
      kiln.close();
      throw e;
    }
    return kiln;
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  /** Waits (bounded) for the line serve prints once it accepts requests. */
  public void awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline && process.isAlive() && !stdout().contains(LISTENING)) {
      Thread.sleep(50);
    }
    assertThat(stdout())
        .as(
            "'%s' on stdout within %s; alive: %s%nstderr:%n%s",
            LISTENING, BOUND, process.isAlive(), stderr())
        .contains(LISTENING);
  }

  /** Waits (bounded) for the process to end. */
  public boolean awaitExit() throws InterruptedException {
    return process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Stops the process as an operator does, with SIGTERM ({@link Process#destroy()} on Linux): its
   * shutdown hooks run. Waits (bounded) for the exit and answers the exit code.
   */
  public int terminate() throws InterruptedException {
    process.destroy();
    return exitCode("SIGTERM");
  }

  /**
   * Kills the process as a crash does, with SIGKILL ({@link Process#destroyForcibly()} on Linux
   * sends it, and the exit code 137 = 128 + 9 confirms it): no shutdown hook runs, nothing is
   * released. Waits (bounded) for the exit and answers the exit code.
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    return exitCode("SIGKILL");
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  /** Kills the process if it still runs (a failed test must not leave a server behind). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private int exitCode(String signal) throws InterruptedException {
    assertThat(awaitExit())
        .as("process %d exits within %s after %s; stderr:%n%s", pid(), BOUND, signal, stderr())
        .isTrue();
    return process.exitValue();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port nobody listens on now, for a process to bind. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
