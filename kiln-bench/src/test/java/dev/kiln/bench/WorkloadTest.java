package dev.kiln.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ingest.TrackBatch;
import dev.kiln.ingest.TrackDecoder;
import dev.kiln.ingest.TrackLimits;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The workload must be the same on every machine and must be valid Braze input, or it measures
 * errors.
 */
class WorkloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  @Test
  void theSameSeedGivesTheSameRequests() {
    assertThat(new Workload(1_000, 42, NOW).trackBodies(5, Workload.RequestShape.FULL))
        .isEqualTo(new Workload(1_000, 42, NOW).trackBodies(5, Workload.RequestShape.FULL));
    assertThat(new Workload(1_000, 42, NOW).trackBodies(5, Workload.RequestShape.FULL))
        .isNotEqualTo(new Workload(1_000, 43, NOW).trackBodies(5, Workload.RequestShape.FULL));
  }

  @Test
  void everyGeneratedObjectIsValidAndTheShapeIsKept() throws Exception {
    TrackDecoder decoder = new TrackDecoder(TrackLimits.DEFAULTS);
    for (String body : new Workload(10_000, 7, NOW).trackBodies(20, Workload.RequestShape.FULL)) {
      TrackBatch batch = decoder.decode((ObjectNode) JSON.readTree(body), NOW);
      assertThat(batch.errors()).isEmpty();
      assertThat(batch.processed())
          .containsEntry("attributes_processed", 75)
          .containsEntry("events_processed", 75)
          .containsEntry("purchases_processed", 75);
    }
  }

  @Test
  void populationBodiesCreateEachUserOnceWithAnEventAndAPurchase() throws Exception {
    Workload workload = new Workload(150, 1, NOW);
    String body = workload.populationBody(new SplittableRandom(1), 75, 150);
    TrackBatch batch =
        new TrackDecoder(TrackLimits.DEFAULTS).decode((ObjectNode) JSON.readTree(body), NOW);
    assertThat(batch.errors()).isEmpty();
    assertThat(batch.changes()).hasSize(225);
    assertThat(JSON.readTree(body).get("attributes").get(0).get("external_id").asText())
        .isEqualTo(Workload.externalId(75));
  }

  @Test
  void activityIsSkewedTowardsAFewUsers() {
    Zipf zipf = new Zipf(10_000, 0.9);
    SplittableRandom random = new SplittableRandom(3);
    int busiest = 0;
    int draws = 100_000;
    for (int i = 0; i < draws; i++) {
      if (zipf.next(random) == 0) {
        busiest++;
      }
    }
    // 1 / sum(k^-0.9, k = 1..10,000) is about 6.4% of all draws for rank 0.
    assertThat(busiest).isBetween(draws * 5 / 100, draws * 8 / 100);
    assertThat(List.of(zipf.next(random), zipf.next(random)))
        .allMatch(rank -> rank >= 0 && rank < 10_000);
  }
}
