package dev.kiln.storage.tests.segments;

import static dev.kiln.storage.tests.segments.Filters.and;
import static dev.kiln.storage.tests.segments.Filters.attr;
import static dev.kiln.storage.tests.segments.Filters.custom;
import static dev.kiln.storage.tests.segments.Filters.not;
import static dev.kiln.storage.tests.segments.Filters.or;
import static dev.kiln.storage.tests.segments.Filters.segment;
import static dev.kiln.storage.tests.segments.Population.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.segment.Filter;
import dev.kiln.segment.FilterException;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import dev.kiln.segment.SegmentStorage;
import dev.kiln.storage.tests.ITStorage;
import dev.kiln.storage.tests.StorageHarness;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Contract: a backend's segment counts (docs/segments.md) equal an independent evaluation of the
 * same filter over the same data.
 *
 * <p>A seeded {@link Population} of {@value Population#USERS} users is generated once as a plain
 * in-memory model and written to the store. Every case ({@link SegmentCases}) is a JSON-shaped
 * filter: the store counts it through {@link FilterParser} and its own SQL; the test counts it with
 * the {@link ReferenceEvaluation} of the model, which shares nothing with the compiler. Most cases
 * must match some users but not all, so an evaluation that always answers "nobody" or "everybody"
 * cannot pass.
 */
public abstract class ITSegmentQueries<T extends ProfileStorage & SegmentStorage>
    extends ITStorage<T> {
  private static final int BATCH = 500;

  private List<User> users;

  /** The time of every count: after the first half of the users was created, before the second. */
  private Instant now;

  private ReferenceEvaluation evaluation;
  private SegmentCases cases;

  protected ITSegmentQueries(StorageHarness<T> harness) {
    super(harness);
  }

  @Override
  protected boolean clearBeforeEachTest() {
    return false; // the population is built once, in populate()
  }

  @BeforeAll
  void populate() throws Exception {
    clear();
    users = Population.generate(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    write(users.subList(0, USERS / 2));
    Thread.sleep(
        1_100); // now, truncated to the second, still falls after every user created so far
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    write(users.subList(USERS / 2, USERS));
    for (User user : users) {
      UserProfile stored = storage.profileReader().find(user.lookup()).orElseThrow();
      user.brazeId = stored.brazeId();
      user.randomBucket = stored.randomBucket();
      user.createdAt = stored.createdAt();
      assertThat(stored.externalId()).isEqualTo(user.externalId);
      assertThat(new HashSet<>(stored.aliases())).isEqualTo(new HashSet<>(user.aliases));
      assertThat(stored.totalRevenue()).isEqualByComparingTo(User.revenue(user.purchases));
    }
    evaluation = new ReferenceEvaluation(SegmentCases.STORED_SEGMENTS, now);
    cases = new SegmentCases(users, now);
  }

  private void write(List<User> part) {
    for (int from = 0; from < part.size(); from += BATCH) {
      List<ProfileChange> changes =
          part.subList(from, Math.min(from + BATCH, part.size())).stream()
              .map(User::change)
              .toList();
      assertThat(storage.profileWriter().apply(changes)).containsOnly(ChangeResult.CREATED);
    }
  }

  @TestFactory
  Stream<DynamicTest> standardTextAttributes() {
    return run(cases.standardTextCases());
  }

  @TestFactory
  Stream<DynamicTest> standardNumberAttributes() {
    return run(cases.standardNumberCases());
  }

  @TestFactory
  Stream<DynamicTest> standardDateAttributes() {
    return run(cases.standardDateCases());
  }

  @TestFactory
  Stream<DynamicTest> aliasLabels() {
    return run(cases.aliasLabelCases());
  }

  @TestFactory
  Stream<DynamicTest> customTextAttributes() {
    return run(cases.customTextCases());
  }

  @TestFactory
  Stream<DynamicTest> customNumberAttributes() {
    return run(cases.customNumberCases());
  }

  @TestFactory
  Stream<DynamicTest> customBooleanAttributes() {
    return run(cases.customBooleanCases());
  }

  @TestFactory
  Stream<DynamicTest> customDateAttributes() {
    return run(cases.customDateCases());
  }

  @TestFactory
  Stream<DynamicTest> customArrayAttributes() {
    return run(cases.customArrayCases());
  }

  @TestFactory
  Stream<DynamicTest> nestedCustomAttributes() {
    return run(cases.nestedCases());
  }

  @TestFactory
  Stream<DynamicTest> customEvents() {
    return run(cases.eventCases());
  }

  @TestFactory
  Stream<DynamicTest> purchases() {
    return run(cases.purchaseCases());
  }

  @TestFactory
  Stream<DynamicTest> revenue() {
    return run(cases.revenueCases());
  }

  @TestFactory
  Stream<DynamicTest> subscriptionGroups() {
    return run(cases.subscriptionGroupCases());
  }

  @TestFactory
  Stream<DynamicTest> otherSegments() {
    return run(cases.segmentCases());
  }

  @TestFactory
  Stream<DynamicTest> composition() {
    return run(cases.compositionCases());
  }

  /**
   * Paging through the members of a segment (how exports read them) meets every member the count
   * counts, once, in key order, each with the profile (aliases included) the reader finds for it.
   */
  @Test
  void membersArePagedByKeyOnceEachWithTheirWholeProfile() {
    Filter filter =
        FilterParser.parse(or(attr("country", "equals", "US"), attr("alias_label", "exists")));
    long counted = storage.segmentQueries().count(filter, resolver(), now);
    Map<String, UserProfile> paged = new LinkedHashMap<>();
    long afterKey = Long.MIN_VALUE;
    for (List<SegmentQueries.Member> page = List.of(); ; ) {
      page = storage.segmentQueries().members(filter, resolver(), now, afterKey, 333);
      for (SegmentQueries.Member member : page) {
        assertThat(member.key()).as("keys ascend across pages").isGreaterThan(afterKey);
        afterKey = member.key();
        UserProfile profile = member.profile();
        assertThat(paged.put(profile.brazeId(), profile))
            .as("%s appears once", profile.brazeId())
            .isNull();
      }
      if (page.size() < 333) {
        break;
      }
    }
    assertThat((long) paged.size()).isEqualTo(counted).isBetween(1L, (long) USERS - 1);
    for (User user : users) {
      if (paged.containsKey(user.brazeId)) {
        assertThat(paged.get(user.brazeId))
            .as("member %s", user.brazeId)
            .isEqualTo(storage.profileReader().find(user.lookup()).orElseThrow());
      }
    }
  }

  @Test
  void segmentsThatReachThemselvesOrDoNotExistAreRejected() {
    Map<String, Filter> loops = new HashMap<>();
    loops.put(
        "loop-a",
        FilterParser.parse(and(attr("country", "equals", "US"), segment("loop-b", "in"))));
    loops.put(
        "loop-b", FilterParser.parse(or(custom("vip", "is_true"), not(segment("loop-a", "in")))));
    loops.put("self", FilterParser.parse(not(segment("self", "in"))));
    SegmentResolver resolver = id -> Optional.ofNullable(loops.get(id));

    assertThatThrownBy(
            () ->
                storage
                    .segmentQueries()
                    .count(FilterParser.parse(segment("loop-a", "in")), resolver, now))
        .isInstanceOf(FilterException.class);
    assertThatThrownBy(
            () ->
                storage
                    .segmentQueries()
                    .count(FilterParser.parse(segment("self", "not_in")), resolver, now))
        .isInstanceOf(FilterException.class);
    assertThatThrownBy(
            () ->
                storage
                    .segmentQueries()
                    .count(FilterParser.parse(segment("missing", "in")), resolver, now))
        .isInstanceOf(FilterException.class);
  }

  /** Every operator of every family in docs/segments.md has at least one case. */
  @Test
  void everyDocumentedOperatorHasACase() {
    Set<String> covered = new TreeSet<>();
    Stream.of(
            cases.standardTextCases(),
            cases.standardNumberCases(),
            cases.standardDateCases(),
            cases.aliasLabelCases(),
            cases.customTextCases(),
            cases.customNumberCases(),
            cases.customBooleanCases(),
            cases.customDateCases(),
            cases.customArrayCases(),
            cases.nestedCases(),
            cases.eventCases(),
            cases.purchaseCases(),
            cases.revenueCases(),
            cases.subscriptionGroupCases(),
            cases.segmentCases(),
            cases.compositionCases())
        .flatMap(List::stream)
        .forEach(one -> Operators.covers(one.filter(), covered));

    Set<String> required = Operators.documented();
    required.removeAll(covered);
    assertThat(required).as("documented operators without a case").isEmpty();
  }

  private Stream<DynamicTest> run(List<Case> cases) {
    return cases.stream().map(one -> DynamicTest.dynamicTest(one.display(), () -> check(one)));
  }

  private SegmentResolver resolver() {
    return id -> Optional.ofNullable(SegmentCases.STORED_SEGMENTS.get(id)).map(FilterParser::parse);
  }

  private void check(Case one) {
    Filter filter = FilterParser.parse(one.filter());
    long expected = evaluation.count(users, one.filter());
    long actual = storage.segmentQueries().count(filter, resolver(), now);
    if (actual != expected) {
      fail(
          "%s: the store counts %d users, the evaluation of docs/segments.md %d (now = %s).%nUsers on which they differ:%n%s",
          one.name(), actual, expected, now, differences(one.filter()));
    }
    if (one.nonTrivial()) {
      assertThat(expected)
          .as("%s should match some users but not all", one.name())
          .isBetween(1L, (long) USERS - 1);
    }
  }

  /** A few users the store and the evaluation disagree on, found through braze_id filters. */
  private String differences(Map<String, Object> filter) {
    List<String> found = new ArrayList<>();
    for (int from = 0; from < users.size() && found.size() < 3; from += BATCH) {
      List<User> chunk = users.subList(from, Math.min(from + BATCH, users.size()));
      List<Object> ids = chunk.stream().map(user -> (Object) user.brazeId).toList();
      long inStore =
          storage
              .segmentQueries()
              .count(FilterParser.parse(and(filter, attr("braze_id", "in", ids))), resolver(), now);
      long inModel = evaluation.count(chunk, filter);
      if (inStore == inModel) {
        continue;
      }
      for (User user : chunk) {
        boolean store =
            storage
                    .segmentQueries()
                    .count(
                        FilterParser.parse(and(filter, attr("braze_id", "equals", user.brazeId))),
                        resolver(),
                        now)
                == 1;
        boolean model = evaluation.matches(user, filter);
        if (store != model) {
          found.add(
              "  store "
                  + (store ? "matches" : "does not match")
                  + ", evaluation "
                  + (model ? "matches" : "does not match")
                  + ": "
                  + user);
          if (found.size() >= 3) {
            break;
          }
        }
      }
    }
    return String.join(System.lineSeparator(), found);
  }
}
