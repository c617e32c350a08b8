package dev.kiln.export.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
  private static final URI MINIO = URI.create("http://127.0.0.1:9000");

  @Test
  void aBucketIsRequired() {
    assertThatThrownBy(() -> new S3Settings(" ", "us-east-1", null, false, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the S3 bucket is required");
    assertThatThrownBy(() -> new S3Settings(null, "us-east-1", null, false, null, null))
        .hasMessage("the S3 bucket is required");
  }

  @Test
  void aRegionIsRequired() {
    assertThatThrownBy(() -> new S3Settings("exports", "", null, false, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the S3 region is required (for example us-east-1)");
  }

  @Test
  void oneKeyWithoutTheOtherIsRefusedNamingTheOneGiven() {
    assertThatThrownBy(() -> new S3Settings("exports", "us-east-1", null, false, "AKIA123", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "give both the S3 access key id and the secret access key, or neither")
        .hasMessageEndingWith("only the access key id is set");
    assertThatThrownBy(() -> new S3Settings("exports", "us-east-1", null, false, "", "secret"))
        .hasMessageEndingWith("only the secret access key is set");
  }

  @Test
  void blankKeysMeanTheDefaultCredentialChain() {
    S3Settings settings = new S3Settings("exports", "us-east-1", null, false, "", " ");

    assertThat(settings.hasStaticCredentials()).isFalse();
    assertThat(settings.accessKeyId()).isNull();
    assertThat(settings.secretAccessKey()).isNull();
  }

  @Test
  void bothKeysAreStaticCredentials() {
    assertThat(
            new S3Settings("exports", "us-east-1", null, false, "AKIA123", "secret")
                .hasStaticCredentials())
        .isTrue();
  }

  @Test
  void theEndpointMustBeAnHttpUrl() {
    assertThatThrownBy(
            () ->
                new S3Settings(
                    "exports", "us-east-1", URI.create("ftp://files.example"), true, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the S3 endpoint must be an http or https URL with a host, not ftp://files.example");
    assertThatThrownBy(
            () ->
                new S3Settings(
                    "exports", "us-east-1", URI.create("localhost:9000"), true, null, null))
        .hasMessageContaining("not localhost:9000");
  }

  @Test
  void messagesNameTheEndpointOrAwsAndTheRegion() {
    assertThat(
            new S3Settings("exports", "eu-west-1", null, false, null, null).endpointDescription())
        .isEqualTo("AWS S3 (eu-west-1)");
    assertThat(
            new S3Settings("exports", "us-east-1", MINIO, true, null, null).endpointDescription())
        .isEqualTo("http://127.0.0.1:9000");
  }

  @Test
  void theSecretNeverShowsInToString() {
    S3Settings settings =
        new S3Settings("exports", "us-east-1", MINIO, true, "AKIA123", "very-secret");

    assertThat(settings.toString())
        .doesNotContain("very-secret")
        .contains("AKIA123", "exports", "****");
  }
}
