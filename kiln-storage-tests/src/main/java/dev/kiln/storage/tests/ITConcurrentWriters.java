package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.core.track.ActivityUpdates;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentStorage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Contract: several nodes over one database ({@link ITStorage#reopen()}), each applying changes
 * from several threads at once, lose no change and create no user twice. Every change goes through
 * {@code profileWriter().apply}, as {@code /users/track} sends it.
 */
public abstract class ITConcurrentWriters<T extends ProfileStorage & SegmentStorage>
    extends ITStorage<T> {
  private static final int NODES = 3;
  private static final int THREADS = 9;
  private static final int REQUESTS_PER_THREAD = 25;

  protected ITConcurrentWriters(StorageHarness<T> harness) {
    super(harness);
  }

  private static ProfileChange custom(UserLookup id, String name, CustomAttributeOp op) {
    return new ProfileChange(
        id, true, new AttributesUpdate(Map.of(), Map.of(), Map.of(name, op), false));
  }

  /**
   * Sends {@code change.of(thread, request)} as a request of its own, {@code requestsPerThread} per
   * thread, from {@value #THREADS} threads spread over {@value #NODES} nodes, all started at once;
   * every result.
   */
  private List<ChangeResult> sendFromEveryNode(int requestsPerThread, ChangeSource change)
      throws Exception {
    try (Nodes<T> nodes = Nodes.open(storage, this::reopen, NODES)) {
      return send(nodes, requestsPerThread, change);
    }
  }

  private List<ChangeResult> send(Nodes<T> nodes, int requestsPerThread, ChangeSource change)
      throws Exception {
    return nodes
        .runTogether(
            THREADS,
            (node, thread) -> {
              List<ChangeResult> results = new ArrayList<>();
              for (int request = 0; request < requestsPerThread; request++) {
                results.addAll(node.profileWriter().apply(List.of(change.of(thread, request))));
              }
              return results;
            })
        .stream()
        .flatMap(List::stream)
        .toList();
  }

  @FunctionalInterface
  private interface ChangeSource {
    ProfileChange of(int thread, int request);
  }

  private void createUser(UserLookup id) {
    assertThat(
            storage
                .profileWriter()
                .apply(List.of(custom(id, "created", new CustomAttributeOp.Set(true)))))
        .containsExactly(ChangeResult.CREATED);
  }

  private UserProfile find(UserLookup id) {
    return storage.profileReader().find(id).orElseThrow(() -> new AssertionError("no user " + id));
  }

  private long count(Map<String, Object> filter) {
    return storage
        .segmentQueries()
        .count(FilterParser.parse(filter), segment -> Optional.empty(), Instant.now());
  }

  @Test
  void incrementsOfOneAttributeFromEveryNodeSumExactly() throws Exception {
    UserLookup id = new UserLookup.ExternalId("counter");
    createUser(id);

    List<ChangeResult> results =
        sendFromEveryNode(
            REQUESTS_PER_THREAD,
            (thread, request) -> custom(id, "n", new CustomAttributeOp.Increment(thread + 1L)));

    assertThat(results)
        .as("results of the increments")
        .hasSize(THREADS * REQUESTS_PER_THREAD)
        .containsOnly(ChangeResult.UPDATED);
    long expected = (long) REQUESTS_PER_THREAD * IntStream.rangeClosed(1, THREADS).sum();
    assertThat(((Number) find(id).customAttributes().get("n")).longValue())
        .as("sum of %d increments sent from %d nodes at once", results.size(), NODES)
        .isEqualTo(expected);
  }

  @Test
  void arrayAddsFromEveryNodeKeepEveryValueOnce() throws Exception {
    UserLookup id = new UserLookup.ExternalId("collector");
    createUser(id);
    int requests =
        2; // THREADS * requests own values and 4 shared ones stay within the array cap of 25
    Function<Integer, String> shared = i -> "shared-" + i % 4;

    sendFromEveryNode(
        requests,
        (thread, request) ->
            custom(
                id,
                "tags",
                new CustomAttributeOp.ArrayChange(
                    List.of(
                        shared.apply(thread + request),
                        "t" + thread + "-r" + request,
                        shared.apply(thread + request + 1)),
                    List.of())));

    Set<String> expected = new TreeSet<>();
    for (int thread = 0; thread < THREADS; thread++) {
      for (int request = 0; request < requests; request++) {
        expected.add("t" + thread + "-r" + request);
      }
    }
    IntStream.range(0, 4).forEach(i -> expected.add(shared.apply(i)));
    assertThat(expected).hasSizeLessThanOrEqualTo(CustomAttributeOp.MAX_ARRAY_LENGTH);
    List<Object> tags = new ArrayList<>((List<?>) find(id).customAttributes().get("tags"));
    assertThat(tags)
        .as("the array after adds from %d nodes at once: every value, each once", NODES)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void newUserSentFromEveryNodeAtOnceIsCreatedExactlyOnce() throws Exception {
    List<String> ids = IntStream.range(0, 10).mapToObj(i -> "new-" + i).toList();

    try (Nodes<T> nodes = Nodes.open(storage, this::reopen, NODES)) {
      for (String externalId : ids) {
        // Every thread of every node sends the same new user at the same instant.
        List<ChangeResult> results =
            send(
                nodes,
                1,
                (thread, request) ->
                    custom(
                        new UserLookup.ExternalId(externalId),
                        "n",
                        new CustomAttributeOp.Increment(1L)));
        assertThat(results)
            .as(
                "results of the %d requests for %s: one creation, every other an update",
                THREADS, externalId)
            .containsOnly(ChangeResult.CREATED, ChangeResult.UPDATED)
            .filteredOn(ChangeResult.CREATED::equals)
            .hasSize(1);
      }
    }

    assertThat(count(Map.of("attribute", "external_id", "op", "exists")))
        .as("users in the store")
        .isEqualTo(ids.size());
    for (String externalId : ids) {
      assertThat(count(Map.of("attribute", "external_id", "op", "equals", "value", externalId)))
          .as("users with external_id %s", externalId)
          .isEqualTo(1);
      assertThat(
              ((Number) find(new UserLookup.ExternalId(externalId)).customAttributes().get("n"))
                  .longValue())
          .as("changes applied to %s", externalId)
          .isEqualTo(THREADS);
    }
  }

  @Test
  void customEventsAppendedFromEveryNodeAreAllCounted() throws Exception {
    UserLookup id = new UserLookup.ExternalId("active");
    createUser(id);
    Instant first = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

    sendFromEveryNode(
        REQUESTS_PER_THREAD,
        (thread, request) -> {
          Instant time = first.plusMillis((long) thread * REQUESTS_PER_THREAD + request);
          return new ProfileChange(
              id,
              true,
              ActivityUpdates.event("played", time),
              List.of(
                  new ActivityRecord.CustomEvent(
                      "played", time, null, Map.of("thread", (long) thread))),
              null);
        });

    int events = THREADS * REQUESTS_PER_THREAD;
    assertThat(find(id).customEvents())
        .as("the profile's aggregate of %d events sent from %d nodes at once", events, NODES)
        .containsEntry(
            "played", new ActivityAggregate(first, first.plusMillis(events - 1), events));
    assertThat(count(Map.of("custom_event", "played", "op", "count_equals", "value", events)))
        .as("users with exactly %d raw event rows", events)
        .isEqualTo(1);
  }
}
