package dev.kiln.export;

import static dev.kiln.export.ExportFilesTest.REQUESTED;
import static dev.kiln.export.ExportFilesTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportSpec;
import dev.kiln.core.export.UserExport;
import dev.kiln.core.profile.UserProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One export file: a line of JSON per user, the object /users/export/ids gives for the user and the
 * job's fields, in a zip of one .json entry named as the file, or gzipped.
 */
class ExportFileWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<UserProfile> USERS =
      List.of(
          UserProfile.blank("5fbd99bac125ca40511f2cb1", 1, REQUESTED)
              .withExternalId("ada")
              .withCustomAttributes(Map.of("plan", "pro", "seats", 3)),
          UserProfile.blank("5fbd99bac125ca40511f2cb2", 2, REQUESTED).withExternalId("grace"));

  @TempDir Path folder;

  /**
   * The lines /users/export/ids would give for the users, fields and custom attributes of the job.
   */
  private static List<String> expectedLines(ExportJob job) throws IOException {
    ExportSpec spec = job.spec();
    List<String> lines = new ArrayList<>();
    for (UserProfile user : USERS) {
      lines.add(
          JSON.writeValueAsString(
              UserExport.of(user, spec.fields(), spec.customAttributes(), job.requestedAt())));
    }
    return lines;
  }

  private static List<String> lines(InputStream in) throws IOException {
    return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1));
  }

  @Test
  void aZipHoldsOneJsonEntryNamedAsTheFileWithALinePerUser() throws IOException {
    ExportJob job = job("p-zip", ExportFormat.ZIP);
    Path file = folder.resolve(ExportFiles.name(job, 2));

    ExportFileWriter.write(job, 2, USERS, file);

    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      ZipEntry entry = zip.getNextEntry();
      assertThat(entry.getName()).isEqualTo(ExportFiles.baseName(job, 2) + ".json");
      List<String> lines = lines(zip);
      assertThat(lines.subList(0, lines.size() - 1)).isEqualTo(expectedLines(job));
      assertThat(lines.get(lines.size() - 1)).as("each line ends with a newline").isEmpty();
      assertThat(zip.getNextEntry()).as("a second entry").isNull();
    }
  }

  @Test
  void aGzipHoldsTheJobsFieldsAndNamedCustomAttributesOnly() throws IOException {
    ExportJob job =
        ExportJob.requested(
            "p-gz",
            "segment",
            "{\"and\":[]}",
            REQUESTED,
            new ExportSpec(Set.of("external_id"), Set.of("plan"), ExportFormat.GZIP, null));
    Path file = folder.resolve(ExportFiles.name(job, 0));

    ExportFileWriter.write(job, 0, USERS, file);

    try (InputStream gzip = new GZIPInputStream(Files.newInputStream(file))) {
      assertThat(lines(gzip))
          .containsExactly(
              "{\"external_id\":\"ada\",\"custom_attributes\":{\"plan\":\"pro\"}}",
              "{\"external_id\":\"grace\"}",
              "");
    }
  }

  @Test
  void noUsersIsAnEmptyFileOfTheFormat() throws IOException {
    ExportJob job = job("p-empty", ExportFormat.GZIP);
    Path file = folder.resolve(ExportFiles.name(job, 0));

    ExportFileWriter.write(job, 0, List.of(), file);

    try (InputStream gzip = new GZIPInputStream(Files.newInputStream(file))) {
      assertThat(gzip.readAllBytes()).isEmpty();
    }
  }
}
