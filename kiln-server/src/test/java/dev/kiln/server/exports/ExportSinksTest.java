package dev.kiln.server.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.server.config.KilnConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where segment exports go (docs/exports.md): Kiln's own folder unless KILN_S3_BUCKET is set, and
 * an S3 bucket that is badly configured or cannot be reached refused when Kiln starts, in words
 * that name the settings or the bucket. ITSegmentExportS3 covers a reachable bucket.
 */
class ExportSinksTest {
  @TempDir Path dataDir;

  @Test
  void withoutABucketExportsGoToKilnsOwnFolder() throws Exception {
    ExportSinks.Chosen chosen = ExportSinks.choose(config(Map.of()), dataDir.resolve("exports"));

    assertThat(chosen.local()).isPresent();
    assertThat(chosen.sink()).isSameAs(chosen.local().orElseThrow());
    assertThat(chosen.sink().ownStorage())
        .as("not the operator's storage, so the answer carries a signed download url")
        .isFalse();
    chosen.closer().close();
  }

  @Test
  void anEndpointThatIsNotAnHttpUrlIsRefusedNamingTheSettings() {
    KilnException refused =
        refusal(Map.of("KILN_S3_BUCKET", "kiln-exports", "KILN_S3_ENDPOINT", "ftp://example.com"));

    assertThat(refused.getMessage())
        .isEqualTo(
            "KILN_S3_* settings: the S3 endpoint must be an http or https URL with a host,"
                + " not ftp://example.com");
  }

  @Test
  void anAccessKeyWithoutItsSecretIsRefusedNamingTheSettings() {
    KilnException refused =
        refusal(Map.of("KILN_S3_BUCKET", "kiln-exports", "KILN_S3_ACCESS_KEY_ID", "AKIDEXAMPLE"));

    assertThat(refused.getMessage())
        .startsWith("KILN_S3_* settings: give both the S3 access key id and the secret access key");
  }

  @Test
  void aBucketThatCannotBeReachedIsRefusedNamingIt() throws IOException {
    KilnException refused =
        refusal(
            Map.of(
                "KILN_S3_BUCKET", "kiln-exports",
                "KILN_S3_ENDPOINT", "http://127.0.0.1:" + closedPort(),
                "KILN_S3_PATH_STYLE", "true",
                "KILN_S3_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "KILN_S3_SECRET_ACCESS_KEY", "not-a-real-secret"));

    assertThat(refused.getMessage())
        .startsWith("segment exports cannot go to S3: bucket kiln-exports ")
        .doesNotContain("not-a-real-secret");
  }

  private KilnException refusal(Map<String, String> s3) {
    KilnConfig config = config(s3);
    KilnException refused =
        catchThrowableOfType(
            KilnException.class, () -> ExportSinks.choose(config, dataDir.resolve("exports")));

    assertThat(refused).isNotNull();
    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    return refused;
  }

  private KilnConfig config(Map<String, String> s3) {
    Map<String, String> env = new HashMap<>(s3);
    env.put("KILN_DATA_DIR", dataDir.toString());
    return KilnConfig.load(env);
  }

  /** A port on 127.0.0.1 that nothing listens on: connections to it are refused at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
