package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileStorage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Contract: how a backend finds, creates and updates profiles. */
public abstract class ITProfileStore<T extends ProfileStorage> extends ITStorage<T> {
  /**
   * Moved between writes that must carry different times; updated_at has millisecond resolution.
   */
  private static final Duration LATER = Duration.ofMillis(5);

  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00.123Z"));

  protected ITProfileStore(StorageHarness<T> harness) {
    super(harness);
  }

  @Override
  protected Clock clock() {
    return clock;
  }

  private static ProfileUpdate setCustom(String name, Object value) {
    return (profile, now) -> {
      Map<String, Object> custom = new LinkedHashMap<>(profile.customAttributes());
      custom.put(name, value);
      return profile.withCustomAttributes(custom);
    };
  }

  private static ProfileUpdate setStandard(String name, Object value) {
    return (profile, now) -> {
      Map<String, Object> attributes = new LinkedHashMap<>(profile.attributes());
      attributes.put(name, value);
      return profile.withAttributes(attributes);
    };
  }

  private List<ChangeResult> apply(ProfileChange... changes) {
    return storage.profileWriter().apply(List.of(changes));
  }

  private UserProfile find(UserLookup lookup) {
    return storage.profileReader().find(lookup).orElseThrow();
  }

  @Test
  void unknownExternalIdCreatesAUserWithKilnAssignedIdentifiers() {
    UserLookup id = new UserLookup.ExternalId("user-1");

    assertThat(apply(new ProfileChange(id, true, setCustom("plan", "gold"))))
        .containsExactly(ChangeResult.CREATED);

    UserProfile user = find(id);
    assertThat(user.externalId()).isEqualTo("user-1");
    assertThat(user.brazeId()).matches("[0-9a-f]{24}");
    assertThat(user.randomBucket()).isBetween(0, 9999);
    assertThat(user.customAttributes()).containsEntry("plan", "gold");
    assertThat(find(new UserLookup.BrazeId(user.brazeId()))).isEqualTo(user);
  }

  @Test
  void knownUserIsUpdatedKeepingWhatItHadAndItsCreationTime() {
    UserLookup id = new UserLookup.ExternalId("user-1");
    apply(new ProfileChange(id, true, setCustom("a", 1L)));
    UserProfile before = find(id);
    clock.advance(LATER);

    assertThat(apply(new ProfileChange(id, true, setCustom("b", true))))
        .containsExactly(ChangeResult.UPDATED);

    UserProfile after = find(id);
    assertThat(after.customAttributes()).containsExactly(Map.entry("a", 1L), Map.entry("b", true));
    assertThat(after.brazeId()).isEqualTo(before.brazeId());
    assertThat(after.createdAt()).isEqualTo(before.createdAt());
    assertThat(after.updatedAt()).isAfter(before.updatedAt());
  }

  @Test
  void updateOnlyChangeForAnUnknownUserCreatesNothing() {
    UserLookup id = new UserLookup.ExternalId("nobody");

    assertThat(apply(new ProfileChange(id, false, setCustom("a", 1))))
        .containsExactly(ChangeResult.NO_USER);
    assertThat(storage.profileReader().find(id)).isEmpty();
  }

  @Test
  void unknownBrazeIdNeverCreatesAUser() {
    UserLookup id = new UserLookup.BrazeId("5fbd99bac125ca40511f2cb1");

    assertThat(apply(new ProfileChange(id, true, setCustom("a", 1))))
        .containsExactly(ChangeResult.NO_USER);
    assertThat(storage.profileReader().find(id)).isEmpty();
  }

  @Test
  void aliasEmailAndPhoneUsersAreCreatedAndFoundByThatIdentifier() {
    UserLookup alias = new UserLookup.Alias(new UserAlias("anon-7", "amplitude_id"));
    UserLookup email = new UserLookup.Email("new@example.com");
    UserLookup phone = new UserLookup.Phone("+15555550100");

    assertThat(
            apply(
                new ProfileChange(alias, true, setCustom("x", 1L)),
                new ProfileChange(email, true, setCustom("x", 2L)),
                new ProfileChange(phone, true, setCustom("x", 3L))))
        .containsExactly(ChangeResult.CREATED, ChangeResult.CREATED, ChangeResult.CREATED);

    assertThat(find(alias).aliases()).containsExactly(new UserAlias("anon-7", "amplitude_id"));
    assertThat(find(alias).externalId()).isNull();
    assertThat(find(email).email()).isEqualTo("new@example.com");
    assertThat(find(email).customAttributes()).containsEntry("x", 2L);
    assertThat(find(phone).phone()).isEqualTo("+15555550100");
  }

