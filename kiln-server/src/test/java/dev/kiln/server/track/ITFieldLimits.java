package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.track.TrackFixtures.assertEventRejected;
import static dev.kiln.server.track.TrackFixtures.assertNoUser;
import static dev.kiln.server.track.TrackFixtures.exportedUser;
import static dev.kiln.server.track.TrackFixtures.setAttributes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Size bounds on every free-text field, beyond the ones Braze documents (compatibility.md): a field
 * at its bound is stored, one character over is refused with a message naming the field and the
 * bound, and nothing of the refused object is stored. Without them a 4 MiB body could put megabytes
 * into one profile field, into every export of that user. The refusal of each /users/track field
 * one over its bound is the decoder's, tested beside it (TrackDecoderStandardAttributesTest and
 * TrackDecoderIdentifiersTest in kiln-ingest); here, one such refusal through the server.
 */
class ITFieldLimits {
  private static final String AT_BOUND =
      "é".repeat(255); // characters, not bytes: 510 bytes in UTF-8
  private static final String OVER_BOUND = "é".repeat(256);

  @RegisterExtension static final RunningKiln kiln = RunningKiln.perClass();

  @ParameterizedTest
  @ValueSource(strings = {"first_name", "last_name", "home_city", "phone"})
  void standardTextAttributesHoldUpTo255Characters(String field) {
    // One over the bound: TrackDecoderStandardAttributesTest.
    setAttributes(
        kiln,
        "{\"external_id\":\"bound-" + field + "\"," + quote(field) + ":" + quote(AT_BOUND) + "}");
    assertThat(exportedUser(kiln, "bound-" + field).path(field).asText()).isEqualTo(AT_BOUND);
  }

  @Test
  void anEventsAppIdHoldsUpTo255Characters() {
    assertEventRejected(
        kiln,
        "{\"external_id\":\"app-over\",\"name\":\"opened\",\"time\":\"2026-01-01T00:00:00Z\",\"app_id\":"
            + quote(OVER_BOUND)
            + "}",
        "'app_id' must be at most 255 characters");
    assertNoUser(kiln, "app-over");
  }

  /** Each bound's refusal, and every value at its bound: SegmentDraftsTest. */
  @Test
  void segmentNamesDescriptionsAndTagsAreBounded() {
    String filter = "\"filter\":{\"attribute\":\"country\",\"op\":\"equals\",\"value\":\"US\"}";
    assertSegmentRefused(
        "{\"name\":" + quote(OVER_BOUND) + "," + filter + "}",
        "'name' must be at most 255 characters");
    assertThat(kiln.get("/segments/list").json().path("segments"))
        .as("nothing was created")
        .isEmpty();

    Response atBounds =
        kiln.post(
            "/segments/create",
            "{\"name\":"
                + quote(AT_BOUND)
                + ",\"description\":"
                + quote("d".repeat(4096))
                + ",\"tags\":["
                + quote(AT_BOUND)
                + "],"
                + filter
                + "}");
    assertThat(atBounds.status()).as("%s", atBounds).isEqualTo(201);
  }

  private static void assertSegmentRefused(String body, String message) {
    Response response = kiln.post("/segments/create", body);
    assertThat(response.status()).as("%s", response).isEqualTo(400);
    assertThat(response.json().path("message").asText()).isEqualTo(message);
  }
}
