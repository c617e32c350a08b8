package dev.kiln.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The seven {@link UserOperation}s of docs/user-management.md over an {@link
 * InMemoryIdentityTransaction}: what each does, and what it leaves alone with which reason. The
 * same rules over HTTP and a real store are kiln-server's IT* suites of users/.
 */
class UserOperationsTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");
  private static final UserAlias CRM_1 = new UserAlias("c-1", "crm");
  private static final UserAlias CRM_2 = new UserAlias("c-2", "crm");
  private static final UserAlias WEB_1 = new UserAlias("w-1", "web");

  private final InMemoryIdentityTransaction store = new InMemoryIdentityTransaction();

  private static UserProfile anonymous(String brazeId) {
    return UserProfile.blank(brazeId, 1, CREATED);
  }

  private static UserProfile identified(String brazeId, String externalId) {
    return anonymous(brazeId).withExternalId(externalId);
  }

  private static UserProfile withEmail(UserProfile user, String email) {
    return user.withAttributes(Map.of("email", email));
  }

  private static UserSelector byAlias(UserAlias alias) {
    return UserSelector.of(new UserLookup.Alias(alias));
  }

  private static UserSelector byExternalId(String externalId) {
    return UserSelector.of(new UserLookup.ExternalId(externalId));
  }

  private static UserSelector byEmail(String email, Priority... steps) {
    return new UserSelector(new UserLookup.Email(email), new Prioritization(List.of(steps)));
  }

  private OperationResult apply(UserOperation operation) {
    return operation.applyTo(store, NOW);
  }

  private UserProfile stored(String brazeId) {
    return store.user(brazeId).orElseThrow(() -> new AssertionError("no user " + brazeId));
  }

  private static OperationResult skipped(String reason) {
    return OperationResult.skipped(reason);
  }

  @Nested
  class AddAliasTest {
    @Test
    void withoutAnExternalIdTheAliasNamesANewAliasOnlyUser() {
      assertThat(apply(new AddAlias(CRM_1, null))).isEqualTo(OperationResult.APPLIED);

      assertThat(store.users())
          .singleElement()
          .satisfies(
              user -> {
                assertThat(user.externalId()).isNull();
                assertThat(user.aliases()).containsExactly(CRM_1);
                assertThat(user.createdAt()).isEqualTo(NOW);
              });
    }

    @Test
    void withoutAnExternalIdAHeldAliasCreatesNobody() {
      store.with(anonymous("held").withAlias(CRM_1));

      assertThat(apply(new AddAlias(CRM_1, null)))
          .isEqualTo(skipped("a user holds the alias already"));
      assertThat(store.users()).extracting(UserProfile::brazeId).containsExactly("held");
    }

    @Test
    void withAnExternalIdTheAliasJoinsThatUser() {
      store.with(identified("u", "customer").withAlias(WEB_1));

      assertThat(apply(new AddAlias(CRM_1, "customer"))).isEqualTo(OperationResult.APPLIED);
      assertThat(stored("u").aliases()).containsExactly(WEB_1, CRM_1);
      assertThat(stored("u").updatedAt()).isEqualTo(NOW);
    }

    @Test
    void aDeprecatedExternalIdNamesItsUserToo() {
      UserProfile user = identified("u", "customer-2");
      store.with(user).withDeprecated("customer-1", user);

      assertThat(apply(new AddAlias(CRM_1, "customer-1"))).isEqualTo(OperationResult.APPLIED);
      assertThat(stored("u").aliases()).containsExactly(CRM_1);
    }

    @Test
    void nothingHappensForAnUnknownExternalId() {
      assertThat(apply(new AddAlias(CRM_1, "nobody")))
          .isEqualTo(skipped("no user has the external_id"));
      assertThat(store.users()).isEmpty();
    }

    @Test
    void anAliasNamesOneUser() {
      store.with(identified("u", "customer")).with(anonymous("other").withAlias(CRM_1));

      assertThat(apply(new AddAlias(CRM_1, "customer")))
          .isEqualTo(skipped("another user holds the alias"));
      assertThat(stored("u").aliases()).isEmpty();
    }

    @Test
    void theUsersOwnAliasAgainIsDoneAlready() {
      UserProfile user = identified("u", "customer").withAlias(CRM_1);
      store.with(user);

      assertThat(apply(new AddAlias(CRM_1, "customer"))).isEqualTo(OperationResult.APPLIED);
      assertThat(stored("u")).isEqualTo(user);
    }

    /** One name per label: alias/update renames it, alias/new does not replace it. */
    @Test
    void aSecondNameForALabelIsRefused() {
      store.with(identified("u", "customer").withAlias(CRM_1));

      assertThat(apply(new AddAlias(CRM_2, "customer")))
          .isEqualTo(skipped("the user has an alias with that label already"));
      assertThat(stored("u").aliases()).containsExactly(CRM_1);
    }
  }

  @Nested
  class RenameAliasTest {
    @Test
    void theHolderHoldsTheNewNameInstead() {
      store.with(identified("u", "customer").withAlias(CRM_1).withAlias(WEB_1));

      assertThat(apply(new RenameAlias("crm", "c-1", "c-2"))).isEqualTo(OperationResult.APPLIED);
      assertThat(stored("u").aliases()).containsExactlyInAnyOrder(CRM_2, WEB_1);
      assertThat(stored("u").updatedAt()).isEqualTo(NOW);
      assertThat(store.find(new UserLookup.Alias(CRM_1))).isEmpty();
    }

    @Test
    void nothingHappensWithoutAHolder() {
      assertThat(apply(new RenameAlias("crm", "c-1", "c-2")))
          .isEqualTo(skipped("no user holds the alias"));
    }

    @Test
    void theSameNameIsDoneAlready() {
      UserProfile user = anonymous("u").withAlias(CRM_1);
      store.with(user);

      assertThat(apply(new RenameAlias("crm", "c-1", "c-1"))).isEqualTo(OperationResult.APPLIED);
      assertThat(stored("u")).isEqualTo(user);
    }

    @Test
    void aNewNameHeldByAnotherUserIsRefused() {
      store.with(anonymous("u").withAlias(CRM_1)).with(anonymous("other").withAlias(CRM_2));

      assertThat(apply(new RenameAlias("crm", "c-1", "c-2")))
          .isEqualTo(skipped("another user holds the new alias"));
      assertThat(stored("u").aliases()).containsExactly(CRM_1);
    }
  }

  @Nested
  class IdentifyUserTest {
    @Test
    void anAnonymousUserTakesAFreeExternalId() {
      store.with(anonymous("anon").withAlias(CRM_1));

      assertThat(apply(new IdentifyUser(byAlias(CRM_1), new ExternalId("customer"))))
          .isEqualTo(OperationResult.APPLIED);
      assertThat(stored("anon").externalId()).isEqualTo("customer");
      assertThat(stored("anon").updatedAt()).isEqualTo(NOW);
    }

    /**
     * docs/user-management.md: the anonymous user is merged into the identified one and removed.
     */
    @Test
    void anAnonymousUserIsMergedIntoTheUserWithTheExternalId() {
      UserProfile anon =
          anonymous("anon").withAlias(CRM_1).withAttributes(Map.of("first_name", "Ada"));
      store.with(anon, "watched@anon").with(identified("known", "customer"), "watched@known");

      assertThat(apply(new IdentifyUser(byAlias(CRM_1), new ExternalId("customer"))))
          .isEqualTo(OperationResult.APPLIED);

      assertThat(store.users()).extracting(UserProfile::brazeId).containsExactly("known");
      UserProfile known = stored("known");
      assertThat(known.externalId()).isEqualTo("customer");
      assertThat(known.aliases()).containsExactly(CRM_1);
      assertThat(known.attributes()).containsEntry("first_name", "Ada");
      assertThat(known.updatedAt()).isEqualTo(NOW);
      assertThat(store.activityOf("known")).containsExactly("watched@known", "watched@anon");
      assertThat(store.find(new UserLookup.Alias(CRM_1)))
          .map(UserProfile::brazeId)
          .contains("known");
    }

    @Test
    void aDeprecatedExternalIdMergesIntoItsOwner() {
      UserProfile known = identified("known", "customer-2");
      store
          .with(anonymous("anon").withAlias(CRM_1))
          .with(known)
          .withDeprecated("customer-1", known);

      assertThat(apply(new IdentifyUser(byAlias(CRM_1), new ExternalId("customer-1"))))
          .isEqualTo(OperationResult.APPLIED);
      assertThat(store.users()).extracting(UserProfile::brazeId).containsExactly("known");
      assertThat(stored("known").externalId()).isEqualTo("customer-2");
    }

    /**
     * The exception of docs/user-management.md: the identified user has a name for the alias's
     * label already.
     */
    @Test
    void noMergeWhenTheIdentifiedUserHasAnAliasOfTheLabel() {
      store
          .with(anonymous("anon").withAlias(CRM_1))
          .with(identified("known", "customer").withAlias(CRM_2));

      assertThat(apply(new IdentifyUser(byAlias(CRM_1), new ExternalId("customer"))))
          .isEqualTo(skipped("the identified user has an alias with that label already"));
      assertThat(store.users()).extracting(UserProfile::brazeId).containsExactly("anon", "known");
    }

    @Test
    void anIdentifiedUserIsDoneWithItsOwnExternalIdAndRefusesAnother() {
      store.with(identified("u", "customer").withAlias(CRM_1));

      assertThat(apply(new IdentifyUser(byAlias(CRM_1), new ExternalId("customer"))))
          .isEqualTo(OperationResult.APPLIED);
      assertThat(apply(new IdentifyUser(byAlias(CRM_1), new ExternalId("someone-else"))))
          .isEqualTo(skipped("the user is identified already"));
      assertThat(stored("u").externalId()).isEqualTo("customer");
    }

    @Test
    void nothingHappensWithoutAnAnonymousUser() {
      assertThat(apply(new IdentifyUser(byAlias(CRM_1), new ExternalId("customer"))))
          .isEqualTo(skipped("no single user matches the identifier"));
    }

    /**
     * An email names the holder its prioritization picks; several left is no user (edge case 33).
     */
    @Test
    void anEmailNamesTheHolderThePrioritizationPicks() {
      store
          .with(withEmail(identified("known", "other"), "a@example.com"))
          .with(withEmail(anonymous("anon-1"), "a@example.com"))
          .with(withEmail(anonymous("anon-2"), "a@example.com"));

      assertThat(
              apply(
                  new IdentifyUser(
                      byEmail("a@example.com", Priority.UNIDENTIFIED), new ExternalId("customer"))))
          .isEqualTo(skipped("no single user matches the identifier"));

      store.save(stored("anon-2").updatedAt(NOW));
      assertThat(
              apply(
                  new IdentifyUser(
                      byEmail(
                          "a@example.com", Priority.UNIDENTIFIED, Priority.MOST_RECENTLY_UPDATED),
                      new ExternalId("customer"))))
          .isEqualTo(OperationResult.APPLIED);
      assertThat(stored("anon-2").externalId()).isEqualTo("customer");
      assertThat(stored("anon-1").externalId()).isNull();
    }
  }

  @Nested
  class MergeUsersTest {
    private final UserProfile merged =
        identified("merged", "old").toBuilder()
            .attributes(Map.of("email", "m@example.com", "first_name", "Merged"))
            .customEvents(Map.of("watched", ActivityAggregate.of(CREATED, 2)))
            .totalRevenue(new BigDecimal("5"))
            .aliases(List.of(CRM_2, WEB_1))
            .build();
    private final UserProfile kept =
        identified("kept", "new").toBuilder()
            .attributes(Map.of("first_name", "Kept"))
            .customEvents(Map.of("watched", ActivityAggregate.of(CREATED, 1)))
            .totalRevenue(new BigDecimal("1"))
            .aliases(List.of(CRM_1))
            .build();

    /**
     * docs/user-management.md "Merge rules", through ProfileMerge; the merged user and its rows go.
     */
    @Test
    void theMergedUsersDataJoinsTheKeptUserAndTheMergedUserIsDeleted() {
      store.with(merged, "bought@merged").with(kept, "bought@kept").withDeprecated("older", merged);

      assertThat(apply(new MergeUsers(byExternalId("old"), byExternalId("new"))))
          .isEqualTo(OperationResult.APPLIED);

      assertThat(store.users()).extracting(UserProfile::brazeId).containsExactly("kept");
      assertThat(stored("kept")).isEqualTo(ProfileMerge.into(kept, merged).updatedAt(NOW));
      assertThat(stored("kept").customEvents())
          .containsEntry("watched", ActivityAggregate.of(CREATED, 3));
      assertThat(store.activityOf("kept")).containsExactly("bought@kept", "bought@merged");
      // The merged user's external_ids and its alias of a label the kept user has go with it.
      assertThat(store.find(new UserLookup.ExternalId("old"))).isEmpty();
      assertThat(store.find(new UserLookup.ExternalId("older"))).isEmpty();
      assertThat(store.find(new UserLookup.Alias(CRM_2))).isEmpty();
      assertThat(store.find(new UserLookup.Alias(WEB_1)))
          .map(UserProfile::brazeId)
          .contains("kept");
    }

    @Test
    void nothingHappensUnlessBothUsersExist() {
      store.with(kept);

      assertThat(apply(new MergeUsers(byExternalId("old"), byExternalId("new"))))
          .isEqualTo(skipped("no single user matches identifier_to_merge"));
      assertThat(apply(new MergeUsers(byExternalId("new"), byExternalId("old"))))
          .isEqualTo(skipped("no single user matches identifier_to_keep"));
      assertThat(store.users()).containsExactly(kept);
    }

    @Test
    void aUserIsNotMergedIntoItself() {
      store.with(kept);

      assertThat(apply(new MergeUsers(byExternalId("new"), byAlias(CRM_1))))
          .isEqualTo(skipped("both identifiers name the same user"));
      assertThat(store.users()).containsExactly(kept);
    }
  }

  @Nested
  class DeleteUserTest {
    @Test
    void theUserGoesWithItsAliasesRowsAndDeprecatedIds() {
      UserProfile user = identified("u", "customer").withAlias(CRM_1);
      store.with(user, "watched").withDeprecated("customer-0", user).with(anonymous("other"));

      assertThat(apply(new DeleteUser(byExternalId("customer-0"))))
          .isEqualTo(OperationResult.APPLIED);

      assertThat(store.users()).extracting(UserProfile::brazeId).containsExactly("other");
      assertThat(store.activityOf("u")).isEmpty();
      assertThat(store.find(new UserLookup.Alias(CRM_1))).isEmpty();
      assertThat(store.find(new UserLookup.ExternalId("customer-0"))).isEmpty();
      assertThat(store.find(new UserLookup.ExternalId("customer"))).isEmpty();
    }

    /**
     * Kiln's "deleted" counts users deleted: a second identifier of the same user counts nothing.
     */
    @Test
    void aUserDeletedByAnEarlierItemIsNotFoundAgain() {
      store.with(identified("u", "customer").withAlias(CRM_1));

      assertThat(apply(new DeleteUser(byExternalId("customer"))))
          .isEqualTo(OperationResult.APPLIED);
      assertThat(apply(new DeleteUser(byAlias(CRM_1))))
          .isEqualTo(skipped("no single user matches the identifier"));
    }

    @Test
    void anAmbiguousEmailDeletesNobody() {
      store
          .with(withEmail(identified("a", "a"), "x@example.com"))
          .with(withEmail(identified("b", "b"), "x@example.com"));

      assertThat(apply(new DeleteUser(byEmail("x@example.com", Priority.IDENTIFIED))))
          .isEqualTo(skipped("no single user matches the identifier"));
      assertThat(store.users()).hasSize(2);
    }
  }

  @Nested
  class RenameExternalIdTest {
    @Test
    void theNewIdIsPrimaryAndTheOldOneStillNamesTheUser() {
      UserProfile user = identified("u", "customer-1");
      store.with(user);

      assertThat(apply(new RenameExternalId("customer-1", new ExternalId("customer-2"))))
          .isEqualTo(OperationResult.APPLIED);

      assertThat(stored("u").externalId()).isEqualTo("customer-2");
      assertThat(stored("u").updatedAt()).as("a rename logs no data point").isEqualTo(CREATED);
      assertThat(store.find(new UserLookup.ExternalId("customer-1")))
          .map(UserProfile::brazeId)
          .contains("u");
    }

    /** A user may have several deprecated ids, each naming it. */
    @Test
    void renamesChain() {
      store.with(identified("u", "id-1"));

      assertThat(apply(new RenameExternalId("id-1", new ExternalId("id-2"))))
          .isEqualTo(OperationResult.APPLIED);
      assertThat(apply(new RenameExternalId("id-2", new ExternalId("id-3"))))
          .isEqualTo(OperationResult.APPLIED);
      assertThat(List.of("id-1", "id-2", "id-3"))
          .allSatisfy(
              id ->
                  assertThat(store.find(new UserLookup.ExternalId(id)))
                      .map(UserProfile::brazeId)
                      .contains("u"));
    }

    @Test
    void theRenameErrors() {
      UserProfile user = identified("u", "current");
      store.with(user).withDeprecated("deprecated", user).with(identified("other", "taken"));
      store.withDeprecated("taken-before", stored("other"));

      assertThat(apply(new RenameExternalId("current", new ExternalId("current"))))
          .isEqualTo(skipped(RenameExternalId.SAME_IDS));
      assertThat(apply(new RenameExternalId("nobody", new ExternalId("next"))))
          .isEqualTo(skipped(RenameExternalId.NO_USER));
      assertThat(apply(new RenameExternalId("deprecated", new ExternalId("next"))))
          .isEqualTo(skipped(RenameExternalId.DEPRECATED));
      assertThat(apply(new RenameExternalId("current", new ExternalId("taken"))))
          .isEqualTo(skipped(RenameExternalId.IN_USE));
      assertThat(apply(new RenameExternalId("current", new ExternalId("taken-before"))))
          .isEqualTo(skipped(RenameExternalId.IN_USE));
      assertThat(stored("u").externalId()).isEqualTo("current");
    }
  }

  @Nested
  class RemoveExternalIdTest {
    @Test
    void aRemovedDeprecatedIdNamesNobody() {
      store.with(identified("u", "old"));
      apply(new RenameExternalId("old", new ExternalId("new")));

      assertThat(apply(new RemoveExternalId("old"))).isEqualTo(OperationResult.APPLIED);

      assertThat(store.find(new UserLookup.ExternalId("old"))).isEmpty();
      assertThat(stored("u").externalId()).isEqualTo("new");
    }

    @Test
    void onlyDeprecatedIdsCanBeRemoved() {
      store.with(identified("u", "primary"));

      assertThat(apply(new RemoveExternalId("primary")))
          .isEqualTo(skipped(RemoveExternalId.PRIMARY));
      assertThat(apply(new RemoveExternalId("nobody")))
          .isEqualTo(skipped(RemoveExternalId.NO_USER));
      assertThat(store.find(new UserLookup.ExternalId("primary"))).isPresent();
    }
  }
}
