package dev.kiln.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.track.AttributesUpdate;
import java.time.Instant;

/**
 * Decodes {@code /users/track} bodies as the endpoint does (default limits, a fixed now), for unit
 * tests.
 */
final class TrackDecoding {
  static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
  private static final TrackDecoder DECODER = new TrackDecoder(TrackLimits.DEFAULTS);

  private TrackDecoding() {}

  static TrackBatch decode(String json) {
    return DECODER.decode(Bodies.body(json), NOW);
  }

  /** The body with one array holding these objects. */
  static TrackBatch decodeAll(String array, String... objects) {
    return decode("{\"" + array + "\":[" + String.join(",", objects) + "]}");
  }

  /**
   * Every object of the batch refused, with exactly these errors, in this order: nothing to store.
   */
  static void assertNothingValid(TrackBatch batch, ObjectError... errors) {
    assertThat(batch.errors()).containsExactly(errors);
    assertThat(batch.changes()).isEmpty();
  }

  /** Every object of {@code array} refused with the same error type, each at its index. */
  static void assertEachRejected(String array, String type, String... objects) {
    ObjectError[] errors = new ObjectError[objects.length];
    for (int i = 0; i < objects.length; i++) {
      errors[i] = new ObjectError(type, array, i);
    }
    assertNothingValid(decodeAll(array, objects), errors);
  }

  /** The one change of a batch without errors. */
  static ProfileChange onlyChange(TrackBatch batch) {
    assertThat(batch.errors()).isEmpty();
    assertThat(batch.changes()).hasSize(1);
    return batch.changes().get(0);
  }

  /** The attributes update of the one attributes object sent. */
  static AttributesUpdate attributesOf(String object) {
    return (AttributesUpdate) onlyChange(decodeAll("attributes", object)).update();
  }
}
