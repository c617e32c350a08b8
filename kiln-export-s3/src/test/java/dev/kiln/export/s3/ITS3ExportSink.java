package dev.kiln.export.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.CheckResult;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The sink against a real S3-compatible server (S3Proxy, in a child JVM). */
class ITS3ExportSink {
  private static S3TestServer server;

  @TempDir Path work;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aStoredFileLandsAtBrazesKeyWithItsExactBytes() throws Exception {
    ExportJob job = TestJobs.job(ExportFormat.GZIP);
    byte[] bytes = randomBytes(70_000);

    try (S3ExportSink sink = new S3ExportSink(server.settings())) {
      sink.store(job, "0a1b2c3d.gz", write("0a1b2c3d.gz", bytes));
    }

    String key = "segment-export/segment-1/2026-03-04/" + job.objectPrefix() + "/0a1b2c3d.gz";
    ResponseBytes<GetObjectResponse> stored = read(key);
    assertThat(stored.asByteArray()).isEqualTo(bytes);
    assertThat(stored.response().contentType()).isEqualTo("application/gzip");
  }

  @Test
  void aZipFileIsStoredAsApplicationZip() throws Exception {
    ExportJob job = TestJobs.job(ExportFormat.ZIP);

    try (S3ExportSink sink = new S3ExportSink(server.settings())) {
      sink.store(job, "f.zip", write("f.zip", randomBytes(100)));
    }

    assertThat(read(S3ExportSink.objectKey(job, "f.zip")).response().contentType())
        .isEqualTo("application/zip");
  }

  @Test
  void storingTheSameNameAgainReplacesTheContent() throws Exception {
    ExportJob job = TestJobs.job(ExportFormat.GZIP);

    try (S3ExportSink sink = new S3ExportSink(server.settings())) {
      sink.store(
          job,
          "f.gz",
          write("first.gz", "written before a restart".getBytes(StandardCharsets.UTF_8)));
      sink.store(
          job,
          "f.gz",
          write("second.gz", "written again after it".getBytes(StandardCharsets.UTF_8)));
    }

    assertThat(read(S3ExportSink.objectKey(job, "f.gz")).asUtf8String())
        .isEqualTo("written again after it");
    assertThat(keysUnder(job)).containsExactly(S3ExportSink.objectKey(job, "f.gz"));
  }

  @Test
  void discardDeletesEveryFileOfTheJobAndNoOtherJobs() throws Exception {
    ExportJob cancelled = TestJobs.job(ExportFormat.GZIP);
    ExportJob other = TestJobs.job(ExportFormat.GZIP);

    try (S3ExportSink sink = new S3ExportSink(server.settings())) {
      for (int index = 0; index < 3; index++) {
        sink.store(cancelled, index + ".gz", write(index + ".gz", randomBytes(10)));
      }
      sink.store(other, "0.gz", write("other.gz", randomBytes(10)));
      sink.discard(cancelled);
    }

    assertThat(keysUnder(cancelled)).isEmpty();
    assertThat(keysUnder(other)).containsExactly(S3ExportSink.objectKey(other, "0.gz"));
  }

