package dev.kiln.export.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class SdkFailuresTest {

  @Test
  void anErrorOfTheServerGivesItsStatusCodeAndMessage() {
    S3Exception missing = s3Error(404, "NoSuchBucket", "The specified bucket does not exist");

    assertThat(SdkFailures.reason(missing))
        .isEqualTo("HTTP 404 NoSuchBucket: The specified bucket does not exist");
  }

  @Test
  void aRefusalPointsAtTheCredentialsAndTheBucketPolicy() {
    assertThat(SdkFailures.reason(s3Error(403, null, "Forbidden")))
        .isEqualTo("HTTP 403: Forbidden (check the credentials and the bucket's policy)");
  }

  @Test
  void aRedirectMeansAnotherRegion() {
    assertThat(SdkFailures.reason(s3Error(301, "PermanentRedirect", null)))
        .isEqualTo("HTTP 301 PermanentRedirect (the bucket is in another region)");
  }

  @Test
  void aConnectionFailureGivesTheLineThatMatters() {
    SdkClientException refused =
        SdkClientException.builder()
            .message(
                "Unable to execute HTTP request: Connect to 127.0.0.1:9 failed: Connection refused (SDK Attempt Count: 3)")
            .cause(
                new IOException(
                    "Connect to 127.0.0.1:9 failed: Connection refused",
                    new ConnectException("Connection refused")))
            .build();

    assertThat(SdkFailures.reason(refused)).isEqualTo("Connection refused");
  }

  @Test
  void anUnknownHostSaysSo() {
    SdkClientException unknown =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: minio.internal")
            .cause(new UnknownHostException("minio.internal"))
            .build();

    assertThat(SdkFailures.reason(unknown)).isEqualTo("unknown host minio.internal");
  }

  @Test
  void aTimeoutSaysThatNothingAnsweredInTime() {
    assertThat(SdkFailures.reason(ApiCallTimeoutException.create(5_000)))
        .isEqualTo("no answer in time");
  }

  @Test
  void aLongMessageIsCutToOneShortLine() {
    SdkClientException verbose = SdkClientException.create("x".repeat(500) + "\nsecond line");

    assertThat(SdkFailures.reason(verbose)).isEqualTo("x".repeat(200) + "...");
  }

  private static S3Exception s3Error(int status, String code, String message) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .build();
  }
}
