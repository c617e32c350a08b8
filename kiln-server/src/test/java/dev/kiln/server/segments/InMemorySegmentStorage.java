package dev.kiln.server.segments;

import dev.kiln.segment.Cancellation;
import dev.kiln.segment.Filter;
import dev.kiln.segment.SegmentDefinition;
import dev.kiln.segment.SegmentDefinitions;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import dev.kiln.segment.SegmentStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Segment definitions kept in a map, so {@link SegmentService}'s callers can be tested without a
 * database. It evaluates nothing: every filter FilterParser accepts counts as evaluable, and sizes
 * and members are not asked for by the tests that use it.
 */
final class InMemorySegmentStorage implements SegmentStorage, SegmentDefinitions, SegmentQueries {
  private final Map<String, SegmentDefinition> byId = new LinkedHashMap<>();

  /** Every stored segment, active or archived, in creation order. */
  List<SegmentDefinition> all() {
    return List.copyOf(byId.values());
  }

  @Override
  public SegmentQueries segmentQueries() {
    return this;
  }

  @Override
  public SegmentDefinitions segmentDefinitions() {
    return this;
  }

  @Override
  public void create(SegmentDefinition segment) {
    byId.put(segment.id(), segment);
  }

  @Override
  public boolean update(SegmentDefinition segment) {
    return find(segment.id()).filter(SegmentDefinition::active).isPresent()
        && byId.put(segment.id(), segment) != null;
  }

  @Override
  public boolean archive(String segmentId, Instant at) {
    Optional<SegmentDefinition> active = find(segmentId).filter(SegmentDefinition::active);
    active.ifPresent(
        s ->
            byId.put(
                s.id(),
                new SegmentDefinition(
                    s.id(),
                    s.name(),
                    s.description(),
                    s.tags(),
                    s.filterJson(),
                    s.createdAt(),
                    s.updatedAt(),
                    at)));
    return active.isPresent();
  }

  @Override
  public Optional<SegmentDefinition> find(String segmentId) {
    return Optional.ofNullable(byId.get(segmentId));
  }

  @Override
  public List<SegmentDefinition> listActive(boolean newestFirst, long offset, int limit) {
    List<SegmentDefinition> active = new ArrayList<>();
    byId.values().stream().filter(SegmentDefinition::active).forEach(active::add);
    if (newestFirst) {
      active.sort(Comparator.comparing(SegmentDefinition::createdAt).reversed());
    }
    return active.stream().skip(offset).limit(limit).toList();
  }

  @Override
  public Optional<SegmentDefinition> findActiveByName(String name) {
    return byId.values().stream()
        .filter(SegmentDefinition::active)
        .filter(s -> s.name().equals(name))
        .findFirst();
  }

  @Override
  public long count(Filter filter, SegmentResolver segments, Instant now, Cancellation c) {
    throw new UnsupportedOperationException("the in-memory store evaluates no segment");
  }

  @Override
  public void checkEvaluable(Filter filter, SegmentResolver segments, Instant now) {}

  @Override
  public List<Member> members(
      Filter filter, SegmentResolver segments, Instant now, long afterKey, int limit) {
    throw new UnsupportedOperationException("the in-memory store evaluates no segment");
  }
}
