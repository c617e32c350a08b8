package dev.kiln.server.exports;

import dev.kiln.core.CheckResult;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.export.ExportSink;
import dev.kiln.export.LocalExportSink;
import dev.kiln.export.s3.S3ExportSink;
import dev.kiln.export.s3.S3Settings;
import dev.kiln.server.config.KilnConfig;
import dev.kiln.server.config.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Where exports go: the operator's S3 bucket when one is configured, else Kiln's own folder. */
final class ExportSinks {
  private ExportSinks() {}

  /**
   * @param local Kiln's own storage when it is the one chosen (its links are signed and served
   *     here)
   * @param closer releases what the sink holds (an S3 client)
   */
  record Chosen(ExportSink sink, Optional<LocalExportSink> local, AutoCloseable closer) {}

  /**
   * @throws KilnException when the bucket is configured but cannot be reached, naming it and why
   */
  static Chosen choose(KilnConfig config, Path exportsDir) {
    if (config.s3().bucket().isEmpty()) {
      LocalExportSink local = new LocalExportSink(exportsDir);
      return new Chosen(local, Optional.of(local), () -> {});
    }
    S3ExportSink s3 = new S3ExportSink(s3Settings(config.s3()));
    CheckResult reachable = s3.check();
    if (!reachable.ok()) {
      s3.close();
      throw new KilnException(
          ErrorCode.INVALID_INPUT, "segment exports cannot go to S3: " + reachable.reason());
    }
    return new Chosen(s3, Optional.empty(), s3);
  }

  private static S3Settings s3Settings(KilnConfig.S3 s3) {
    try {
      return new S3Settings(
          s3.bucket().orElseThrow(),
          s3.region(),
          s3.endpoint().map(URI::create).orElse(null),
          s3.pathStyle(),
          s3.accessKeyId().orElse(null),
          s3.secretAccessKey().map(Secret::value).orElse(null));
    } catch (IllegalArgumentException e) {
      throw new KilnException(ErrorCode.INVALID_INPUT, "KILN_S3_* settings: " + e.getMessage());
    }
  }
}
