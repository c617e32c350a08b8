package dev.kiln.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;

/** Checks that a decoder refuses whole bodies, each with its exact message (what the server answers with a 400). */
final class Refusals {
  private Refusals() {}

  /** Each body is refused with exactly this message; every body is checked and all failures listed. */
  static void assertAllRefused(Function<ObjectNode, ?> decoder, String message, List<String> bodies) {
    assertAllRefused(decoder, bodies.stream().map(body -> Map.entry(body, message)).toList());
  }

  /** Each body is refused with exactly its message, as {@link #assertAllRefused(Function, String, List)}. */
  static void assertAllRefused(Function<ObjectNode, ?> decoder, Map<String, String> messagesByBody) {
    assertAllRefused(decoder, List.copyOf(messagesByBody.entrySet()));
  }

  private static void assertAllRefused(Function<ObjectNode, ?> decoder, List<Map.Entry<String, String>> bodiesAndMessages) {
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, String> bodyAndMessage : bodiesAndMessages) {
      String body = bodyAndMessage.getKey();
      softly.assertThatThrownBy(() -> decoder.apply(Bodies.object(body))).as(body)
          .isInstanceOf(RejectedRequest.class).hasMessage(bodyAndMessage.getValue());
    }
    softly.assertAll();
  }
}
