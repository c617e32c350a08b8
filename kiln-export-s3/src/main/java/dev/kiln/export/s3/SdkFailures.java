package dev.kiln.export.s3;

import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns AWS SDK failures into one short line for an operator. The SDK's own messages carry request
 * ids, attempt counts and whole provider chains; the exception itself stays the cause, for the
 * logs.
 */
final class SdkFailures {
  private static final int MAX_LENGTH = 200;

  private SdkFailures() {}

  static String reason(SdkException failure) {
    return switch (failure) {
      case ApiCallTimeoutException timeout -> "no answer in time";
      case ApiCallAttemptTimeoutException timeout -> "no answer in time";
      case AwsServiceException service -> serviceReason(service);
      default -> shorten(rootMessage(failure));
    };
  }

  private static String serviceReason(AwsServiceException failure) {
    StringBuilder reason = new StringBuilder("HTTP ").append(failure.statusCode());
    AwsErrorDetails details = failure.awsErrorDetails();
    if (details != null && details.errorCode() != null) {
      reason.append(' ').append(details.errorCode());
    }
    if (details != null && details.errorMessage() != null) {
      reason.append(": ").append(details.errorMessage());
    }
    switch (failure.statusCode()) {
      case 301 -> reason.append(" (the bucket is in another region)");
      case 403 -> reason.append(" (check the credentials and the bucket's policy)");
      default -> {}
    }
    return shorten(reason.toString());
  }

  /**
   * Connection failures wrap the one line that matters ("Connection refused") in several layers.
   */
  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof UnknownHostException) {
      return "unknown host " + root.getMessage(); // its message is the bare host name
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static String shorten(String message) {
    String firstLine = message.lines().findFirst().orElse("").strip();
    return firstLine.length() <= MAX_LENGTH
        ? firstLine
        : firstLine.substring(0, MAX_LENGTH) + "...";
  }
}