  @Test
  void filesStoredFromEightThreadsAtOnceAllLand() throws Exception {
    ExportJob job = TestJobs.job(ExportFormat.GZIP);
    List<Path> files = new ArrayList<>();
    for (int index = 0; index < 40; index++) {
      files.add(write(index + ".gz", ("file " + index).getBytes(StandardCharsets.UTF_8)));
    }

    ExecutorService threads = Executors.newFixedThreadPool(8);
    try (S3ExportSink sink = new S3ExportSink(server.settings())) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Void>> stores =
          IntStream.range(0, 40)
              .mapToObj(
                  index ->
                      threads.submit(
                          () -> {
                            go.await();
                            sink.store(job, index + ".gz", files.get(index));
                            return (Void) null;
                          }))
              .toList();
      go.countDown();
      for (Future<Void> store : stores) {
        store.get();
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(keysUnder(job)).hasSize(40);
    for (int index = 0; index < 40; index++) {
      assertThat(read(S3ExportSink.objectKey(job, index + ".gz")).asUtf8String())
          .isEqualTo("file " + index);
    }
  }

  @Test
  void isTheOperatorsOwnStorage() {
    try (S3ExportSink sink = new S3ExportSink(server.settings())) {
      assertThat(sink.ownStorage()).isTrue();
    }
  }

  @Test
  void completeAddsNothingBesideTheFiles() throws Exception {
    ExportJob job = TestJobs.job(ExportFormat.GZIP);

    try (S3ExportSink sink = new S3ExportSink(server.settings())) {
      sink.store(job, "a.gz", write("a.gz", randomBytes(10)));
      sink.store(job, "b.gz", write("b.gz", randomBytes(10)));
      sink.complete(job, List.of("a.gz", "b.gz"));
    }

    assertThat(keysUnder(job))
        .containsExactlyInAnyOrder(
            S3ExportSink.objectKey(job, "a.gz"), S3ExportSink.objectKey(job, "b.gz"));
  }

  @Test
  void theCheckPassesForAnExistingBucket() {
    try (S3ExportSink sink = new S3ExportSink(server.settings())) {
      assertThat(sink.check()).isEqualTo(CheckResult.OK);
    }
  }

  @Test
  void theCheckFailsForAMissingBucketNamingItAndTheEndpoint() {
    try (S3ExportSink sink = new S3ExportSink(server.settings("no-such-bucket"))) {
      CheckResult result = sink.check();

      assertThat(result.ok()).isFalse();
      assertThat(result.reason())
          .startsWith(
              "bucket no-such-bucket does not exist or is not reachable at "
                  + server.endpoint()
                  + ": ")
          .contains(": HTTP 404 NoSuchBucket")
          .doesNotContain("\n", "Exception");
    }
  }

  @Test
  void theCheckFailsForAWrongSecret() {
    S3Settings wrongSecret =
        new S3Settings(
            S3TestServer.BUCKET,
            S3TestServer.REGION,
            server.endpoint(),
            true,
            S3TestServer.ACCESS_KEY_ID,
            "not-the-secret");
    try (S3ExportSink sink = new S3ExportSink(wrongSecret)) {
      CheckResult result = sink.check();

      assertThat(result.ok()).isFalse();
      assertThat(result.reason())
          .startsWith(
              "bucket kiln-exports does not exist or is not reachable at "
                  + server.endpoint()
                  + ": ")
          .contains("403");
    }
  }

  @Test
  void storingIntoAMissingBucketFailsNamingBucketAndKey() throws Exception {
    ExportJob job = TestJobs.job(ExportFormat.GZIP);

    try (S3ExportSink sink = new S3ExportSink(server.settings("no-such-bucket"))) {
      Path file = write("f.gz", randomBytes(10));
      assertThatThrownBy(() -> sink.store(job, "f.gz", file))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(
              "could not store s3://no-such-bucket/"
                  + S3ExportSink.objectKey(job, "f.gz")
                  + " at "
                  + server.endpoint()
                  + ": HTTP 404");
    }
  }

  @Test
  void theDefaultCredentialChainIsUsedWhenNoKeysAreGiven() throws Exception {
    ExportJob job = TestJobs.job(ExportFormat.GZIP);
    S3Settings noKeys =
        new S3Settings(
            S3TestServer.BUCKET, S3TestServer.REGION, server.endpoint(), true, null, null);
    // The chain's first source is these system properties: it never reaches for the network.
    System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY_ID);
    System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_ACCESS_KEY);
    try (S3ExportSink sink = new S3ExportSink(noKeys)) {
      assertThat(sink.check()).isEqualTo(CheckResult.OK);
      sink.store(
          job, "f.gz", write("f.gz", "signed by the chain".getBytes(StandardCharsets.UTF_8)));
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }

    assertThat(read(S3ExportSink.objectKey(job, "f.gz")).asUtf8String())
        .isEqualTo("signed by the chain");
  }

  @Test
  void theCheckSaysSoWhenTheDefaultChainFindsNoCredentials(@TempDir Path home) {
    S3Settings noKeys =
        new S3Settings(
            S3TestServer.BUCKET, S3TestServer.REGION, server.endpoint(), true, null, null);
    // No profile files, and no instance metadata service: the chain must not reach for the network.
    System.setProperty("aws.sharedCredentialsFile", home.resolve("credentials").toString());
    System.setProperty("aws.configFile", home.resolve("config").toString());
    System.setProperty("aws.disableEc2Metadata", "true");
    try (S3ExportSink sink = new S3ExportSink(noKeys)) {
      CheckResult result = sink.check();

      assertThat(result.ok()).isFalse();
      assertThat(result.reason())
          .startsWith(
              "bucket kiln-exports does not exist or is not reachable at "
                  + server.endpoint()
                  + ": no AWS credentials: ");
    } finally {
      System.clearProperty("aws.sharedCredentialsFile");
      System.clearProperty("aws.configFile");
      System.clearProperty("aws.disableEc2Metadata");
    }
  }

  @Test
  void closingTwiceDoesNothingTheSecondTime() {
    S3ExportSink sink = new S3ExportSink(server.settings());
    sink.close();
    sink.close();
  }

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(Files.createTempFile(work, name, ".part"), bytes);
  }

  private static ResponseBytes<GetObjectResponse> read(String key) {
    return server
        .client()
        .getObjectAsBytes(request -> request.bucket(S3TestServer.BUCKET).key(key));
  }

  private static List<String> keysUnder(ExportJob job) {
    String prefix = S3ExportSink.objectKey(job, "");
    return server
        .client()
        .listObjectsV2Paginator(request -> request.bucket(S3TestServer.BUCKET).prefix(prefix))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
