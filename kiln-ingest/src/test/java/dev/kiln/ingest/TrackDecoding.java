package dev.kiln.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.track.AttributesUpdate;
import java.time.Instant;

/**
 * Decodes {@code /users/track} bodies as the endpoint does (default limits, a fixed now), for unit
 * tests.
 */
final class TrackDecoding {
  static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
  static final String MISSING_IDENTIFIER =
      "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";
  static final String TWO_PRIMARIES =
      "only one of 'external_id', 'braze_id' or 'user_alias' may be given";
  static final String INVALID_EMAIL =
      "The value provided for the 'email' field is not a valid email.";
  static final String ALIAS = "\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\"l\"}";
  private static final TrackDecoder DECODER = new TrackDecoder(TrackLimits.DEFAULTS);

  private TrackDecoding() {}

  static TrackBatch decode(String json) {
    return decode(Bodies.body(json));
  }

  static TrackBatch decode(ObjectNode body) {
    return DECODER.decode(body, NOW);
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

  /** The attributes update of a batch holding one valid attributes object. */
  static AttributesUpdate attributesUpdate(TrackBatch batch) {
    return (AttributesUpdate) onlyChange(batch).update();
  }

  /** The one change of one object sent alone in {@code array}. */
  static ProfileChange changeOf(String array, String object) {
    return onlyChange(decodeAll(array, object));
  }

  static void assertSingleError(TrackBatch batch, String type, String array, int index) {
    assertThat(batch.errors()).containsExactly(new ObjectError(type, array, index));
  }

  /** An event "played" of this identifier ("\"external_id\":\"u\"" or the like). */
  static String event(String identifier) {
    return "{" + identifier + ",\"name\":\"played\",\"time\":\"2025-01-01T00:00:00Z\"}";
  }

  /** A purchase of "sku" by this identifier, with {@code extra} fields (",\"quantity\":2"). */
  static String purchase(String identifier, String extra) {
    return "{"
        + identifier
        + ",\"product_id\":\"sku\",\"currency\":\"USD\",\"price\":12.12,"
        + "\"time\":\"2025-01-01T00:00:00Z\""
        + extra
        + "}";
  }

  /** A new profile, to apply changes to. */
  static UserProfile blank() {
    return UserProfile.blank("0123456789abcdef01234567", 1, NOW);
  }
}
