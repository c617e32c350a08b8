package dev.kiln.core.track;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/braze-reference.md section 3 (standard fields, null removes, custom operations) and 2.5
 * (subscriptions).
 */
class AttributesUpdateTest {
  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
  private static final String GROUP_A = "11111111-1111-1111-1111-111111111111";
  private static final String GROUP_B = "22222222-2222-2222-2222-222222222222";

  private static UserProfile profile(Map<String, Object> attributes, Map<String, Object> custom) {
    return UserProfile.blank("0123456789abcdef01234567", 42, NOW).toBuilder()
        .attributes(attributes)
        .customAttributes(custom)
        .build();
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static AttributesUpdate standard(Map<String, Object> standard) {
    return new AttributesUpdate(standard, Map.of(), Map.of(), false);
  }

  private static AttributesUpdate custom(
      Map<String, CustomAttributeOp> custom, boolean mergeObjects) {
    return new AttributesUpdate(Map.of(), Map.of(), custom, mergeObjects);
  }

  // --- standard fields ---

  @Test
  void standardFieldIsSet() {
    UserProfile next = standard(map("first_name", "Jane")).apply(profile(Map.of(), Map.of()), NOW);

    assertThat(next.attributes()).containsEntry("first_name", "Jane");
  }

  @Test
  void standardFieldIsOverwritten() {
    UserProfile next =
        standard(map("first_name", "Janet"))
            .apply(profile(map("first_name", "Jane"), Map.of()), NOW);

    assertThat(next.attributes()).containsEntry("first_name", "Janet");
  }

  @Test
  void nullStandardValueRemovesTheField() {
    UserProfile user = profile(map("first_name", "Jane", "last_name", "Doe"), Map.of());

    UserProfile next = standard(map("first_name", null)).apply(user, NOW);

    assertThat(next.attributes()).doesNotContainKey("first_name").containsEntry("last_name", "Doe");
  }

  @Test
  void standardFieldsNotSentAreKept() {
    UserProfile user = profile(map("home_city", "Chicago"), Map.of());

    UserProfile next = standard(map("first_name", "Jane")).apply(user, NOW);

    assertThat(next.attributes())
        .containsEntry("home_city", "Chicago")
        .containsEntry("first_name", "Jane");
  }

  @Test
  void standardUpdateLeavesCustomAttributesAlone() {
    UserProfile user = profile(Map.of(), map("points", 7L));

    UserProfile next = standard(map("first_name", "Jane")).apply(user, NOW);

    assertThat(next.customAttributes()).isEqualTo(map("points", 7L));
  }

  // --- subscription groups ---

  @Test
  void subscriptionGroupsAreStoredUnderSubscriptionGroups() {
    AttributesUpdate update =
        new AttributesUpdate(Map.of(), Map.of(GROUP_A, "subscribed"), Map.of(), false);

    UserProfile next = update.apply(profile(Map.of(), Map.of()), NOW);

    assertThat(next.attributes())
        .containsEntry(AttributesUpdate.SUBSCRIPTION_GROUPS, map(GROUP_A, "subscribed"));
  }

  @Test
  void subscriptionGroupsAreMergedIntoTheExistingStates() {
    UserProfile user =
        profile(
            map(
                AttributesUpdate.SUBSCRIPTION_GROUPS,
                map(GROUP_A, "subscribed", GROUP_B, "subscribed")),
            Map.of());
    AttributesUpdate update =
        new AttributesUpdate(Map.of(), Map.of(GROUP_B, "unsubscribed"), Map.of(), false);

    UserProfile next = update.apply(user, NOW);

    assertThat(next.attributes())
        .containsEntry(
            AttributesUpdate.SUBSCRIPTION_GROUPS,
            map(GROUP_A, "subscribed", GROUP_B, "unsubscribed"));
  }

  @Test
  void noSubscriptionGroupsLeavesTheStoredStatesAlone() {
    Map<String, Object> groups = map(GROUP_A, "subscribed");
    UserProfile user = profile(map(AttributesUpdate.SUBSCRIPTION_GROUPS, groups), Map.of());

    UserProfile next = standard(map("first_name", "Jane")).apply(user, NOW);

    assertThat(next.attributes()).containsEntry(AttributesUpdate.SUBSCRIPTION_GROUPS, groups);
  }

  // --- custom attributes ---

  @Test
  void customOperationsAreAppliedToTheirAttributes() {
    UserProfile user =
        profile(Map.of(), map("count", 10L, "tags", List.of("a", "b", "c"), "old", "x"));
    Map<String, CustomAttributeOp> ops = new LinkedHashMap<>();
    ops.put("count", new CustomAttributeOp.Increment(5L));
    ops.put("tags", new CustomAttributeOp.ArrayChange(List.of("a"), List.of()));
    ops.put("old", new CustomAttributeOp.Unset());
    ops.put("name", new CustomAttributeOp.Set("Jane"));

    UserProfile next = custom(ops, false).apply(user, NOW);

    assertThat(next.customAttributes())
        .isEqualTo(map("count", 15L, "tags", List.of("b", "c", "a"), "name", "Jane"));
  }

  @Test
  void newCustomAttributesAreAddedInRequestOrderAfterExistingOnes() {
    UserProfile user = profile(Map.of(), map("first", 1L));
    Map<String, CustomAttributeOp> ops = new LinkedHashMap<>();
    ops.put("zeta", new CustomAttributeOp.Set("z"));
    ops.put("alpha", new CustomAttributeOp.Set("a"));
    ops.put("first", new CustomAttributeOp.Set(2L));

    UserProfile next = custom(ops, false).apply(user, NOW);

    assertThat(next.customAttributes().keySet()).containsExactly("first", "zeta", "alpha");
    assertThat(next.customAttributes()).containsEntry("first", 2L);
  }

  @Test
  void keepOutcomeLeavesTheAttributeAsItWas() {
    Map<String, Object> stored = map("a", 1L);
    UserProfile user = profile(Map.of(), map("obj", stored, "other", "x"));
    Map<String, CustomAttributeOp> ops = new LinkedHashMap<>();
    ops.put("obj", new CustomAttributeOp.SetObject(map("s", "x".repeat(101 * 1024))));
    ops.put("other", new CustomAttributeOp.Set("y"));

    UserProfile next = custom(ops, false).apply(user, NOW);

    assertThat(next.customAttributes()).containsEntry("obj", stored).containsEntry("other", "y");
  }

  @Test
  void keepOutcomeOnAMissingAttributeLeavesItMissing() {
    UserProfile next =
        custom(
                Map.of("obj", new CustomAttributeOp.SetObject(map("s", "x".repeat(101 * 1024)))),
                false)
            .apply(profile(Map.of(), Map.of()), NOW);

    assertThat(next.customAttributes()).doesNotContainKey("obj");
  }

  @Test
  void mergeObjectsFlagReachesTheOperations() {
    UserProfile user = profile(Map.of(), map("o", map("a", 1L, "b", map("c", 2L))));
    Map<String, CustomAttributeOp> ops =
        Map.of("o", new CustomAttributeOp.SetObject(map("b", map("d", 3L))));

    assertThat(custom(ops, true).apply(user, NOW).customAttributes())
        .containsEntry("o", map("a", 1L, "b", map("c", 2L, "d", 3L)));
    assertThat(custom(ops, false).apply(user, NOW).customAttributes())
        .containsEntry("o", map("b", map("d", 3L)));
  }

  @Test
  void applyDoesNotChangeTheIdentifiers() {
    UserProfile user = profile(Map.of(), Map.of()).withExternalId("u1");

    UserProfile next = standard(map("first_name", "Jane")).apply(user, NOW);

    assertThat(next.externalId()).isEqualTo("u1");
    assertThat(next.brazeId()).isEqualTo(user.brazeId());
    assertThat(next.randomBucket()).isEqualTo(42);
  }

  // --- what other users with the same email receive ---

  @Test
  void subscriptionPartCarriesOnlyEmailSubscribeAndSubscriptionGroups() {
    AttributesUpdate update =
        new AttributesUpdate(
            map(
                "first_name",
                "Jane",
                "email_subscribe",
                "opted_in",
                "push_subscribe",
                "unsubscribed",
                "email",
                "j@x.com"),
            Map.of(GROUP_A, "subscribed"),
            Map.of("points", new CustomAttributeOp.Set(5L)),
            true);

    AttributesUpdate part = update.subscriptionPart();

    assertThat(part.standard()).isEqualTo(map("email_subscribe", "opted_in"));
    assertThat(part.subscriptionGroups()).isEqualTo(Map.of(GROUP_A, "subscribed"));
    assertThat(part.custom()).isEmpty();
  }

  @Test
  void subscriptionPartWithoutEmailSubscribeCarriesOnlyGroups() {
    AttributesUpdate update =
        new AttributesUpdate(
            map("first_name", "Jane"), Map.of(GROUP_A, "unsubscribed"), Map.of(), false);

    AttributesUpdate part = update.subscriptionPart();

    assertThat(part.standard()).isEmpty();
    assertThat(part.subscriptionGroups()).isEqualTo(Map.of(GROUP_A, "unsubscribed"));
  }

  @Test
  void subscriptionPartAppliedToAnotherUserChangesOnlySubscriptions() {
    AttributesUpdate update =
        new AttributesUpdate(
            map("first_name", "Jane", "email_subscribe", "unsubscribed"),
            Map.of(GROUP_A, "unsubscribed"),
            Map.of("points", new CustomAttributeOp.Set(5L)),
            false);
    UserProfile other =
        profile(map("first_name", "Other", "email_subscribe", "opted_in"), map("points", 1L));

    UserProfile next = update.subscriptionPart().apply(other, NOW);

    assertThat(next.attributes())
        .isEqualTo(
            map(
                "first_name",
                "Other",
                "email_subscribe",
                "unsubscribed",
                AttributesUpdate.SUBSCRIPTION_GROUPS,
                map(GROUP_A, "unsubscribed")));
    assertThat(next.customAttributes()).isEqualTo(map("points", 1L));
  }

  @Test
  void emailSubscribeChangesSubscriptions() {
    assertThat(standard(map("email_subscribe", "subscribed")).changesSubscriptions()).isTrue();
  }

  @Test
  void subscriptionGroupsChangeSubscriptions() {
    assertThat(
            new AttributesUpdate(Map.of(), Map.of(GROUP_A, "subscribed"), Map.of(), false)
                .changesSubscriptions())
        .isTrue();
  }

  @Test
  void pushSubscribeAloneDoesNotChangeEmailSubscriptions() {
    assertThat(standard(map("push_subscribe", "opted_in")).changesSubscriptions()).isFalse();
  }

  @Test
  void otherFieldsDoNotChangeSubscriptions() {
    AttributesUpdate update =
        new AttributesUpdate(
            map("first_name", "Jane", "email", "j@x.com"),
            Map.of(),
            Map.of("c", new CustomAttributeOp.Set(1L)),
            false);

    assertThat(update.changesSubscriptions()).isFalse();
  }
}
