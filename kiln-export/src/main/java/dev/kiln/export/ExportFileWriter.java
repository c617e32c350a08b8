package dev.kiln.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.core.OwnerOnlyFiles;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportSpec;
import dev.kiln.core.export.UserExport;
import dev.kiln.core.profile.UserProfile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one export file: the users as newline-delimited JSON, each line the object
 * /users/export/ids gives for the user and fields ({@link UserExport}, written by Jackson with its
 * defaults, as the server writes responses), compressed as the job asks. Streams straight into the
 * compressor, so no file is ever held in memory whole.
 */
final class ExportFileWriter {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(
              JsonGenerator.Feature
                  .AUTO_CLOSE_TARGET) // the compressor is closed here, not by Jackson
          .build();
  private static final byte NEWLINE = '\n';

  private ExportFileWriter() {}

  /** Writes file {@code index} of the job with these users to {@code target}. */
  static void write(ExportJob job, int index, List<UserProfile> users, Path target)
      throws IOException {
    try (OutputStream file = new BufferedOutputStream(OwnerOnlyFiles.newFile(target), 1 << 16)) {
      switch (job.spec().format()) {
        case ZIP -> {
          try (ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry(ExportFiles.baseName(job, index) + ".json"));
            writeLines(job, users, zip);
            zip.closeEntry();
          }
        }
        case GZIP -> {
          try (GZIPOutputStream gzip = new FastGzipOutputStream(file)) {
            writeLines(job, users, gzip);
          }
        }
      }
    }
  }

  /**
   * Compression runs on every core during an export, and deflate's default level costs several
   * times the CPU of its fastest for files only a few percent smaller: exports favour speed.
   */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  private static void writeLines(ExportJob job, List<UserProfile> users, OutputStream out)
      throws IOException {
    ExportSpec spec = job.spec();
    for (UserProfile user : users) {
      MAPPER.writeValue(
          out, UserExport.of(user, spec.fields(), spec.customAttributes(), job.requestedAt()));
      out.write(NEWLINE);
    }
  }
}
