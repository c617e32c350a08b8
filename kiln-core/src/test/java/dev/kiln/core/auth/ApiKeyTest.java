package dev.kiln.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

  @Test
  void grantsOnlyItsPermissions() {
    ApiKey key =
        ApiKey.create(
            "ingest", Set.of(Permission.USERS_TRACK, Permission.USERS_DELETE), List.of(), NOW);

    assertThat(key.grants(Permission.USERS_TRACK)).isTrue();
    assertThat(key.grants(Permission.USERS_DELETE)).isTrue();
    assertThat(key.grants(Permission.USERS_TRACK_SYNC)).isFalse();
    assertThat(key.grants(Permission.SEGMENTS_LIST)).isFalse();
  }

  @Test
  void aKeyReusingARevokedKeysNameHasAnIdentityOfItsOwn() {
    ApiKey revoked = ApiKey.create("ingest", Set.of(Permission.USERS_TRACK), List.of(), NOW);
    ApiKey successor =
        ApiKey.create("ingest", Set.of(Permission.USERS_TRACK), List.of(), NOW.plusMillis(1));

    assertThat(revoked.identity()).isEqualTo(NOW.toEpochMilli() + "|ingest");
    assertThat(successor.identity()).isNotEqualTo(revoked.identity());
    assertThat(revoked.withRateLimits(Map.of()).identity()).isEqualTo(revoked.identity());
  }

  @Test
  void keyWithoutPermissionsGrantsNothing() {
    ApiKey key = ApiKey.create("empty", Set.of(), List.of(), NOW);

    for (Permission permission : Permission.values()) {
      assertThat(key.grants(permission)).as("%s", permission).isFalse();
    }
  }

  @Test
  void emptyAllowlistAdmitsEveryAddress() {
    ApiKey key = ApiKey.create("open", Set.of(Permission.USERS_TRACK), List.of(), NOW);

    assertThat(key.admits(ip("203.0.113.7"))).isTrue();
    assertThat(key.admits(ip("127.0.0.1"))).isTrue();
    assertThat(key.admits(ip("::1"))).isTrue();
    assertThat(key.admits(ip("2001:db8::1"))).isTrue();
  }

  @Test
  void allowlistAdmitsOnlyAddressesInOneOfItsRanges() {
    ApiKey key =
        ApiKey.create(
            "office",
            Set.of(Permission.USERS_TRACK),
            List.of(
                IpRange.parse("10.0.0.0/8"),
                IpRange.parse("2001:db8::/32"),
                IpRange.parse("203.0.113.7")),
            NOW);

    assertThat(key.admits(ip("10.1.2.3"))).isTrue();
    assertThat(key.admits(ip("2001:db8::1"))).isTrue();
    assertThat(key.admits(ip("203.0.113.7"))).isTrue();
    assertThat(key.admits(ip("::ffff:10.1.2.3"))).isTrue();
    assertThat(key.admits(ip("203.0.113.8"))).isFalse();
    assertThat(key.admits(ip("192.168.1.1"))).isFalse();
    assertThat(key.admits(ip("2001:db9::1"))).isFalse();
    assertThat(key.admits(ip("::1"))).isFalse();
  }

  @Test
  void createdKeyIsActive() {
    ApiKey key = ApiKey.create("k", Set.of(Permission.USERS_TRACK), List.of(), NOW);

    assertThat(key.active()).isTrue();
    assertThat(key.createdAt()).isEqualTo(NOW);
    assertThat(key.revokedAt()).isNull();
  }

  @Test
  void revokedKeyIsNotActive() {
    ApiKey key =
        new ApiKey(
            "k", Set.of(Permission.USERS_TRACK), List.of(), NOW, NOW.plusSeconds(60), Map.of());

    assertThat(key.active()).isFalse();
  }

  @Test
  void laterChangesToTheGivenCollectionsDoNotChangeTheKey() {
    Set<Permission> permissions = EnumSet.of(Permission.USERS_TRACK);
    List<IpRange> allowed = new ArrayList<>(List.of(IpRange.parse("10.0.0.0/8")));
    ApiKey key = ApiKey.create("k", permissions, allowed, NOW);

    permissions.add(Permission.USERS_DELETE);
    allowed.clear();

    assertThat(key.grants(Permission.USERS_DELETE)).isFalse();
    assertThat(key.admits(ip("192.168.1.1"))).isFalse();
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError("test literal " + literal, e);
    }
  }
}
