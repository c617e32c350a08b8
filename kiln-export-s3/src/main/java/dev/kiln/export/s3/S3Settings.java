package dev.kiln.export.s3;

import java.net.URI;
import java.util.Locale;

/**
 * Where the S3 sink writes: the operator's bucket, on AWS or on an S3-compatible server.
 *
 * @param bucket the bucket that receives the export files
 * @param region the bucket's region, e.g. {@code us-east-1} (S3-compatible servers need one too: it
 *     is part of every request's signature)
 * @param endpointOverride an S3-compatible server (MinIO, Ceph, S3Proxy, ...) instead of AWS; null
 *     for AWS
 * @param pathStyleAccess whether the bucket goes in the path rather than the host name, as most
 *     S3-compatible servers want
 * @param accessKeyId static credentials, with {@code secretAccessKey}; null (or blank, as an unset
 *     setting arrives) to use the AWS SDK's default credential chain (environment, system
 *     properties, profile files, container or instance roles)
 * @param secretAccessKey the secret of {@code accessKeyId}
 */
public record S3Settings(
    String bucket,
    String region,
    URI endpointOverride,
    boolean pathStyleAccess,
    String accessKeyId,
    String secretAccessKey) {

  public S3Settings {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("the S3 bucket is required");
    }
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("the S3 region is required (for example us-east-1)");
    }
    if (endpointOverride != null && !isHttpUrl(endpointOverride)) {
      throw new IllegalArgumentException(
          "the S3 endpoint must be an http or https URL with a host, not " + endpointOverride);
    }
    accessKeyId = blankToNull(accessKeyId);
    secretAccessKey = blankToNull(secretAccessKey);
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "give both the S3 access key id and the secret access key, or neither"
              + " (the AWS SDK's default credential chain is then used); only the "
              + (accessKeyId == null ? "secret access key" : "access key id")
              + " is set");
    }
  }

  /**
   * Whether the sink signs with the keys given here rather than the SDK's default credential chain.
   */
  public boolean hasStaticCredentials() {
    return accessKeyId != null;
  }

  /** Where the bucket is looked for, as an operator reads it in a message. */
  public String endpointDescription() {
    return endpointOverride != null ? endpointOverride.toString() : "AWS S3 (" + region + ")";
  }

  /** Never shows the secret: settings end up in logs and startup messages. */
  @Override
  public String toString() {
    return "S3Settings[bucket="
        + bucket
        + ", region="
        + region
        + ", endpoint="
        + endpointDescription()
        + ", pathStyleAccess="
        + pathStyleAccess
        + ", accessKeyId="
        + accessKeyId
        + ", secretAccessKey="
        + (secretAccessKey == null ? null : "****")
        + "]";
  }

  private static boolean isHttpUrl(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