  @Test
  void sharedEmailResolvesToTheMostRecentlyUpdatedIdentifiedUser() {
    apply(
        new ProfileChange(
            new UserLookup.ExternalId("identified-old"),
            true,
            setStandard("email", "shared@example.com")));
    clock.advance(LATER);
    apply(
        new ProfileChange(
            new UserLookup.ExternalId("identified-new"),
            true,
            setStandard("email", "shared@example.com")));
    clock.advance(LATER);
    apply(
        new ProfileChange(
            new UserLookup.Alias(new UserAlias("anon", "device")),
            true,
            setStandard("email", "shared@example.com")));

    assertThat(find(new UserLookup.Email("shared@example.com")).externalId())
        .isEqualTo("identified-new");
  }

  @Test
  void changesOfOneRequestApplyInOrderAndSeeEachOther() {
    UserLookup id = new UserLookup.ExternalId("user-1");

    assertThat(
            apply(
                new ProfileChange(id, true, setCustom("n", 1)),
                new ProfileChange(
                    id,
                    true,
                    (profile, now) ->
                        profile.withCustomAttributes(
                            Map.of(
                                "n",
                                ((Number) profile.customAttributes().get("n")).longValue() + 1)))))
        .containsExactly(ChangeResult.CREATED, ChangeResult.UPDATED);
    assertThat(((Number) find(id).customAttributes().get("n")).longValue()).isEqualTo(2);
  }

  @Test
  void attributeValuesKeepTheirTypes() {
    UserLookup id = new UserLookup.ExternalId("typed");
    Instant time = Instant.parse("2021-03-04T05:06:07.089Z");
    Map<String, Object> nested =
        Map.of(
            "city",
            "Paris",
            "scores",
            List.of(1L, new BigDecimal("2.5"), "x", false),
            "seen",
            time,
            "deeper",
            Map.of("at", List.of(time)));
    Map<String, Object> values =
        Map.of(
            "s",
            "text ünïcode",
            "i",
            42L,
            "d",
            new BigDecimal("1.25"),
            "b",
            false,
            "list",
            List.of("a", "b"),
            "obj",
            nested,
            "when",
            time,
            "huge",
            new BigDecimal("12345678901234567890.0123456789"));

    apply(
        new ProfileChange(
            id,
            true,
            (profile, now) ->
                profile
                    .withCustomAttributes(values)
                    .withAttributes(Map.of("dob", "1980-12-21", "date_of_first_session", time))));

    assertThat(find(id).customAttributes()).isEqualTo(values);
    assertThat(find(id).attributes())
        .containsEntry("date_of_first_session", time)
        .containsEntry("dob", "1980-12-21");
  }

  @Test
  void activityAggregatesAndRevenueAreKept() {
    UserLookup id = new UserLookup.ExternalId("active");
    Instant first = Instant.parse("2020-01-01T00:00:00Z");
    Instant last = Instant.parse("2024-06-01T12:00:00.500Z");
    ActivityRecord event =
        new ActivityRecord.CustomEvent("watched", last, "app", Map.of("minutes", 12L));
    ActivityRecord purchase =
        new ActivityRecord.Purchase(
            "sku-1", "EUR", new BigDecimal("12.12"), 6, first, null, Map.of());

    apply(
        new ProfileChange(
            id,
            true,
            (profile, now) ->
                profile.toBuilder()
                    .customEvents(Map.of("watched", new ActivityAggregate(first, last, 3)))
                    .purchases(Map.of("sku-1", ActivityAggregate.of(first, 6)))
                    .totalRevenue(new BigDecimal("72.72"))
                    .build(),
            List.of(event, purchase),
            null));

    UserProfile stored = find(id);
    assertThat(stored.customEvents())
        .containsEntry("watched", new ActivityAggregate(first, last, 3));
    assertThat(stored.purchases()).containsEntry("sku-1", new ActivityAggregate(first, first, 6));
    assertThat(stored.totalRevenue()).isEqualByComparingTo("72.72");
  }

