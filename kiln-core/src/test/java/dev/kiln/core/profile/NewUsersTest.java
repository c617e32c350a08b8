package dev.kiln.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NewUsersTest {
  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.123Z");

  @Test
  void externalIdLookupCreatesUserWithThatExternalId() {
    UserProfile user = NewUsers.create(new UserLookup.ExternalId("user-1"), NOW).orElseThrow();

    assertThat(user.externalId()).isEqualTo("user-1");
    assertThat(user.aliases()).isEmpty();
    assertThat(user.attributes()).isEmpty();
    assertThat(user.customAttributes()).isEmpty();
  }

  @Test
  void aliasLookupCreatesUserHoldingThatAlias() {
    UserAlias alias = new UserAlias("jane", "crm");

    UserProfile user = NewUsers.create(new UserLookup.Alias(alias), NOW).orElseThrow();

    assertThat(user.aliases()).containsExactly(alias);
    assertThat(user.externalId()).isNull();
  }

  @Test
  void emailLookupCreatesEmailOnlyUser() {
    UserProfile user = NewUsers.create(new UserLookup.Email("jane@example.com"), NOW).orElseThrow();

    assertThat(user.attributes())
        .containsExactlyEntriesOf(java.util.Map.of("email", "jane@example.com"));
    assertThat(user.email()).isEqualTo("jane@example.com");
    assertThat(user.externalId()).isNull();
    assertThat(user.aliases()).isEmpty();
  }

  @Test
  void phoneLookupCreatesPhoneOnlyUser() {
    UserProfile user = NewUsers.create(new UserLookup.Phone("+15551234567"), NOW).orElseThrow();

    assertThat(user.attributes())
        .containsExactlyEntriesOf(java.util.Map.of("phone", "+15551234567"));
    assertThat(user.phone()).isEqualTo("+15551234567");
    assertThat(user.externalId()).isNull();
  }

  @Test
  void brazeIdLookupCreatesNoUser() {
    assertThat(NewUsers.create(new UserLookup.BrazeId("0123456789abcdef01234567"), NOW)).isEmpty();
  }

  @Test
  void brazeIdIs24LowercaseHexCharacters() {
    UserProfile user = NewUsers.create(new UserLookup.ExternalId("u"), NOW).orElseThrow();

    assertThat(user.brazeId()).matches("[0-9a-f]{24}");
  }

  @Test
  void everyUserGetsADifferentBrazeId() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(NewUsers.create(new UserLookup.ExternalId("u"), NOW).orElseThrow().brazeId());
    }

    assertThat(ids).hasSize(1000);
  }

  @Test
  void randomBucketIsWithin0To9999AndVaries() {
    Set<Integer> buckets = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      int bucket =
          NewUsers.create(new UserLookup.ExternalId("u"), NOW).orElseThrow().randomBucket();
      assertThat(bucket).isBetween(0, 9999);
      buckets.add(bucket);
    }

    assertThat(buckets).hasSizeGreaterThan(1);
  }

  @Test
  void createdAtAndUpdatedAtAreTheGivenTime() {
    UserProfile user = NewUsers.create(new UserLookup.Email("a@example.com"), NOW).orElseThrow();

    assertThat(user.createdAt()).isEqualTo(NOW);
    assertThat(user.updatedAt()).isEqualTo(NOW);
  }
}
