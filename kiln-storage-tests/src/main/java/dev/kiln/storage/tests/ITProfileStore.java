package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileStorage;
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

    assertThat(apply(new ProfileChange(id, true, setCustom("plan", "gold")))).containsExactly(ChangeResult.CREATED);

    UserProfile user = find(id);
    assertThat(user.externalId()).isEqualTo("user-1");
    assertThat(user.brazeId()).matches("[0-9a-f]{24}");
    assertThat(user.randomBucket()).isBetween(0, 9999);
    assertThat(user.customAttributes()).containsEntry("plan", "gold");
    assertThat(find(new UserLookup.BrazeId(user.brazeId()))).isEqualTo(user);
  }

  @Test
  void knownUserIsUpdatedKeepingWhatItHadAndItsCreationTime() throws InterruptedException {
    UserLookup id = new UserLookup.ExternalId("user-1");
    apply(new ProfileChange(id, true, setCustom("a", 1)));
    UserProfile before = find(id);
    Thread.sleep(5); // updated_at has millisecond resolution

    assertThat(apply(new ProfileChange(id, true, setCustom("b", true)))).containsExactly(ChangeResult.UPDATED);

    UserProfile after = find(id);
    assertThat(after.customAttributes()).containsExactly(Map.entry("a", 1), Map.entry("b", true));
    assertThat(after.brazeId()).isEqualTo(before.brazeId());
    assertThat(after.createdAt()).isEqualTo(before.createdAt());
    assertThat(after.updatedAt()).isAfter(before.updatedAt());
  }

  @Test
  void updateOnlyChangeForAnUnknownUserCreatesNothing() {
    UserLookup id = new UserLookup.ExternalId("nobody");

    assertThat(apply(new ProfileChange(id, false, setCustom("a", 1)))).containsExactly(ChangeResult.NO_USER);
    assertThat(storage.profileReader().find(id)).isEmpty();
  }

  @Test
  void unknownBrazeIdNeverCreatesAUser() {
    UserLookup id = new UserLookup.BrazeId("5fbd99bac125ca40511f2cb1");

    assertThat(apply(new ProfileChange(id, true, setCustom("a", 1)))).containsExactly(ChangeResult.NO_USER);
    assertThat(storage.profileReader().find(id)).isEmpty();
  }

  @Test
  void aliasEmailAndPhoneUsersAreCreatedAndFoundByThatIdentifier() {
    UserLookup alias = new UserLookup.Alias(new UserAlias("anon-7", "amplitude_id"));
    UserLookup email = new UserLookup.Email("new@example.com");
    UserLookup phone = new UserLookup.Phone("+15555550100");

    assertThat(apply(new ProfileChange(alias, true, setCustom("x", 1)), new ProfileChange(email, true, setCustom("x", 2)),
        new ProfileChange(phone, true, setCustom("x", 3))))
        .containsExactly(ChangeResult.CREATED, ChangeResult.CREATED, ChangeResult.CREATED);

    assertThat(find(alias).aliases()).containsExactly(new UserAlias("anon-7", "amplitude_id"));
    assertThat(find(alias).externalId()).isNull();
    assertThat(find(email).email()).isEqualTo("new@example.com");
    assertThat(find(email).customAttributes()).containsEntry("x", 2);
    assertThat(find(phone).phone()).isEqualTo("+15555550100");
  }

  @Test
  void sharedEmailResolvesToTheMostRecentlyUpdatedIdentifiedUser() throws InterruptedException {
    apply(new ProfileChange(new UserLookup.ExternalId("identified-old"), true, setStandard("email", "shared@example.com")));
    Thread.sleep(5);
    apply(new ProfileChange(new UserLookup.ExternalId("identified-new"), true, setStandard("email", "shared@example.com")));
    Thread.sleep(5);
    apply(new ProfileChange(new UserLookup.Alias(new UserAlias("anon", "device")), true, setStandard("email", "shared@example.com")));

    assertThat(find(new UserLookup.Email("shared@example.com")).externalId()).isEqualTo("identified-new");
  }

  @Test
  void changesOfOneRequestApplyInOrderAndSeeEachOther() {
    UserLookup id = new UserLookup.ExternalId("user-1");

    assertThat(apply(new ProfileChange(id, true, setCustom("n", 1)), new ProfileChange(id, true, (profile, now) ->
        profile.withCustomAttributes(Map.of("n", ((Number) profile.customAttributes().get("n")).longValue() + 1)))))
        .containsExactly(ChangeResult.CREATED, ChangeResult.UPDATED);
    assertThat(((Number) find(id).customAttributes().get("n")).longValue()).isEqualTo(2);
  }

  @Test
  void attributeValuesKeepTheirJsonTypes() {
    UserLookup id = new UserLookup.ExternalId("typed");
    Map<String, Object> nested = Map.of("city", "Paris", "scores", List.of(1, 2.5, "x", false));

    apply(new ProfileChange(id, true, (profile, now) -> profile.withCustomAttributes(
        Map.of("s", "text ünïcode", "i", 42, "d", 1.25, "b", false, "list", List.of("a", "b"), "obj", nested))));

    Map<String, Object> stored = find(id).customAttributes();
    assertThat(stored.get("s")).isEqualTo("text ünïcode");
    assertThat(((Number) stored.get("i")).longValue()).isEqualTo(42L);
    assertThat(((Number) stored.get("d")).doubleValue()).isEqualTo(1.25);
    assertThat(stored.get("b")).isEqualTo(false);
    assertThat(stored.get("list")).isEqualTo(List.of("a", "b"));
    assertThat(stored.get("obj")).isEqualTo(nested);
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
        bad.add(clients.submit(() -> apply(new ProfileChange(half, true, setCustom("i", 1)),
            new ProfileChange(half, true, (profile, now) -> {
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
    ProfileUpdate increment = (profile, now) -> {
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
  void acknowledgedProfilesSurviveReopeningTheStore() {
    UserLookup id = new UserLookup.ExternalId("durable");
    apply(new ProfileChange(id, true, setCustom("kept", "yes")));

    try (T reopened = reopen()) {
      assertThat(reopened.profileReader().find(id)).hasValueSatisfying(
          user -> assertThat(user.customAttributes()).containsEntry("kept", "yes"));
    }
  }
}
