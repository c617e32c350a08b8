package dev.kiln.export.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.CheckResult;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint that is down, or that takes requests and never answers: clear failures, in seconds.
 */
class ITS3ExportSinkUnreachable {
  private static final Duration SECONDS_NOT_A_HANG = Duration.ofSeconds(20);

  @TempDir Path work;

  @Test
  void storingToAnEndpointNobodyListensOnFailsQuicklyNamingBucketKeyAndEndpoint() throws Exception {
    URI endpoint = URI.create("http://127.0.0.1:" + closedPort());
    ExportJob job = TestJobs.job(ExportFormat.GZIP);
    Path file = Files.write(work.resolve("f.gz"), new byte[] {1, 2, 3});

    try (S3ExportSink sink = new S3ExportSink(settings(endpoint))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> sink.store(job, "f.gz", file))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(
              "could not store s3://exports/"
                  + S3ExportSink.objectKey(job, "f.gz")
                  + " at "
                  + endpoint
                  + ": ")
          .hasMessageEndingWith("Connection refused");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SECONDS_NOT_A_HANG);
    }
  }

  @Test
  void theCheckOfAnEndpointNobodyListensOnSaysWhy() throws Exception {
    URI endpoint = URI.create("http://127.0.0.1:" + closedPort());

    try (S3ExportSink sink = new S3ExportSink(settings(endpoint))) {
      CheckResult result = sink.check();

      assertThat(result.ok()).isFalse();
      assertThat(result.reason())
          .startsWith("bucket exports does not exist or is not reachable at " + endpoint + ": ")
          .endsWith("Connection refused");
    }
  }

  @Test
  void theCheckOfAnEndpointThatNeverAnswersEndsWithinSeconds() throws Exception {
    // The kernel completes the connection into the backlog; nothing ever reads the request.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        S3ExportSink sink =
            new S3ExportSink(settings(URI.create("http://127.0.0.1:" + silent.getLocalPort())))) {
      long start = System.nanoTime();
      CheckResult result = sink.check();

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SECONDS_NOT_A_HANG);
      assertThat(result.ok()).isFalse();
      assertThat(result.reason())
          .startsWith("bucket exports does not exist or is not reachable at http://127.0.0.1:")
          .endsWith(": no answer in time");
    }
  }

  private static S3Settings settings(URI endpoint) {
    return new S3Settings("exports", "us-east-1", endpoint, true, "key", "secret");
  }

  /** A port that was free a moment ago and that nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
