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
 * A real S3-compatible server on 127.0.0.1 for tests, storing into a temporary folder, with one
 * access key, and a bucket made at start: S3Proxy ({@link #start()}), or s3rver ({@link
 * #startS3rver()}), a second implementation that stores what it is sent as it is sent.
 *
 * <p>S3Proxy runs in a child JVM on its own self-contained jar (fetched by this module's build): it
 * brings Jetty 11 and jclouds, which would clash with the Jetty 12 of Kiln's server in one
 * classpath. s3rver runs on the machine's node, from where this module's build installed it (npm
 * ci). kiln-server's end-to-end tests use them through this module's test-jar.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final String ACCESS_KEY_ID = "kiln-test-access-key";
  public static final String SECRET_ACCESS_KEY = "kiln-test-secret-key";
  public static final String BUCKET = "kiln-exports";

  /** s3rver's one key pair, which it does not let be changed. */
  private static final String S3RVER_KEY = "S3RVER";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Path folder;
  private final Process process;
  private final Thread stopAtExit;
  private final URI endpoint;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final S3Client client;

  private S3TestServer(
      String name,
      Path folder,
      Process process,
      Thread stopAtExit,
      URI endpoint,
      String accessKeyId,
      String secretAccessKey) {
    this.name = name;
    this.folder = folder;
    this.process = process;
    this.stopAtExit = stopAtExit;
    this.endpoint = endpoint;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.client =
        S3Client.builder()
            .region(Region.of(REGION))
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
            .httpClientBuilder(Apache5HttpClient.builder())
            // S3Proxy refuses the default checksum trailer (see S3ExportSink).
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .build();
  }

  /**
   * Starts S3Proxy on a free port and makes the bucket {@link #BUCKET}; returns once it answers.
   */
  public static S3TestServer start() throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory("kiln-s3proxy-");
    Path storage = Files.createDirectory(folder.resolve("storage"));
    URI endpoint = URI.create("http://127.0.0.1:" + freePort());
    Path properties =
        Files.writeString(
            folder.resolve("s3proxy.properties"),
            String.join(
                "\n",
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
    ProcessBuilder command =
        new ProcessBuilder(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                installed("s3proxy-jar.txt").toString(),
                "--properties",
                properties.toString()));
    command.environment().put("LOG_LEVEL", "warn");
    return start("S3Proxy", folder, command, endpoint, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  /** Starts s3rver on a free port with the bucket {@link #BUCKET}; returns once it answers. */
  public static S3TestServer startS3rver() throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory("kiln-s3rver-");
    Path storage = Files.createDirectory(folder.resolve("storage"));
    int port = freePort();
    Path script =
        installed("s3rver-dir.txt")
            .resolve(Paths.get("node_modules", "s3rver", "bin", "s3rver.js"));
    ProcessBuilder command =
        new ProcessBuilder(
            List.of(
                "node",
                script.toString(),
                "--directory",
                storage.toString(),
                "--address",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--silent",
                "--configure-bucket",
                BUCKET));
    return start(
        "s3rver", folder, command, URI.create("http://127.0.0.1:" + port), S3RVER_KEY, S3RVER_KEY);
  }

  private static S3TestServer start(
      String name,
      Path folder,
      ProcessBuilder command,
      URI endpoint,
      String accessKeyId,
      String secretAccessKey)
      throws IOException, InterruptedException {
    Path log = folder.resolve(name + ".log");
    Process process = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // Stops the child even when a test run ends without closing the server (a failure, a timeout).
    Thread stopAtExit = new Thread(process::destroyForcibly, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    S3TestServer server =
        new S3TestServer(name, folder, process, stopAtExit, endpoint, accessKeyId, secretAccessKey);
    try {
      server.awaitListening(log);
      if (!server.client.listBuckets().buckets().stream()
          .anyMatch(bucket -> bucket.name().equals(BUCKET))) {
        server.createBucket(BUCKET);
      }
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
    return new S3Settings(bucket, REGION, endpoint, true, accessKeyId, secretAccessKey);
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** A client of this server, signed with its key, to arrange and read back what a test needs. */
  public S3Client client() {
    return client;
  }

  public void createBucket(String bucket) {
    client.createBucket(request -> request.bucket(bucket));
  }

  /** Stops the server and deletes what it stored. */
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
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.getPort());
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            name
                + " exited with status "
                + process.exitValue()
                + " before it listened on "
                + endpoint
                + "; its output:\n"
                + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            name
                + " did not listen on "
                + endpoint
                + " within "
                + STARTUP_TIMEOUT.toSeconds()
                + " s; its output:\n"
                + Files.readString(log));
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
   * Where the build put a server (S3Proxy's jar in the local Maven repository, s3rver's npm
   * install), recorded in a resource by resource filtering, so the test-jar finds it from any
   * module.
   */
  private static Path installed(String resource) throws IOException {
    try (InputStream in = S3TestServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            resource
                + " is missing beside "
                + S3TestServer.class.getName()
                + ": build kiln-export-s3");
      }
      Path path = Paths.get(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
      if (!Files.exists(path)) {
        throw new IOException(
            path
                + " does not exist: build kiln-export-s3 (it fetches and installs the test servers)");
      }
      return path;
    }
  }

  /** A port nothing listens on now; the server takes it a moment later. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
