package dev.kiln.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportSpec;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Export file names: 32 hex characters as Braze's, but derived from the job and the file's number,
 * so a file written again after a restart replaces its earlier copy instead of adding a duplicate.
 */
class ExportFilesTest {
  static final Instant REQUESTED = Instant.parse("2026-12-01T00:00:00Z");

  static ExportJob job(String objectPrefix, ExportFormat format) {
    return ExportJob.requested(
        objectPrefix,
        "segment",
        "{\"and\":[]}",
        REQUESTED,
        new ExportSpec(Set.of(), Set.of(), format, null));
  }

  @Test
  void aNameIs32HexCharactersAndTheFormatsExtension() {
    assertThat(ExportFiles.name(job("p-1", ExportFormat.ZIP), 0)).matches("[0-9a-f]{32}\\.zip");
    assertThat(ExportFiles.name(job("p-1", ExportFormat.GZIP), 0)).matches("[0-9a-f]{32}\\.gz");
  }

  @Test
  void theSameFileOfTheSameJobHasTheSameNameAfterARestart() {
    assertThat(ExportFiles.name(job("p-1", ExportFormat.ZIP), 3))
        .isEqualTo(ExportFiles.name(job("p-1", ExportFormat.ZIP), 3));
    assertThat(ExportFiles.baseName(job("p-1", ExportFormat.ZIP), 3))
        .isEqualTo(ExportFiles.baseName(job("p-1", ExportFormat.GZIP), 3));
  }

  @Test
  void everyFileOfEveryJobHasItsOwnName() {
    assertThat(ExportFiles.names(job("p-1", ExportFormat.ZIP), 3))
        .containsExactly(
            ExportFiles.name(job("p-1", ExportFormat.ZIP), 0),
            ExportFiles.name(job("p-1", ExportFormat.ZIP), 1),
            ExportFiles.name(job("p-1", ExportFormat.ZIP), 2))
        .doesNotHaveDuplicates()
        .doesNotContainAnyElementsOf(ExportFiles.names(job("p-2", ExportFormat.ZIP), 3));
  }
}
