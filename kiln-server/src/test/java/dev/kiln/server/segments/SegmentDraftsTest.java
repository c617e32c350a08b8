package dev.kiln.server.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.server.testing.TestJson;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

/**
 * A segment's name, description, tags and filter as the segment API and {@code KILN_SEGMENTS_FILE}
 * read them, and the 400 message of each refusal. ITSegmentApi keeps a blank name refused over HTTP
 * without changing the segment; the filter's own rules are FilterParser's (kiln-segment).
 */
class SegmentDraftsTest {
  private static final String ANY_FILTER = "\"filter\":{\"and\":[]}";

  @Test
  void aNewSegmentReadsEveryPart() {
    SegmentService.Draft draft =
        SegmentDrafts.read(
            body("{\"name\":\"US\",\"description\":\"d\",\"tags\":[\"geo\"]," + ANY_FILTER + "}"),
            true);

    assertThat(draft.name()).isEqualTo("US");
    assertThat(draft.description()).isEqualTo("d");
    assertThat(draft.tags()).containsExactly("geo");
    assertThat(draft.filter()).isEqualTo(Map.of("and", List.of()));
  }

  @Test
  void aChangeGivesOnlyWhatItChanges() {
    SegmentService.Draft draft = SegmentDrafts.read(body("{\"tags\":[]}"), false);

    assertThat(draft.name()).isNull();
    assertThat(draft.description()).isNull();
    assertThat(draft.tags()).isEmpty();
    assertThat(draft.filter()).as("no filter: the stored one is kept").isNull();
  }

  @Test
  void aMissingOrBadNameIsRejected() {
    assertRefused("{" + ANY_FILTER + "}", true).contains("name");
    assertRefused("{\"name\":\"  \"," + ANY_FILTER + "}", true).contains("name");
    assertRefused("{\"name\":42," + ANY_FILTER + "}", true).contains("name");
    assertRefused("{\"name\":\"\"}", false).isEqualTo("'name' is required and must not be blank");
  }

  @Test
  void aMissingFilterIsRejectedOnCreate() {
    assertRefused("{\"name\":\"n\"}", true).contains("filter");
    assertRefused("{\"name\":\"n\",\"filter\":null}", true).contains("filter");
  }

  @Test
  void badTagsAreRejected() {
    assertRefused("{\"name\":\"x\",\"tags\":\"geo\"," + ANY_FILTER + "}", true).contains("tags");
    assertRefused("{\"name\":\"x\",\"tags\":[\"geo\",1]," + ANY_FILTER + "}", true)
        .contains("tags");
  }

  /** The bounds count characters, not bytes: "é" is two bytes in UTF-8. */
  @Test
  void namesDescriptionsAndTagsHaveBounds() {
    String atBound = "é".repeat(SegmentDrafts.MAX_NAME_LENGTH);
    String overBound = atBound + "é";
    SegmentService.Draft atBounds =
        SegmentDrafts.read(
            body(
                "{\"name\":\""
                    + atBound
                    + "\",\"description\":\""
                    + "d".repeat(4_096)
                    + "\",\"tags\":[\""
                    + atBound
                    + "\"],"
                    + ANY_FILTER
                    + "}"),
            true);
    assertThat(atBounds.name()).isEqualTo(atBound);
    assertThat(atBounds.tags()).containsExactly(atBound);

    assertRefused("{\"name\":\"" + overBound + "\"," + ANY_FILTER + "}", true)
        .isEqualTo("'name' must be at most 255 characters");
    assertRefused(
            "{\"name\":\"n\",\"description\":\"" + "d".repeat(4_097) + "\"," + ANY_FILTER + "}",
            true)
        .isEqualTo("'description' must be at most 4096 characters");
    assertRefused("{\"name\":\"n\",\"tags\":" + tags(101) + "," + ANY_FILTER + "}", true)
        .isEqualTo("'tags' may hold at most 100 tags");
    assertRefused("{\"name\":\"n\",\"tags\":[\"" + overBound + "\"]," + ANY_FILTER + "}", true)
        .isEqualTo("each tag must be at most 255 characters");
  }

  @Test
  void lengthsCountCharactersNotUtf16Units() {
    String emoji = "\uD83D\uDE00".repeat(SegmentDrafts.MAX_NAME_LENGTH);
    assertThat(SegmentDrafts.read(body("{\"name\":\"" + emoji + "\"}"), false).name())
        .isEqualTo(emoji);
  }

  private static String tags(int count) {
    StringBuilder tags = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      tags.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
    }
    return tags.append(']').toString();
  }

  private static JsonNode body(String json) {
    return TestJson.json(json);
  }

  /** The body is refused as invalid input, a 400 with this message. */
  private static AbstractStringAssert<?> assertRefused(String json, boolean creating) {
    Throwable thrown = catchThrowable(() -> SegmentDrafts.read(body(json), creating));
    assertThat(thrown).as("refusal of %s", json).isInstanceOf(KilnException.class);
    assertThat(((KilnException) thrown).code()).isEqualTo(ErrorCode.INVALID_INPUT);
    return assertThat(thrown.getMessage()).as("message for %s", json);
  }
}