  @Test
  void sameEmailUpdateReachesEveryOtherUserWithThatEmail() {
    ProfileUpdate optIn = setStandard("email_subscribe", "opted_in");
    apply(
        new ProfileChange(
            new UserLookup.ExternalId("a"), true, setStandard("email", "shared@example.com")),
        new ProfileChange(
            new UserLookup.ExternalId("b"), true, setStandard("email", "shared@example.com")),
        new ProfileChange(
            new UserLookup.ExternalId("c"), true, setStandard("email", "other@example.com")));

    apply(new ProfileChange(new UserLookup.ExternalId("a"), true, optIn, List.of(), optIn));

    assertThat(find(new UserLookup.ExternalId("a")).attributes())
        .containsEntry("email_subscribe", "opted_in");
    assertThat(find(new UserLookup.ExternalId("b")).attributes())
        .containsEntry("email_subscribe", "opted_in");
    assertThat(find(new UserLookup.ExternalId("c")).attributes())
        .doesNotContainKey("email_subscribe");
  }

  @Test
  void aFailingRequestChangesNothingAndDoesNotFailConcurrentRequests() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<ChangeResult>>> good = new ArrayList<>();
      List<Future<List<ChangeResult>>> bad = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        UserLookup id = new UserLookup.ExternalId("good-" + i);
        good.add(clients.submit(() -> apply(new ProfileChange(id, true, setCustom("i", 1)))));
        UserLookup half = new UserLookup.ExternalId("half-" + i);
        bad.add(
            clients.submit(
                () ->
                    apply(
                        new ProfileChange(half, true, setCustom("i", 1)),
                        new ProfileChange(
                            half,
                            true,
                            (profile, now) -> {
                              throw new IllegalStateException("boom");
                            }))));
      }
      for (Future<List<ChangeResult>> result : good) {
        assertThat(result.get()).containsExactly(ChangeResult.CREATED);
      }
      for (Future<List<ChangeResult>> result : bad) {
        assertThatThrownBy(result::get).hasRootCauseMessage("boom");
      }
    } finally {
      clients.shutdown();
    }
    for (int i = 0; i < 40; i++) {
      assertThat(storage.profileReader().find(new UserLookup.ExternalId("good-" + i))).isPresent();
      assertThat(storage.profileReader().find(new UserLookup.ExternalId("half-" + i))).isEmpty();
    }
  }

  @Test
  void concurrentRequestsOnOneUserLoseNoUpdate() throws Exception {
    UserLookup id = new UserLookup.ExternalId("counter");
    ProfileUpdate increment =
        (profile, now) -> {
          Map<String, Object> custom = new LinkedHashMap<>(profile.customAttributes());
          custom.merge("n", 1L, (a, b) -> ((Number) a).longValue() + 1);
          return profile.withCustomAttributes(custom);
        };
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        sent.add(clients.submit(() -> apply(new ProfileChange(id, true, increment))));
      }
      for (Future<?> done : sent) {
        done.get();
      }
    } finally {
      clients.shutdown();
    }
    assertThat(((Number) find(id).customAttributes().get("n")).longValue()).isEqualTo(200);
  }

  @Test
  void writesThroughAnotherStoreOnTheSameDataAreNeverOverwritten() {
    UserLookup id = new UserLookup.ExternalId("shared");
    apply(new ProfileChange(id, true, setCustom("first", 1L)));
    apply(
        new ProfileChange(
            id, true, setCustom("second", 2L))); // the first store now knows the user well

    try (T other = reopen()) {
      other
          .profileWriter()
          .apply(List.of(new ProfileChange(id, true, setCustom("from_other", true))));
    }
    apply(new ProfileChange(id, true, setCustom("third", 3L)));

    assertThat(find(id).customAttributes())
        .containsEntry("first", 1L)
        .containsEntry("second", 2L)
        .containsEntry("from_other", true)
        .containsEntry("third", 3L);
  }

  @Test
  void acknowledgedProfilesSurviveReopeningTheStore() {
    UserLookup id = new UserLookup.ExternalId("durable");
    apply(new ProfileChange(id, true, setCustom("kept", "yes")));

    try (T reopened = reopen()) {
      assertThat(reopened.profileReader().find(id))
          .hasValueSatisfying(
              user -> assertThat(user.customAttributes()).containsEntry("kept", "yes"));
    }
  }
}
