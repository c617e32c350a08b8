package dev.kiln.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserProfileTest {
  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
  private static final String BRAZE_ID = "0123456789abcdef01234567";

  @Test
  void withAliasAddsAnAliasUnderANewLabel() {
    UserProfile user = profile(List.of(new UserAlias("jane", "crm")), Map.of());

    UserProfile updated = user.withAlias(new UserAlias("j-42", "billing"));

    assertThat(updated.aliases())
        .containsExactly(new UserAlias("jane", "crm"), new UserAlias("j-42", "billing"));
  }

  @Test
  void withAliasReplacesTheNameUnderAnExistingLabelAndKeepsOthers() {
    UserProfile user =
        profile(List.of(new UserAlias("jane", "crm"), new UserAlias("j-42", "billing")), Map.of());

    UserProfile updated = user.withAlias(new UserAlias("janet", "crm"));

    assertThat(updated.aliases())
        .containsExactlyInAnyOrder(new UserAlias("janet", "crm"), new UserAlias("j-42", "billing"));
  }

  @Test
  void withAliasLeavesTheOriginalProfileUnchanged() {
    UserProfile user = profile(List.of(new UserAlias("jane", "crm")), Map.of());

    user.withAlias(new UserAlias("janet", "crm"));

    assertThat(user.aliases()).containsExactly(new UserAlias("jane", "crm"));
  }

  @Test
  void emailAndPhoneReadTheStandardAttributes() {
    UserProfile user =
        profile(List.of(), Map.of("email", "jane@example.com", "phone", "+15551234567"));

    assertThat(user.email()).isEqualTo("jane@example.com");
    assertThat(user.phone()).isEqualTo("+15551234567");
  }

  @Test
  void emailAndPhoneAreNullWhenAbsent() {
    UserProfile user = profile(List.of(), Map.of("first_name", "Jane"));

    assertThat(user.email()).isNull();
    assertThat(user.phone()).isNull();
  }

  @Test
  void attributesAreACopyOfTheGivenMap() {
    Map<String, Object> attributes = new HashMap<>(Map.of("email", "jane@example.com"));
    Map<String, Object> custom = new HashMap<>(Map.of("plan", "gold"));
    UserProfile user =
        UserProfile.blank(BRAZE_ID, 1, NOW).withAttributes(attributes).withCustomAttributes(custom);

    attributes.put("email", "other@example.com");
    attributes.put("phone", "+15551234567");
    custom.put("plan", "free");

    assertThat(user.attributes()).containsExactlyEntriesOf(Map.of("email", "jane@example.com"));
    assertThat(user.email()).isEqualTo("jane@example.com");
    assertThat(user.phone()).isNull();
    assertThat(user.customAttributes()).containsExactlyEntriesOf(Map.of("plan", "gold"));
  }

  @Test
  void aliasesAreACopyOfTheGivenList() {
    List<UserAlias> aliases = new ArrayList<>(List.of(new UserAlias("jane", "crm")));
    UserProfile user = UserProfile.blank(BRAZE_ID, 42, NOW).toBuilder().aliases(aliases).build();

    aliases.add(new UserAlias("j-42", "billing"));

    assertThat(user.aliases()).containsExactly(new UserAlias("jane", "crm"));
  }

  @Test
  void mapsAndListsCannotBeModifiedThroughTheProfile() {
    UserProfile user =
        profile(List.of(new UserAlias("jane", "crm")), Map.of("email", "jane@example.com"));

    assertThatThrownBy(() -> user.attributes().put("phone", "+15551234567"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> user.customAttributes().put("plan", "gold"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> user.aliases().add(new UserAlias("x", "y")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void customAttributesKeepTheOrderTheyWereGiven() {
    Map<String, Object> custom = new LinkedHashMap<>();
    custom.put("zeta", 1L);
    custom.put("alpha", 2L);
    custom.put("mid", 3L);

    UserProfile user = UserProfile.blank(BRAZE_ID, 1, NOW).withCustomAttributes(custom);

    assertThat(user.customAttributes().keySet()).containsExactly("zeta", "alpha", "mid");
  }

  private static UserProfile profile(List<UserAlias> aliases, Map<String, Object> attributes) {
    UserProfile user =
        UserProfile.blank(BRAZE_ID, 42, NOW).withExternalId("user-1").withAttributes(attributes);
    for (UserAlias alias : aliases) {
      user = user.withAlias(alias);
    }
    return user;
  }
}
