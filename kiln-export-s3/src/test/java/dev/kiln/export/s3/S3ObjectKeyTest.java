package dev.kiln.export.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.export.ExportFormat;
import dev.kiln.core.export.ExportJob;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class S3ObjectKeyTest {
  private static final String OBJECT_PREFIX = "3f2a6c1e-9b7d-4e0a-8c5f-1d2e3f4a5b6c-1772668799";

  @Test
  void followsBrazesLayoutForTheCustomersBucket() {
    ExportJob job = job("seg-42", "2026-03-04T12:00:00Z");

    assertThat(S3ExportSink.objectKey(job, "0a1b2c.gz"))
        .isEqualTo("segment-export/seg-42/2026-03-04/" + OBJECT_PREFIX + "/0a1b2c.gz");
  }

  @Test
  void theDateIsTheUtcDayOfTheRequest() {
    assertThat(S3ExportSink.objectKey(job("seg", "2026-03-04T00:00:00Z"), "f.zip"))
        .contains("/2026-03-04/");
    assertThat(S3ExportSink.objectKey(job("seg", "2026-03-04T23:59:59.999Z"), "f.zip"))
        .contains("/2026-03-04/");
    assertThat(S3ExportSink.objectKey(job("seg", "2026-12-31T23:59:59Z"), "f.zip"))
        .contains("/2026-12-31/");
  }

  private static ExportJob job(String segmentId, String requestedAt) {
    return TestJobs.job(OBJECT_PREFIX, segmentId, Instant.parse(requestedAt), ExportFormat.GZIP);
  }
}
