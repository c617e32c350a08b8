package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.assertNothingValid;
import static dev.kiln.ingest.TrackDecoding.decodeAll;

import org.junit.jupiter.api.Test;

/**
 * The bounds of custom attributes (docs/braze-reference.md sections 3.2-3.5, docs/compatibility.md
 * "Custom attributes"): which objects are refused and with what words. What a valid one does to the
 * stored profile is ITTrackCustomAttributes'.
 */
class TrackDecoderCustomAttributesTest {
  @Test
  void aStringOf256CharactersIsAnError() {
    assertNothingValid(
        decodeAll(
            "attributes",
            "{\"external_id\":\"u\",\"bio\":\"" + "s".repeat(256) + "\",\"ok\":\"x\"}"),
        new ObjectError("custom attribute 'bio' must be at most 255 characters", "attributes", 0));
  }

  @Test
  void anAttributeNameOver255CharactersIsAnError() {
    assertNothingValid(
        decodeAll("attributes", "{\"external_id\":\"u\",\"" + "n".repeat(256) + "\":\"x\"}"),
        new ObjectError("custom attribute names must be at most 255 characters", "attributes", 0));
  }
}
