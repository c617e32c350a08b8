package dev.kiln.ingest;

import static dev.kiln.ingest.TrackDecoding.decode;
import static dev.kiln.ingest.TrackDecoding.event;
import static dev.kiln.ingest.TrackDecoding.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shape of a /users/track body the decoder checks before any object (edge case 1
 * (docs/braze-reference.md), docs/compatibility.md "Request and response"): what refuses the whole
 * request, and what is one object's error. Their answers through the server, 400 with nothing
 * stored or 201 with the errors, are ITTrackEdgeCases'.
 */
class TrackDecoderEnvelopeTest {
  private static final String TIME = "2025-01-01T00:00:00Z";

  private static String times76(String object) {
    return String.join(",", Collections.nCopies(76, object));
  }

  @Test
  void edgeCase01_76EventsOr76PurchasesAreFatalTooBesideValidAttributes() {
    String attributes = "{\"external_id\":\"u\",\"first_name\":\"A\"}";
    String event = "{\"external_id\":\"u\",\"name\":\"e\",\"time\":\"" + TIME + "\"}";
    String purchase =
        "{\"external_id\":\"u\",\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"time\":\""
            + TIME
            + "\"}";

    assertThatThrownBy(
            () ->
                decode("{\"attributes\":[" + attributes + "],\"events\":[" + times76(event) + "]}"))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("Max Input Length Exceeded");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"attributes\":["
                        + attributes
                        + "],\"purchases\":["
                        + times76(purchase)
                        + "]}"))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("Max Input Length Exceeded");
  }

  @Test
  void anArrayFieldThatIsNotAnArrayIsFatal() {
    assertThatThrownBy(() -> decode("{\"attributes\":\"nope\"}"))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'attributes' must be an array");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"attributes\":[{\"external_id\":\"u\",\"first_name\":\"A\"}],\"purchases\":3}"))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'purchases' must be an array");
  }

  @Test
  void anArrayItemThatIsNotAnObjectIsAPerObjectError() {
    TrackBatch batch =
        decode(
            "{\"events\":[\"x\",{\"external_id\":\"u\",\"name\":\"e\",\"time\":\""
                + TIME
                + "\"}]}");

    assertThat(batch.errors())
        .containsExactly(new ObjectError("each item of 'events' must be an object", "events", 0));
    assertThat(batch.processed()).containsExactlyEntriesOf(Map.of("events_processed", 1));
    assertThat(batch.changes()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"attributes", "events", "purchases"})
  void seventySixObjectsInOneArrayRejectTheRequest(String array) {
    String json = "{\"" + array + "\":[" + Bodies.copies(76, "{\"external_id\":\"u\"}") + "]}";

    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("Max Input Length Exceeded");
  }

  @Test
  void seventyFiveObjectsInEachArrayAreAccepted() {
    String json =
        "{\"attributes\":["
            + Bodies.copies(75, "{\"external_id\":\"u\",\"first_name\":\"A\"}")
            + "],"
            + "\"events\":["
            + Bodies.copies(75, event("\"external_id\":\"u\""))
            + "],"
            + "\"purchases\":["
            + Bodies.copies(75, purchase("\"external_id\":\"u\"", ""))
            + "]}";

    TrackBatch batch = decode(json);

    assertThat(batch.errors()).isEmpty();
    assertThat(batch.changes()).hasSize(225);
    assertThat(batch.processed())
        .isEqualTo(
            Map.of("attributes_processed", 75, "events_processed", 75, "purchases_processed", 75));
  }

  @Test
  void tooManyObjectsInALaterArrayStillRejectsTheWholeRequest() {
    String json =
        "{\"attributes\":[{\"external_id\":\"u\"}],\"purchases\":["
            + Bodies.copies(76, purchase("\"external_id\":\"u\"", ""))
            + "]}";

    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("Max Input Length Exceeded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "\"x\"", "1", "true"})
  void anArrayThatIsNotAnArrayRejectsTheRequest(String value) {
    assertThatThrownBy(() -> decode("{\"events\":" + value + "}"))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'events' must be an array");
  }

  @Test
  void attributesThatAreNotAnArrayNameTheField() {
    assertThatThrownBy(() -> decode("{\"attributes\":{\"external_id\":\"u\"}}"))
        .isInstanceOf(RejectedRequest.class)
        .hasMessage("'attributes' must be an array");
  }
}
