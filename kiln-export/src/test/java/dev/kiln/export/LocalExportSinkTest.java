package dev.kiln.export;

import static dev.kiln.export.ExportFilesTest.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kiln's own storage of exports in a folder: the files of an export end as one zip (the signed
 * link's download) that stores them as written, and only an object_prefix names a folder.
 */
class LocalExportSinkTest {
  private static final String PREFIX = "2f4e2c1a-4a1b-4c3d-9e8f-0123456789ab-1764547200";
  private static final ExportJob JOB = job(PREFIX, ExportFormat.GZIP);

  @TempDir Path root;
  @TempDir Path work;

  private LocalExportSink sink() {
    return new LocalExportSink(root.resolve("exports"));
  }

  /** Stores a written file holding {@code content} under {@code name}. */
  private void store(LocalExportSink sink, String name, String content) throws IOException {
    Path written = Files.writeString(work.resolve(name), content);
    sink.store(JOB, name, written);
  }

  @Test
  void completeBundlesTheFilesAsStoredAndKeepsOnlyTheBundle() throws IOException {
    LocalExportSink sink = sink();
    store(sink, "a.gz", "first");
    store(sink, "b.gz", "second");

    sink.complete(JOB, List.of("a.gz", "b.gz"));

    Path bundle = sink.bundle(PREFIX).orElseThrow();
    try (ZipFile zip = new ZipFile(bundle.toFile())) {
      List<String> entries = new ArrayList<>();
      for (ZipEntry entry : zip.stream().toList()) {
        assertThat(entry.getMethod())
            .as("%s compressed once only", entry)
            .isEqualTo(ZipEntry.STORED);
        entries.add(
            entry.getName()
                + "="
                + new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
      }
      assertThat(entries).containsExactly("a.gz=first", "b.gz=second");
    }
    try (var files = Files.list(bundle.getParent())) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactly("export.zip");
    }
  }

  @Test
  void aFileStoredAgainReplacesItsEarlierCopy() throws IOException {
    LocalExportSink sink = sink();
    store(sink, "a.gz", "before the restart");
    store(sink, "a.gz", "after the restart");

    sink.complete(JOB, List.of("a.gz"));

    try (ZipFile zip = new ZipFile(sink.bundle(PREFIX).orElseThrow().toFile())) {
      assertThat(
              new String(
                  zip.getInputStream(zip.getEntry("a.gz")).readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("after the restart");
    }
  }

  /**
   * Bundled before a restart that came before the job recorded it: completing again keeps the
   * bundle.
   */
  @Test
  void completingAgainAfterTheBundleWasMadeKeepsIt() throws IOException {
    LocalExportSink sink = sink();
    store(sink, "a.gz", "first");
    sink.complete(JOB, List.of("a.gz"));
    byte[] bundle = Files.readAllBytes(sink.bundle(PREFIX).orElseThrow());

    sink.complete(JOB, List.of("a.gz"));

    assertThat(Files.readAllBytes(sink.bundle(PREFIX).orElseThrow())).isEqualTo(bundle);
  }

  @Test
  void anUnfinishedExportHasNoBundle() throws IOException {
    LocalExportSink sink = sink();
    store(sink, "a.gz", "first");

    assertThat(sink.bundle(PREFIX)).isEmpty();
  }

  @Test
  void discardAndDeleteRemoveEveryFileOfTheExport() throws IOException {
    LocalExportSink sink = sink();
    store(sink, "a.gz", "first");
    sink.discard(JOB);
    assertThat(root.resolve("exports").resolve(PREFIX)).doesNotExist();

    store(sink, "a.gz", "first");
    sink.complete(JOB, List.of("a.gz"));
    sink.delete(PREFIX);
    assertThat(root.resolve("exports").resolve(PREFIX)).doesNotExist();
    sink.delete(PREFIX); // nothing left to delete is no error
  }

  @Test
  void onlyAnObjectPrefixNamesAnExportsFolder() throws IOException {
    LocalExportSink sink = sink();
    assertThat(sink.objectPrefixes()).as("before any export").isEmpty();
    store(sink, "a.gz", "first");
    Files.createDirectories(root.resolve("exports").resolve("not-an-export"));

    assertThat(sink.objectPrefixes()).containsExactly(PREFIX);
    assertThat(sink.bundle("../" + PREFIX)).isEmpty();
    assertThatThrownBy(() -> sink.delete(".."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an object_prefix: ..");
  }
}
