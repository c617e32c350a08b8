package dev.kiln.server.segments;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.segment.Cancellation;
import dev.kiln.segment.Filter;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentDefinition;
import dev.kiln.segment.SegmentReferences;
import dev.kiln.segment.SegmentResolver;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.server.http.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creating, changing, archiving and sizing segments. Every filter is parsed and checked before it
 * is stored, references to other segments included, so a stored segment can always be evaluated.
 */
public final class SegmentService {
  private static final int SCAN_PAGE = 500;
  private final SegmentStorage storage;
  private final Clock clock;

  public SegmentService(SegmentStorage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** What a caller gives for a segment; null parts are not given (tags default to none). */
  public record Draft(String name, String description, List<String> tags, Object filter) {}

  public SegmentDefinition create(Draft draft) {
    String id = UUID.randomUUID().toString();
    check(id, draft.filter());
    Instant now = clock.instant();
    List<String> tags = draft.tags() == null ? List.of() : draft.tags();
    SegmentDefinition segment =
        new SegmentDefinition(
            id, draft.name(), draft.description(), tags, toJson(draft.filter()), now, now, null);
    storage.segmentDefinitions().create(segment);
    return segment;
  }

  public SegmentDefinition update(String segmentId, Draft changes) {
    SegmentDefinition current = active(segmentId);
    Object filterJson =
        changes.filter() != null ? changes.filter() : fromJson(current.filterJson());
    check(segmentId, filterJson);
    SegmentDefinition updated =
        new SegmentDefinition(
            segmentId,
            changes.name() != null ? changes.name() : current.name(),
            changes.description() != null ? changes.description() : current.description(),
            changes.tags() != null ? changes.tags() : current.tags(),
            toJson(filterJson),
            current.createdAt(),
            clock.instant(),
            null);
    if (!storage.segmentDefinitions().update(updated)) {
      throw notFound(segmentId);
    }
    return updated;
  }

  /**
   * Archives a segment no other active segment refers to, so every stored segment stays evaluable.
   */
  public void archive(String segmentId) {
    active(segmentId);
    Optional<SegmentDefinition> user = firstActiveReferring(segmentId);
    if (user.isPresent()) {
      throw new KilnException(
          ErrorCode.CONFLICT,
          "segment '"
              + segmentId
              + "' is used by segment '"
              + user.get().name()
              + "' ("
              + user.get().id()
              + "); remove that reference before deleting it");
    }
    if (!storage.segmentDefinitions().archive(segmentId, clock.instant())) {
      throw notFound(segmentId);
    }
  }

  private Optional<SegmentDefinition> firstActiveReferring(String segmentId) {
    for (long offset = 0; ; offset += SCAN_PAGE) {
      List<SegmentDefinition> page = page(false, offset, SCAN_PAGE);
      Optional<SegmentDefinition> user =
          page.stream()
              .filter(segment -> SegmentReferences.refersTo(filterOf(segment), segmentId))
              .findFirst();
      if (user.isPresent() || page.size() < SCAN_PAGE) {
        return user;
      }
    }
  }

  /**
   * The segment's size now; stops early (with an exception) once {@code cancellation} is cancelled.
   */
  public long size(String segmentId, Cancellation cancellation) {
    SegmentDefinition segment = active(segmentId);
    return storage
        .segmentQueries()
        .count(filterOf(segment), resolver(), clock.instant(), cancellation);
  }

  /**
   * Checks that the store can evaluate the segment as it refers to other segments now (they may
   * have changed since it was stored); throws a KilnException INVALID_INPUT naming why not.
   */
  public void checkEvaluable(SegmentDefinition segment) {
    storage.segmentQueries().checkEvaluable(filterOf(segment), resolver(), clock.instant());
  }

  public Optional<SegmentDefinition> activeByName(String name) {
    return storage.segmentDefinitions().findActiveByName(name);
  }

  /** Active segments by creation time. */
  public List<SegmentDefinition> page(boolean newestFirst, long offset, int limit) {
    return storage.segmentDefinitions().listActive(newestFirst, offset, limit);
  }

  public SegmentDefinition active(String segmentId) {
    return storage
        .segmentDefinitions()
        .find(segmentId)
        .filter(SegmentDefinition::active)
        .orElseThrow(() -> notFound(segmentId));
  }

  public Filter filterOf(SegmentDefinition segment) {
    return FilterParser.parse(fromJson(segment.filterJson()));
  }

  /** Other segments as stored now. */
  public SegmentResolver resolver() {
    return id ->
        storage.segmentDefinitions().find(id).filter(SegmentDefinition::active).map(this::filterOf);
  }

  /**
   * Parses the filter, checks its references to other segments, and has the store check that it can
   * evaluate it (compiled with the segments it refers to, and planned by the database).
   */
  private Filter check(String segmentId, Object filterJson) {
    if (filterJson == null) {
      throw new KilnException(ErrorCode.INVALID_INPUT, "filter: is required");
    }
    Filter filter = FilterParser.parse(filterJson);
    SegmentReferences.check(segmentId, filter, resolver());
    storage.segmentQueries().checkEvaluable(filter, resolver(), clock.instant());
    return filter;
  }

  private static KilnException notFound(String segmentId) {
    return new KilnException(ErrorCode.NOT_FOUND, "no segment with segment_id '" + segmentId + "'");
  }

  private static String toJson(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("filters are JSON-shaped", e);
    }
  }

  private static Object fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored filter is not valid JSON", e);
    }
  }
}
