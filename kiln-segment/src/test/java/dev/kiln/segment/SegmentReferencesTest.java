package dev.kiln.segment;

import static dev.kiln.segment.FilterJson.array;
import static dev.kiln.segment.FilterJson.country;
import static dev.kiln.segment.FilterJson.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A segment's references to other segments, checked before it is stored, over stored segments held
 * in a map: each must exist and be active, and none may lead back to the segment. That a refused
 * update leaves the stored segment as it was is ITSegmentApi's.
 */
class SegmentReferencesTest {
  private static final Filter US = parse(country("equals", "US"));

  private static Filter parse(Object json) {
    return FilterParser.parse(json);
  }

  private static Map<String, Object> in(String segmentId) {
    return node("segment", segmentId, "op", "in");
  }

  private static Map<String, Object> notIn(String segmentId) {
    return node("segment", segmentId, "op", "not_in");
  }

  /** Segments as stored: b is in a, c is not in b. */
  private static final Map<String, Filter> STORED =
      Map.of("a", US, "b", parse(in("a")), "c", parse(notIn("b")));

  private static SegmentResolver stored() {
    return id -> Optional.ofNullable(STORED.get(id));
  }

  @Test
  void referencesToActiveSegmentsThatLeadNowhereBackAreAccepted() {
    assertThatCode(
            () ->
                SegmentReferences.check(
                    "d", parse(node("and", array(in("c"), notIn("a")))), stored()))
        .doesNotThrowAnyException();
    assertThatCode(() -> SegmentReferences.check("a", US, stored()))
        .as("no reference at all")
        .doesNotThrowAnyException();
  }

  @Test
  void aReferenceToAnUnknownOrArchivedSegmentIsNamed() {
    assertThatThrownBy(
            () ->
                SegmentReferences.check(
                    "d",
                    parse(node("or", array(country("equals", "US"), node("not", in("gone"))))),
                    stored()))
        .isInstanceOf(FilterException.class)
        .hasMessage("filter: segment 'gone' does not exist or is archived");
  }

  /** Moved from ITSegmentApi: a segment that names itself, and a loop through two others. */
  @Test
  void aSegmentThatLeadsBackToItselfIsRefusedWithTheLoop() {
    assertThatThrownBy(() -> SegmentReferences.check("a", parse(in("a")), stored()))
        .isInstanceOf(FilterException.class)
        .hasMessage("filter: segments may not refer to themselves: a -> a");
    assertThatThrownBy(
            () ->
                SegmentReferences.check(
                    "a", parse(node("or", array(country("equals", "FR"), in("c")))), stored()))
        .isInstanceOf(FilterException.class)
        .hasMessage("filter: segments may not refer to themselves: a -> c -> b -> a");
  }

  @Test
  void aLoopAmongOtherSegmentsIsRefusedToo() {
    SegmentResolver looped =
        id -> Optional.ofNullable(Map.of("x", parse(in("y")), "y", parse(in("x"))).get(id));

    assertThatThrownBy(() -> SegmentReferences.check("d", parse(in("x")), looped))
        .isInstanceOf(FilterException.class)
        .hasMessage("filter: segments may not refer to themselves: d -> x -> y -> x");
  }

  @Test
  void refersToIsAboutTheFiltersOwnReferencesOnly() {
    Filter nested =
        parse(node("and", array(country("equals", "US"), node("or", array(node("not", in("b")))))));

    assertThat(SegmentReferences.refersTo(nested, "b")).isTrue();
    assertThat(SegmentReferences.refersTo(parse(notIn("b")), "b")).as("not_in refers too").isTrue();
    assertThat(SegmentReferences.refersTo(nested, "a")).as("only through b").isFalse();
    assertThat(SegmentReferences.refersTo(US, "a")).isFalse();
  }
}
