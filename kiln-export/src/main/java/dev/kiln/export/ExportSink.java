package dev.kiln.export;

import dev.kiln.core.export.ExportJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the files of a segment export go: Kiln's own folder (served by signed URL) or the
 * operator's bucket. Files are numbered and named by the job (the same index gets the same name),
 * so a file written again after a restart replaces the earlier one.
 */
public interface ExportSink {

  /** Whether this is the operator's own storage: Braze then answers without a {@code url}. */
  boolean ownStorage();

  /**
   * Stores one finished file of the job. Called from several threads at once, for different files.
   *
   * @param fileName the file's name, with its extension ({@code .zip} or {@code .gz})
   * @param file a local file holding its bytes; the sink may move or copy it but not keep it open
   */
  void store(ExportJob job, String fileName, Path file) throws IOException;

  /** Every file is stored, in this order: make the export available. */
  void complete(ExportJob job, List<String> fileNames) throws IOException;

  /** Deletes whatever files of the job were stored (it was cancelled). */
  void discard(ExportJob job) throws IOException;
}
