package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.identity.AddAlias;
import dev.kiln.core.identity.DeleteUser;
import dev.kiln.core.identity.IdentifyUser;
import dev.kiln.core.identity.MergeUsers;
import dev.kiln.core.identity.OperationResult;
import dev.kiln.core.identity.Prioritization;
import dev.kiln.core.identity.Priority;
import dev.kiln.core.identity.RemoveExternalId;
import dev.kiln.core.identity.RenameAlias;
import dev.kiln.core.identity.RenameExternalId;
import dev.kiln.core.identity.UserOperation;
import dev.kiln.core.identity.UserSelector;
import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import dev.kiln.segment.SegmentStorage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Contract: user management (docs/braze-reference.md section 11) on a backend: the semantics are
 * kiln-core's, so this checks what the backend adds: every primitive reads its own writes, a merge
 * moves the raw rows segments count, a delete takes everything of the user, deprecated external_ids
 * resolve on the write and read paths, and a request applies whole.
 */
public abstract class ITUserDirectory<T extends ProfileStorage & SegmentStorage>
    extends ITStorage<T> {
  @SuppressWarnings("TimeInStaticInitializer") // one "now" for every test of the class, on purpose
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private static final Prioritization UNIDENTIFIED_FIRST =
      new Prioritization(List.of(Priority.UNIDENTIFIED, Priority.MOST_RECENTLY_UPDATED));

  protected ITUserDirectory(StorageHarness<T> harness) {
    super(harness);
  }

  private List<OperationResult> apply(UserOperation... operations) {
    return storage.userDirectory().apply(List.of(operations));
  }

  private ChangeResult track(
      UserLookup lookup, ProfileUpdate update, ActivityRecord... activities) {
    return storage
        .profileWriter()
        .apply(List.of(new ProfileChange(lookup, true, update, List.of(activities), null)))
        .getFirst();
  }

  private Optional<UserProfile> find(UserLookup lookup) {
    return storage.profileReader().find(lookup);
  }

  private static UserLookup.ExternalId external(String id) {
    return new UserLookup.ExternalId(id);
  }

  private static UserSelector selector(String externalId) {
    return UserSelector.of(external(externalId));
  }

  private static ProfileUpdate attributes(
      Map<String, Object> standard, Map<String, Object> custom) {
    return (profile, now) -> {
      Map<String, Object> attributes = new LinkedHashMap<>(profile.attributes());
      attributes.putAll(standard);
      Map<String, Object> customAttributes = new LinkedHashMap<>(profile.customAttributes());
      customAttributes.putAll(custom);
      return profile.withAttributes(attributes).withCustomAttributes(customAttributes);
    };
  }

  /** Records the event on the profile's aggregates, as /users/track does, and as a raw row. */
  private ChangeResult trackEvent(UserLookup lookup, String name, Instant time) {
    ProfileUpdate aggregate =
        (profile, now) -> {
          Map<String, ActivityAggregate> events = new LinkedHashMap<>(profile.customEvents());
          events.merge(name, ActivityAggregate.of(time, 1), (old, added) -> old.record(time, 1));
          return profile.toBuilder().customEvents(events).build();
        };
    return track(lookup, aggregate, new ActivityRecord.CustomEvent(name, time, null, Map.of()));
  }

  /** Users with at least {@code times} raw rows of the event in the last 30 days. */
  private long usersWithEvent(String name, int times) {
    return storage
        .segmentQueries()
        .count(
            FilterParser.parse(
                Map.of(
                    "custom_event",
                    name,
                    "op",
                    "count_greater_than_or_equal",
                    "value",
                    times,
                    "in_last_days",
                    30)),
            SegmentResolver.NONE,
            Instant.now());
  }

  private long usersWhoPurchased(String product) {
    return storage
        .segmentQueries()
        .count(
            FilterParser.parse(
                Map.of("purchased_product", product, "op", "purchased", "in_last_days", 30)),
            SegmentResolver.NONE,
            Instant.now());
  }

  private long holdersOf(String email) {
    return storage
        .segmentQueries()
        .count(
            FilterParser.parse(Map.of("attribute", "email", "op", "equals", "value", email)),
            SegmentResolver.NONE,
            Instant.now());
  }

  @Test
  void newAliasNamesANewAliasOnlyUserOrTheUserWithTheExternalId() {
    track(external("known"), attributes(Map.of(), Map.of("plan", "gold")));
    UserAlias anonymous = new UserAlias("visitor-1", "web");
    UserAlias crm = new UserAlias("c-17", "crm");

    assertThat(apply(new AddAlias(anonymous, null), new AddAlias(crm, "known")))
        .allMatch(OperationResult::applied);

    UserProfile aliasOnly = find(new UserLookup.Alias(anonymous)).orElseThrow();
    assertThat(aliasOnly.externalId()).isNull();
    assertThat(aliasOnly.aliases()).containsExactly(anonymous);
    UserProfile known = find(new UserLookup.Alias(crm)).orElseThrow();
    assertThat(known.externalId()).isEqualTo("known");
    assertThat(known.customAttributes()).containsEntry("plan", "gold");
  }

  @Test
  void newAliasChangesNothingWhenTakenOrItsLabelIsOrTheUserIsUnknown() {
    track(external("a"), attributes(Map.of(), Map.of()));
    track(external("b"), attributes(Map.of(), Map.of()));
    apply(new AddAlias(new UserAlias("x", "crm"), "a"));

    List<OperationResult> results =
        apply(
            new AddAlias(new UserAlias("x", "crm"), "b"), // held by a
            new AddAlias(new UserAlias("y", "crm"), "a"), // a has a crm alias
            new AddAlias(new UserAlias("z", "crm"), "nobody"),
            new AddAlias(new UserAlias("x", "crm"), null)); // no second holder

    assertThat(results).noneMatch(OperationResult::applied);
    assertThat(find(external("a")).orElseThrow().aliases())
        .containsExactly(new UserAlias("x", "crm"));
    assertThat(find(external("b")).orElseThrow().aliases()).isEmpty();
    assertThat(find(new UserLookup.Alias(new UserAlias("z", "crm")))).isEmpty();
  }

  @Test
  void aliasUpdateMovesTheNameUnlessTheNewOneIsTaken() {
    apply(
        new AddAlias(new UserAlias("old", "web"), null),
        new AddAlias(new UserAlias("other", "web"), null));

    assertThat(
            apply(
                new RenameAlias("web", "old", "new"),
                new RenameAlias("web", "new", "other"),
                new RenameAlias("web", "missing", "x")))
        .extracting(OperationResult::applied)
        .containsExactly(true, false, false);

    assertThat(find(new UserLookup.Alias(new UserAlias("old", "web")))).isEmpty();
    assertThat(find(new UserLookup.Alias(new UserAlias("new", "web"))).orElseThrow().aliases())
        .containsExactly(new UserAlias("new", "web"));
  }

  @Test
  void identifyGivesTheExternalIdToTheAliasOnlyUserWhenNobodyHasIt() {
    UserAlias alias = new UserAlias("visitor", "web");
    apply(new AddAlias(alias, null));
    String brazeId = find(new UserLookup.Alias(alias)).orElseThrow().brazeId();

    assertThat(
            apply(
                new IdentifyUser(
                    UserSelector.of(new UserLookup.Alias(alias)), new ExternalId("customer"))))
        .allMatch(OperationResult::applied);

    UserProfile identified = find(external("customer")).orElseThrow();
    assertThat(identified.brazeId()).isEqualTo(brazeId);
    assertThat(identified.aliases()).containsExactly(alias);
  }

  @Test
  void identifyMergesTheAnonymousUserIntoTheIdentifiedOneAndItsRawEventsFollow() {
    Instant earlier = NOW.minus(3, ChronoUnit.DAYS);
    Instant later = NOW.minus(1, ChronoUnit.DAYS);
    track(external("customer"), attributes(Map.of("first_name", "Ada"), Map.of("plan", "gold")));
    trackEvent(external("customer"), "watched", later);
    UserAlias alias = new UserAlias("visitor", "web");
    UserLookup.Alias anonymous = new UserLookup.Alias(alias);
    track(
        anonymous,
        attributes(
            Map.of("first_name", "Anon", "home_city", "Lyon"),
            Map.of("plan", "free", "color", "red")));
    trackEvent(anonymous, "watched", earlier);
    assertThat(usersWithEvent("watched", 2)).isZero();

    assertThat(apply(new IdentifyUser(UserSelector.of(anonymous), new ExternalId("customer"))))
        .allMatch(OperationResult::applied);

    UserProfile merged = find(external("customer")).orElseThrow();
    assertThat(find(anonymous).orElseThrow().brazeId()).isEqualTo(merged.brazeId());
    assertThat(merged.attributes())
        .containsEntry("first_name", "Ada")
        .containsEntry("home_city", "Lyon");
    assertThat(merged.customAttributes())
        .containsEntry("plan", "gold")
        .containsEntry("color", "red");
    assertThat(merged.customEvents().get("watched"))
        .isEqualTo(new ActivityAggregate(earlier, later, 2));
    assertThat(usersWithEvent("watched", 2))
        .as("both raw rows now belong to the kept user")
        .isEqualTo(1);
    assertThat(usersWithEvent("watched", 1)).as("the anonymous user is gone").isEqualTo(1);
  }

  @Test
  void identifyMergesNothingWhenTheIdentifiedUserHasAnAliasWithTheSameLabel() {
    track(external("customer"), attributes(Map.of(), Map.of()));
    apply(
        new AddAlias(new UserAlias("mine", "web"), "customer"),
        new AddAlias(new UserAlias("visitor", "web"), null));
    UserLookup.Alias visitor = new UserLookup.Alias(new UserAlias("visitor", "web"));

    assertThat(apply(new IdentifyUser(UserSelector.of(visitor), new ExternalId("customer"))))
        .noneMatch(OperationResult::applied);

    assertThat(find(visitor).orElseThrow().externalId()).isNull();
  }

  @Test
  void mergeMovesPurchasesAndRevenueAndDeletesTheMergedUser() {
    track(external("keep"), attributes(Map.of(), Map.of()));
    ProfileUpdate revenue =
        (profile, now) -> profile.toBuilder().totalRevenue(new BigDecimal("12.50")).build();
    track(
        external("merge"),
        revenue,
        new ActivityRecord.Purchase(
            "sku",
            "USD",
            new BigDecimal("12.50"),
            1,
            NOW.minus(1, ChronoUnit.DAYS),
            null,
            Map.of()));

    assertThat(apply(new MergeUsers(selector("merge"), selector("keep"))))
        .allMatch(OperationResult::applied);

    assertThat(find(external("merge"))).isEmpty();
    assertThat(find(external("keep")).orElseThrow().totalRevenue()).isEqualByComparingTo("12.50");
    assertThat(usersWhoPurchased("sku")).isEqualTo(1);
    assertThat(track(external("merge"), attributes(Map.of(), Map.of())))
        .as("its external_id is free again")
        .isEqualTo(ChangeResult.CREATED);
  }

  @Test
  void mergeByEmailUsesThePrioritizationAndDoesNothingWhenItLeavesSeveral() {
    track(external("keep"), attributes(Map.of(), Map.of()));
    track(new UserLookup.Email("twin@example.com"), attributes(Map.of(), Map.of()));
    track(
        new UserLookup.Alias(new UserAlias("second", "web")),
        attributes(Map.of("email", "twin@example.com"), Map.of()));
    UserSelector twins =
        new UserSelector(
            new UserLookup.Email("twin@example.com"),
            new Prioritization(List.of(Priority.UNIDENTIFIED)));

    assertThat(apply(new MergeUsers(twins, selector("keep")))).noneMatch(OperationResult::applied);
    assertThat(apply(new DeleteUser(twins))).noneMatch(OperationResult::applied);
    assertThat(holdersOf("twin@example.com")).isEqualTo(2);

    UserSelector newest =
        new UserSelector(new UserLookup.Email("twin@example.com"), UNIDENTIFIED_FIRST);
    assertThat(apply(new MergeUsers(newest, selector("keep")))).allMatch(OperationResult::applied);
    assertThat(holdersOf("twin@example.com"))
        .as("the kept user lacked an email and took the merged one's")
        .isEqualTo(2);
    assertThat(
            find(new UserLookup.Alias(new UserAlias("second", "web"))).orElseThrow().externalId())
        .isEqualTo("keep");
  }

  @Test
  void deleteTakesTheUserItsAliasesRawRowsAndDeprecatedIds() {
    track(external("gone"), attributes(Map.of(), Map.of("plan", "gold")));
    trackEvent(external("gone"), "opened", NOW.minus(1, ChronoUnit.HOURS));
    apply(
        new AddAlias(new UserAlias("g", "crm"), "gone"),
        new RenameExternalId("gone", new ExternalId("gone-2")));

    assertThat(
            apply(
                new DeleteUser(selector("gone-2")),
                new DeleteUser(selector("gone-2")),
                new DeleteUser(selector("never"))))
        .extracting(OperationResult::applied)
        .containsExactly(true, false, false);

    assertThat(find(external("gone-2"))).isEmpty();
    assertThat(find(external("gone"))).as("its deprecated id went with it").isEmpty();
    assertThat(find(new UserLookup.Alias(new UserAlias("g", "crm")))).isEmpty();
    assertThat(usersWithEvent("opened", 1)).isZero();
    assertThat(track(external("gone"), attributes(Map.of(), Map.of())))
        .isEqualTo(ChangeResult.CREATED);
    assertThat(find(external("gone")).orElseThrow().customAttributes()).isEmpty();
  }

  @Test
  void aRenamedUsersOldIdStillNamesItOnTheWriteAndReadPathsUntilRemoved() {
    track(external("old"), attributes(Map.of(), Map.of("a", 1L)));

    assertThat(apply(new RenameExternalId("old", new ExternalId("new"))))
        .allMatch(OperationResult::applied);
    // Alone and beside other users in one batch: the write path prefetches external_ids in bulk.
    assertThat(track(external("old"), attributes(Map.of(), Map.of("b", 2L))))
        .isEqualTo(ChangeResult.UPDATED);
    storage
        .profileWriter()
        .apply(
            List.of(
                new ProfileChange(external("someone"), true, attributes(Map.of(), Map.of())),
                new ProfileChange(external("old"), true, attributes(Map.of(), Map.of("c", 3L)))));

    UserProfile renamed = find(external("old")).orElseThrow();
    assertThat(renamed.externalId()).isEqualTo("new");
    assertThat(renamed.customAttributes())
        .containsEntry("a", 1L)
        .containsEntry("b", 2L)
        .containsEntry("c", 3L);

    assertThat(apply(new RemoveExternalId("old"))).allMatch(OperationResult::applied);
    assertThat(find(external("old"))).isEmpty();
    assertThat(track(external("old"), attributes(Map.of(), Map.of())))
        .isEqualTo(ChangeResult.CREATED);
  }

  @Test
  void renamesAndRemovalsThatBrazeRefusesSayWhy() {
    track(external("a"), attributes(Map.of(), Map.of()));
    track(external("b"), attributes(Map.of(), Map.of()));
    apply(new RenameExternalId("a", new ExternalId("a2")));

    assertThat(
            apply(
                new RenameExternalId("a2", new ExternalId("a2")),
                new RenameExternalId("missing", new ExternalId("x")),
                new RenameExternalId("a", new ExternalId("x")),
                new RenameExternalId("b", new ExternalId("a2")),
                new RenameExternalId("b", new ExternalId("a")),
                new RemoveExternalId("a2"),
                new RemoveExternalId("missing")))
        .extracting(OperationResult::reason)
        .containsExactly(
            RenameExternalId.SAME_IDS,
            RenameExternalId.NO_USER,
            RenameExternalId.DEPRECATED,
            RenameExternalId.IN_USE,
            RenameExternalId.IN_USE,
            RemoveExternalId.PRIMARY,
            RemoveExternalId.NO_USER);
    assertThat(find(external("b")).orElseThrow().externalId()).isEqualTo("b");
  }

  @Test
  void laterItemsOfARequestSeeWhatEarlierOnesDid() {
    apply(
        new AddAlias(new UserAlias("v", "web"), null),
        new IdentifyUser(
            UserSelector.of(new UserLookup.Alias(new UserAlias("v", "web"))),
            new ExternalId("first")),
        new RenameExternalId("first", new ExternalId("second")),
        new AddAlias(new UserAlias("c", "crm"), "first"));

    UserProfile user = find(external("second")).orElseThrow();
    assertThat(user.aliases())
        .containsExactlyInAnyOrder(new UserAlias("v", "web"), new UserAlias("c", "crm"));
    assertThat(find(external("first")).orElseThrow().brazeId()).isEqualTo(user.brazeId());
  }

  /**
   * Merges race with /users/track on the same users (on a shared database, from several nodes'
   * worth of threads): every acknowledged event ends on exactly one user, its aggregate and raw row
   * together, whichever committed first.
   */
  @Test
  void mergesRacingWithTracksLoseNoEvent() throws Exception {
    int users = 8;
    int tracksPerThread = 40;
    for (int i = 0; i < users; i++) {
      track(external("c" + i), attributes(Map.of(), Map.of()));
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> trackers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int seed = t;
        trackers.add(
            threads.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int n = 0; n < tracksPerThread; n++) {
                    trackEvent(
                        external("c" + random.nextInt(users)),
                        "tick",
                        NOW.minus(1, ChronoUnit.HOURS));
                  }
                  return tracksPerThread;
                }));
      }
      Future<?> merger =
          threads.submit(
              () -> {
                Random random = new Random(42);
                for (int n = 0; n < 20; n++) {
                  int keep = random.nextInt(users);
                  apply(
                      new MergeUsers(
                          selector("c" + (keep + 1 + random.nextInt(users - 1)) % users),
                          selector("c" + keep)));
                }
                return null;
              });
      merger.get();
      assertEventsOnUsers(sum(trackers), "tick");
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * Merges, renames, removals of deprecated external_ids, deletes and tracks race on a handful of
   * users for a while (on PostgreSQL over several write connections, as several nodes would): none
   * fails, since the loser of a race re-resolves its identifiers and runs again, as if the two had
   * run one after the other. Every acknowledged event of the users never deleted is on exactly one
   * user, its aggregate and its raw row together; the users that deletes race with keep aggregates
   * and raw rows equal.
   */
  @Test
  void identityChangesRacingWithTracksAllSucceedAndLoseNoEvent() throws Exception {
    int users = 5;
    for (int i = 0; i < users; i++) {
      track(external("c" + i), attributes(Map.of(), Map.of()));
      track(external("d" + i), attributes(Map.of(), Map.of()));
    }
    Instant until = Instant.now().plusSeconds(12);
    Instant time = NOW.minus(1, ChronoUnit.HOURS);
    ExecutorService threads = Executors.newFixedThreadPool(7);
    try {
      List<Future<Integer>> tickers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        tickers.add(
            threads.submit(
                untilTime(
                    until,
                    t,
                    random -> trackEvent(external("c" + random.nextInt(users)), "tick", time))));
      }
      List<Future<Integer>> others =
          List.of(
              threads.submit(
                  untilTime(
                      until,
                      10,
                      random -> trackEvent(external("d" + random.nextInt(users)), "tock", time))),
              threads.submit(
                  untilTime(
                      until,
                      11,
                      random -> {
                        int keep = random.nextInt(users);
                        apply(
                            new MergeUsers(
                                selector("c" + (keep + 1 + random.nextInt(users - 1)) % users),
                                selector("c" + keep)));
                      })),
              threads.submit(
                  untilTime(
                      until,
                      12,
                      random -> {
                        int user = random.nextInt(users);
                        apply(
                            new RenameExternalId(
                                "c" + user,
                                new ExternalId("c" + user + "-" + random.nextInt(1_000_000))));
                      })),
              threads.submit(
                  untilTime(
                      until,
                      13,
                      random -> apply(new RemoveExternalId("c" + random.nextInt(users))))),
              threads.submit(
                  untilTime(
                      until,
                      14,
                      random -> apply(new DeleteUser(selector("d" + random.nextInt(users)))))));
      for (Future<Integer> other : others) {
        other.get(); // a storage exception fails the test here
      }
      assertEventsOnUsers(sum(tickers), "tick", "tock");
    } finally {
      threads.shutdownNow();
    }
  }

  private static long sum(List<Future<Integer>> counts) throws Exception {
    long sum = 0;
    for (Future<Integer> count : counts) {
      sum += count.get();
    }
    return sum;
  }

  /**
   * Every user's aggregate of each event equals its raw rows, and the users' ticks sum to the
   * acknowledged ones.
   */
  private void assertEventsOnUsers(long acknowledgedTicks, String... events) {
    long ticks = 0;
    for (SegmentQueries.Member member :
        storage
            .segmentQueries()
            .members(
                FilterParser.parse(Map.of("and", List.of())),
                SegmentResolver.NONE,
                Instant.now(),
                0,
                10_000)) {
      UserProfile user = member.profile();
      ticks += eventCount(user, "tick");
      for (String event : events) {
        assertThat(rawEventsOf(user, event))
            .as("raw %s rows of %s", event, user.externalId())
            .isEqualTo(eventCount(user, event));
      }
    }
    assertThat(ticks).as("ticks on the users").isEqualTo(acknowledgedTicks);
  }

  @FunctionalInterface
  private interface Step {
    void run(Random random);
  }

  /**
   * Runs the step again and again until the time, with its own seeded randomness; answers how many
   * times.
   */
  private static Callable<Integer> untilTime(Instant until, long seed, Step step) {
    return () -> {
      Random random = new Random(seed);
      int done = 0;
      while (Instant.now().isBefore(until)) {
        step.run(random);
        done++;
      }
      return done;
    };
  }

  private static long eventCount(UserProfile user, String event) {
    return Optional.ofNullable(user.customEvents().get(event))
        .map(ActivityAggregate::count)
        .orElse(0L);
  }

  /**
   * How many raw rows of the event the user has, as segments count them: a binary search over
   * count_greater_than.
   */
  private long rawEventsOf(UserProfile user, String event) {
    long atLeast = 0; // atLeast <= count < above, found by doubling then halving
    long above = 1;
    while (hasMoreThan(user, event, above - 1)) {
      atLeast = above;
      above *= 2;
    }
    while (above - atLeast > 1) {
      long middle = (atLeast + above) / 2;
      if (hasMoreThan(user, event, middle - 1)) {
        atLeast = middle;
      } else {
        above = middle;
      }
    }
    return atLeast;
  }

  private boolean hasMoreThan(UserProfile user, String event, long n) {
    return storage
            .segmentQueries()
            .count(
                FilterParser.parse(
                    Map.of(
                        "and",
                        List.of(
                            Map.of(
                                "attribute", "braze_id", "op", "equals", "value", user.brazeId()),
                            Map.of(
                                "custom_event",
                                event,
                                "op",
                                "count_greater_than",
                                "value",
                                n,
                                "in_last_days",
                                30)))),
                SegmentResolver.NONE,
                Instant.now())
        > 0;
  }
}
