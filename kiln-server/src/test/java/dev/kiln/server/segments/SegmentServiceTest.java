package dev.kiln.server.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Creating, changing and archiving segments over an in-memory store: what is kept of each change,
 * and the refusals that keep every stored segment evaluable (an unknown or archived reference, a
 * cycle, deleting a segment another uses). ITSegmentApi keeps these answered over HTTP, with sizes
 * from a real store.
 */
class SegmentServiceTest {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  private final InMemorySegmentStorage storage = new InMemorySegmentStorage();
  private final SteppingClock clock = new SteppingClock();
  private final SegmentService segments = new SegmentService(storage, clock);

  @Test
  void aNewSegmentIsCreatedAndUpdatedAtOnceWithoutTags() {
    SegmentDefinition created = create("US", countryIs("US"));

    assertThat(segments.active(created.id())).isEqualTo(created);
    assertThat(created.tags()).isEmpty();
    assertThat(created.createdAt()).isEqualTo(START).isEqualTo(created.updatedAt());
  }

  @Test
  void anUpdateChangesOnlyTheGivenPartsAndKeepsCreatedAt() {
    SegmentDefinition before =
        segments.create(
            new SegmentService.Draft("n", "first words", List.of("a"), countryIs("US")));
    clock.advance();

    SegmentDefinition after =
        segments.update(before.id(), new SegmentService.Draft(null, null, List.of("b"), null));

    assertThat(after.tags()).containsExactly("b");
    assertThat(after.name()).isEqualTo("n");
    assertThat(after.description()).isEqualTo("first words");
    assertThat(after.filterJson()).isEqualTo(before.filterJson());
    assertThat(after.createdAt()).isEqualTo(before.createdAt());
    assertThat(after.updatedAt()).isAfter(before.updatedAt());
    assertThat(segments.active(before.id())).isEqualTo(after);
  }

  @Test
  void anUpdateWithABadFilterChangesNothing() {
    SegmentDefinition before = create("US", countryIs("US"));

    assertRefused(
            () ->
                segments.update(
                    before.id(),
                    new SegmentService.Draft(
                        "renamed",
                        null,
                        null,
                        Map.of("and", List.of(Map.of("attribute", "country", "op", "greater"))))),
            ErrorCode.INVALID_INPUT)
        .startsWith("filter.and[0].op:");
    assertThat(segments.active(before.id())).isEqualTo(before);
  }

  @Test
  void anUnknownOrArchivedSegmentIsNotFound() {
    SegmentDefinition archived = create("gone", countryIs("US"));
    segments.archive(archived.id());

    for (String id : List.of("no-such-segment", archived.id())) {
      assertRefused(() -> segments.active(id), ErrorCode.NOT_FOUND).contains(id);
      assertRefused(() -> segments.archive(id), ErrorCode.NOT_FOUND).contains(id);
      assertRefused(
              () -> segments.update(id, new SegmentService.Draft("x", null, null, null)),
              ErrorCode.NOT_FOUND)
          .contains(id);
    }
    assertThat(segments.page(false, 0, 10)).isEmpty();
  }

  @Test
  void aReferenceToAnUnknownOrArchivedSegmentIsRejected() {
    assertRefused(() -> create("x", inSegment("no-such-segment")), ErrorCode.INVALID_INPUT)
        .startsWith("filter")
        .contains("no-such-segment");

    SegmentDefinition archived = create("archived", countryIs("US"));
    segments.archive(archived.id());
    assertRefused(
            () -> create("x", Map.of("not", inSegment(archived.id()))), ErrorCode.INVALID_INPUT)
        .startsWith("filter")
        .contains(archived.id());
    assertThat(storage.all())
        .as("nothing was created")
        .extracting(SegmentDefinition::name)
        .containsExactly("archived");
  }

  @Test
  void aSegmentOthersReferToCannotBeArchivedUntilTheyStop() {
    SegmentDefinition us = create("US", countryIs("US"));
    SegmentDefinition user = create("not US", Map.of("not", inSegment(us.id())));

    assertRefused(() -> segments.archive(us.id()), ErrorCode.CONFLICT)
        .isEqualTo(
            "segment '"
                + us.id()
                + "' is used by segment 'not US' ("
                + user.id()
                + "); remove that reference before deleting it");
    assertThat(segments.active(us.id())).isEqualTo(us);

    segments.update(user.id(), new SegmentService.Draft(null, null, null, countryIs("FR")));
    segments.archive(us.id());
    assertThat(segments.page(false, 0, 10)).containsExactly(segments.active(user.id()));
  }

  @Test
  void aTwoSegmentCycleViaUpdateIsRejectedAndTheSegmentIsUnchanged() {
    SegmentDefinition a = create("A", countryIs("US"));
    SegmentDefinition b = create("B", inSegment(a.id()));

    assertRefused(
            () ->
                segments.update(
                    a.id(),
                    new SegmentService.Draft("A2", null, null, Map.of("not", inSegment(b.id())))),
            ErrorCode.INVALID_INPUT)
        .startsWith("filter")
        .contains(a.id(), b.id());
    assertThat(segments.active(a.id())).isEqualTo(a);
  }

  @Test
  void pagesHoldActiveSegmentsByCreationTimeEitherWay() {
    SegmentDefinition first = create("first", countryIs("US"));
    clock.advance();
    SegmentDefinition second = create("second", countryIs("US"));
    clock.advance();
    segments.update(first.id(), new SegmentService.Draft("first, renamed", null, null, null));

    assertThat(segments.page(false, 0, 10))
        .extracting(SegmentDefinition::id)
        .as("ordered by creation, not update")
        .containsExactly(first.id(), second.id());
    assertThat(segments.page(true, 0, 10))
        .extracting(SegmentDefinition::id)
        .containsExactly(second.id(), first.id());
    assertThat(segments.page(false, 1, 10))
        .extracting(SegmentDefinition::id)
        .containsExactly(second.id());
  }

  @Test
  void aStoredFilterReadsBackAsParsed() {
    SegmentDefinition us = create("US", countryIs("US"));
    assertThat(segments.filterOf(us)).isEqualTo(FilterParser.parse(countryIs("US")));
    assertThat(segments.resolver().filterOf(us.id())).contains(segments.filterOf(us));
    assertThat(segments.resolver().filterOf("no-such-segment")).isEmpty();
  }

  // --- helpers ---

  private SegmentDefinition create(String name, Object filter) {
    return segments.create(new SegmentService.Draft(name, null, null, filter));
  }

  private static Map<String, Object> countryIs(String country) {
    return Map.of("attribute", "country", "op", "equals", "value", country);
  }

  private static Map<String, Object> inSegment(String id) {
    return Map.of("segment", id, "op", "in");
  }

  private static AbstractStringAssert<?> assertRefused(Executable call, ErrorCode code) {
    KilnException refused = assertThrows(KilnException.class, call);
    assertThat(refused.code()).as("code of %s", refused.getMessage()).isEqualTo(code);
    return assertThat(refused.getMessage());
  }

  /** A clock that stands still until a test moves it on a second. */
  private static final class SteppingClock extends Clock {
    private Instant now = START;

    void advance() {
      now = now.plus(Duration.ofSeconds(1));
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("UTC only");
    }
  }
}
