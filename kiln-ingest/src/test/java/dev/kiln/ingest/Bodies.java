package dev.kiln.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Request bodies for the decoders' unit tests, read from JSON text as the server reads them, and
 * the assertion on a refusal of a whole body (what the server answers with a 400).
 */
final class Bodies {
  /**
   * Single quotes allowed in the tests' JSON, so bodies read without a backslash before every
   * quote; double-quoted JSON reads as it does in the server.
   */
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

  /** The longest external_id Braze takes: 987 bytes of UTF-8 (two bytes for each 'é'). */
  static final String LONGEST_EXTERNAL_ID = "é".repeat(493) + "x";

  /** One byte more: the message is 'external_id' must be fewer than 988 bytes. */
  static final String TOO_LONG_EXTERNAL_ID = "é".repeat(494);

  static final String TOO_LONG_EXTERNAL_ID_MESSAGE = "'external_id' must be fewer than 988 bytes";

  /**
   * Prioritizations every endpoint refuses: empty, opposed, repeated or unknown steps. The delete
   * endpoint also refuses least_recently_updated.
   */
  static final List<String> BAD_PRIORITIZATIONS =
      List.of(
          "[]",
          "['identified','unidentified']",
          "['most_recently_updated','least_recently_updated']",
          "['identified','identified']",
          "['unidentified','most_recently_updated','most_recently_updated']",
          "['newest']",
          "[1]",
          "[null]");

  private Bodies() {}

  /** A JSON object, written with single or double quotes. */
  static ObjectNode body(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** {@code count} copies of a JSON item, as the inside of an array: "a,a,a". */
  static String copies(int count, String item) {
    return String.join(",", Collections.nCopies(count, item));
  }

  /**
   * The body is refused as a whole with exactly this message (Kiln answers it as {"message": ...}).
   */
  static void assertRejected(Function<ObjectNode, ?> decoder, String json, String message) {
    assertThatThrownBy(() -> decoder.apply(body(json)))
        .as("%s", json)
        .isInstanceOf(RejectedRequest.class)
        .hasMessage(message);
  }

  /**
   * The array {@code field} holds 1 to 50 items: 50 copies of {@code item} decode to 50, 51 are
   * refused with {@code tooMany}, and an empty array with "'field' must not be empty".
   */
  static void assertOneToFifty(
      Function<ObjectNode, List<?>> decoder, String field, String item, String tooMany) {
    assertThat(decoder.apply(body("{'" + field + "':[" + copies(50, item) + "]}"))).hasSize(50);
    assertRejected(decoder, "{'" + field + "':[" + copies(51, item) + "]}", tooMany);
    assertRejected(decoder, "{'" + field + "':[]}", "'" + field + "' must not be empty");
  }
}
