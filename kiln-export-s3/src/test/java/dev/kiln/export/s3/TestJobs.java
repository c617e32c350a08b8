package dev.kiln.export.s3;

import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import dev.kiln.core.export.ExportSpec;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Export jobs as the export worker hands them to a sink. */
final class TestJobs {
  private TestJobs() {}

  static ExportJob job(
      String objectPrefix, String segmentId, Instant requestedAt, ExportFormat format) {
    ExportSpec spec = new ExportSpec(Set.of(), Set.of(), format, null);
    return ExportJob.requested(objectPrefix, segmentId, "{\"and\":[]}", requestedAt, spec);
  }

  /** A job of its own (a fresh object_prefix), so tests sharing a bucket never share keys. */
  static ExportJob job(ExportFormat format) {
    String objectPrefix = UUID.randomUUID() + "-" + Instant.now().getEpochSecond();
    return job(objectPrefix, "segment-1", Instant.parse("2026-03-04T22:30:00Z"), format);
  }
}
