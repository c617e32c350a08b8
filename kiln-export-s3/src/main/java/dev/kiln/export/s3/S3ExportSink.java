package dev.kiln.export.s3;

import dev.kiln.core.CheckResult;
import dev.kiln.core.Component;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.export.ExportSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Segment exports written to the operator's bucket, where Braze's export to a customer's own bucket
 * puts them: {@code segment-export/SEGMENT_ID/YYYY-MM-dd/OBJECT_PREFIX/FILE}. The client's answer
 * then carries no {@code url}: the operator reads the bucket.
 */
public final class S3ExportSink implements ExportSink, Component {
  // A dead endpoint must fail the file (and so the export) rather than hold a worker: a host that
  // is down fails on connect within seconds, a server that stops answering on the read timeout, and
  // the call timeout bounds an upload with its retries while leaving room for a file of 5,000 users
  // on a slow link.
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STORE_TIMEOUT = Duration.ofMinutes(5);
  // A health check answers the load balancer: it must be quick, and it retries on its next call.
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

  private final S3Settings settings;
  private final AwsCredentialsProvider credentials;
  private final S3Client client;

  /** Builds the client only: no request goes out before {@link #store} or {@link #check}. */
  public S3ExportSink(S3Settings settings) {
    this.settings = settings;
    this.credentials =
        settings.hasStaticCredentials()
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()))
            : DefaultCredentialsProvider.builder().build();
    this.client = newClient(settings, credentials);
  }

  /**
   * The object key of an export file. The date is the UTC day the export was requested, not the day
   * the file is written, so a file written again after a restart replaces the first copy.
   */
  public static String objectKey(ExportJob job, String fileName) {
    LocalDate requestedOn = LocalDate.ofInstant(job.requestedAt(), ZoneOffset.UTC);
    return "segment-export/"
        + job.segmentId()
        + "/"
        + requestedOn
        + "/"
        + job.objectPrefix()
        + "/"
        + fileName;
  }

  @Override
  public boolean ownStorage() {
    return true;
  }

  @Override
  public void store(ExportJob job, String fileName, Path file) throws IOException {
    String key = objectKey(job, fileName);
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(settings.bucket())
            .key(key)
            .contentType(contentType(job.spec().format()))
            .build();
    try {
      client.putObject(request, RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw new IOException(
          "could not store s3://"
              + settings.bucket()
              + "/"
              + key
              + " at "
              + settings.endpointDescription()
              + ": "
              + SdkFailures.reason(e),
          e);
    }
  }

  /**
   * Nothing is left to do: Braze writes only the user files into the customer's bucket (no
   * manifest, no bundle), and each file was complete in the bucket once {@link #store} returned.
   */
  @Override
  public void complete(ExportJob job, List<String> fileNames) {}

  /**
   * Deletes every object under the job's key prefix: the files it stored before it was cancelled.
   */
  @Override
  public void discard(ExportJob job) throws IOException {
    String prefix = objectKey(job, "");
    try {
      Iterable<S3Object> stored =
          client
              .listObjectsV2Paginator(request -> request.bucket(settings.bucket()).prefix(prefix))
              .contents();
      for (S3Object object : stored) {
        client.deleteObject(request -> request.bucket(settings.bucket()).key(object.key()));
      }
    } catch (SdkException e) {
      throw new IOException(
          "could not delete s3://"
              + settings.bucket()
              + "/"
              + prefix
              + "* at "
              + settings.endpointDescription()
              + ": "
              + SdkFailures.reason(e),
          e);
    }
  }

  /**
   * Whether there are credentials, and the bucket exists and answers them (a HeadBucket request).
   */
  @Override
  public CheckResult check() {
    try {
      credentials.resolveCredentials();
    } catch (SdkClientException e) {
      // The chain's own message lists every source it tried, in one very long line.
      return unreachable(
          "no AWS credentials: none are set for Kiln and the SDK's default chain found none"
              + " (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, a web identity, a container or instance role)");
    }
    try {
      client.headBucket(
          request ->
              request
                  .bucket(settings.bucket())
                  .overrideConfiguration(config -> config.apiCallTimeout(CHECK_TIMEOUT)));
      return CheckResult.OK;
    } catch (SdkException e) {
      return unreachable(SdkFailures.reason(e));
    }
  }

  private CheckResult unreachable(String reason) {
    return CheckResult.failed(
        "bucket "
            + settings.bucket()
            + " does not exist or is not reachable at "
            + settings.endpointDescription()
            + ": "
            + reason);
  }

  @Override
  public void close() {
    client.close();
    // The client closes what it built, not a credentials provider it was given (the default chain
    // may hold a refreshing thread).
    if (credentials instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }

  private static String contentType(ExportFormat format) {
    return switch (format) {
      case ZIP -> "application/zip";
      case GZIP -> "application/gzip";
    };
  }

  private static S3Client newClient(S3Settings settings, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyleAccess())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(READ_TIMEOUT))
            // The SDK's default CRC32 checksum travels in a trailer of an aws-chunked body, which
            // S3-compatible servers (S3Proxy, older MinIO and Ceph) refuse with 501 NotImplemented.
            // PutObject needs no checksum, and every request has the same shape on AWS and
            // elsewhere.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            // Over http the SDK would otherwise send bodies in aws-chunked encoding (SigV4
            // streaming), which some S3-compatible servers store with its chunk framing as the
            // object (s3rver: silently) and others refuse. A plain body, its SHA-256 signed in the
            // header, is what every server takes; an export file is read twice for it (hash, then
            // send), which a file of 5,000 users can afford.
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .overrideConfiguration(config -> config.apiCallTimeout(STORE_TIMEOUT));
    if (settings.endpointOverride() != null) {
      builder.endpointOverride(settings.endpointOverride());
    }
    return builder.build();
  }
}
