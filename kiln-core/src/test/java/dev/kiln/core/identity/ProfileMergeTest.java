package dev.kiln.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserProfile;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileMergeTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = T0.plusSeconds(3600);
  private static final Instant T2 = T0.plusSeconds(7200);

  private static UserProfile kept() {
    return UserProfile.blank("kept", 1, T0).withExternalId("customer").toBuilder()
        .attributes(
            Map.of("first_name", "Ada", "date_of_first_session", T1, "date_of_last_session", T1))
        .customAttributes(Map.of("plan", "gold"))
        .customEvents(Map.of("watched", new ActivityAggregate(T1, T1, 1)))
        .purchases(Map.of("sku", new ActivityAggregate(T1, T1, 2)))
        .totalRevenue(new BigDecimal("10.00"))
        .aliases(List.of(new UserAlias("c-1", "crm")))
        .build();
  }

  private static UserProfile merged() {
    return UserProfile.blank("merged", 2, T0).toBuilder()
        .attributes(
            Map.of(
                "first_name",
                "Anon",
                "email",
                "anon@example.com",
                "country",
                "FR",
                "email_subscribe",
                "opted_in",
                "date_of_first_session",
                T0,
                "date_of_last_session",
                T2))
        .customAttributes(Map.of("plan", "free", "color", "red"))
        .customEvents(
            Map.of(
                "watched",
                new ActivityAggregate(T0, T2, 3),
                "clicked",
                ActivityAggregate.of(T0, 1)))
        .purchases(Map.of("sku", ActivityAggregate.of(T2, 1)))
        .totalRevenue(new BigDecimal("2.50"))
        .aliases(List.of(new UserAlias("c-2", "crm"), new UserAlias("v-1", "web")))
        .build();
  }

  @Test
  void onlyAttributesTheKeptUserLacksAreCopiedAndOnlyBrazesList() {
    UserProfile result = ProfileMerge.into(kept(), merged());

    assertThat(result.attributes())
        .containsEntry("first_name", "Ada")
        .containsEntry("email", "anon@example.com")
        .containsEntry("country", "FR")
        .doesNotContainKey("email_subscribe");
    assertThat(result.customAttributes())
        .containsExactlyInAnyOrderEntriesOf(Map.of("plan", "gold", "color", "red"));
  }

  @Test
  void sessionsAndActivityCombineEarlierFirstLaterLastCountsSummed() {
    UserProfile result = ProfileMerge.into(kept(), merged());

    assertThat(result.attributes())
        .containsEntry("date_of_first_session", T0)
        .containsEntry("date_of_last_session", T2);
    assertThat(result.customEvents())
        .containsEntry("watched", new ActivityAggregate(T0, T2, 4))
        .containsEntry("clicked", ActivityAggregate.of(T0, 1));
    assertThat(result.purchases()).containsEntry("sku", new ActivityAggregate(T1, T2, 3));
    assertThat(result.totalRevenue()).isEqualByComparingTo("12.50");
  }

  @Test
  void theKeptUserKeepsItsIdentityAndGainsAliasesOfLabelsItLacks() {
    UserProfile result = ProfileMerge.into(kept(), merged());

    assertThat(result.brazeId()).isEqualTo("kept");
    assertThat(result.externalId()).isEqualTo("customer");
    assertThat(result.aliases())
        .containsExactly(new UserAlias("c-1", "crm"), new UserAlias("v-1", "web"));
  }
}
