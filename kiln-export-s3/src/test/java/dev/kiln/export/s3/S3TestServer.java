package dev.kiln.export.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server on 127.0.0.1 for tests: S3Proxy storing into a temporary folder, with
 * one access key, and a bucket made at start.
 *
 * <p>S3Proxy runs in a child JVM on its own self-contained jar (fetched by this module's build): it
 * brings Jetty 11 and jclouds, which would clash with the Jetty 12 of Kiln's server in one classpath.
 * kiln-server's end-to-end tests use it through this module's test-jar.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final String ACCESS_KEY_ID = "kiln-test-access-key";
  public static final String SECRET_ACCESS_KEY = "kiln-test-secret-key";
  public static final String BUCKET = "kiln-exports";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path folder;
  private final Process process;
  private final Thread stopAtExit;
  private final URI endpoint;
  private final S3Client client;

  private S3TestServer(Path folder, Process process, Thread stopAtExit, URI endpoint) {
    this.folder = folder;
    this.process = process;
    this.stopAtExit = stopAtExit;
    this.endpoint = endpoint;
    this.client = S3Client.builder()
        .region(Region.of(REGION))
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClientBuilder(Apache5HttpClient.builder())
        // S3Proxy refuses the default checksum trailer (see S3ExportSink).
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .build();
  }

  /** Starts S3Proxy on a free port and makes the bucket {@link #BUCKET}; returns once it answers. */
  public static S3TestServer start() throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory("kiln-s3proxy-");
    Path storage = Files.createDirectory(folder.resolve("storage"));
    URI endpoint = URI.create("http://127.0.0.1:" + freePort());
    Path properties = Files.writeString(folder.resolve("s3proxy.properties"), String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY_ID,
        "s3proxy.credential=" + SECRET_ACCESS_KEY,
        "jclouds.provider=filesystem-nio2",
        // A local folder needs no credential, but S3Proxy insists on one.
        "jclouds.identity=local",
        "jclouds.credential=local",
        "jclouds.filesystem.basedir=" + storage.toString().replace("\\", "/"),
        ""));
    Path log = folder.resolve("s3proxy.log");
    ProcessBuilder command = new ProcessBuilder(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-jar", s3proxyJar().toString(),
        "--properties", properties.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    command.environment().put("LOG_LEVEL", "warn");
    Process process = command.start();
    // Stops the child even when a test run ends without closing the server (a failure, a timeout).
    Thread stopAtExit = new Thread(process::destroyForcibly, "stop-s3proxy");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    S3TestServer server = new S3TestServer(folder, process, stopAtExit, endpoint);
    try {
      server.awaitListening(log);
      server.createBucket(BUCKET);
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        server.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Settings of a sink writing to {@link #BUCKET} with this server's key. */
  public S3Settings settings() {
    return settings(BUCKET);
  }

  /** Settings of a sink writing to {@code bucket} (which need not exist) with this server's key. */
  public S3Settings settings(String bucket) {
    return new S3Settings(bucket, REGION, endpoint, true, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  /** A client of this server, signed with its key, to arrange and read back what a test needs. */
  public S3Client client() {
    return client;
  }

  public void createBucket(String bucket) {
    client.createBucket(request -> request.bucket(bucket));
  }

  /** Stops S3Proxy and deletes what it stored. */
  @Override
  public void close() throws IOException {
    client.close();
    stop(process);
    Runtime.getRuntime().removeShutdownHook(stopAtExit);
    deleteRecursively(folder);
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitListening(Path log) throws IOException, InterruptedException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.getPort());
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("S3Proxy exited with status " + process.exitValue() + " before it listened on "
            + endpoint + "; its output:\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("S3Proxy did not listen on " + endpoint + " within " + STARTUP_TIMEOUT.toSeconds()
            + " s; its output:\n" + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(address, 1_000);
        return;
      } catch (ConnectException notYet) {
        Thread.sleep(50);
      }
    }
  }

  /**
   * The jar's place in the local Maven repository, recorded by the build (resource filtering), so the
   * test-jar finds it from any module.
   */
  private static Path s3proxyJar() throws IOException {
    String resource = "s3proxy-jar.txt";
    try (InputStream in = S3TestServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(resource + " is missing beside " + S3TestServer.class.getName() + ": build kiln-export-s3");
      }
      Path jar = Paths.get(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
      if (!Files.isRegularFile(jar)) {
        throw new IOException("S3Proxy's jar is not at " + jar + ": build kiln-export-s3 (it fetches the jar)");
      }
      return jar;
    }
  }

  /** A port nothing listens on now; S3Proxy takes it a moment later. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
