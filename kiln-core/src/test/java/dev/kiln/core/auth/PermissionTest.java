package dev.kiln.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PermissionTest {

  @ParameterizedTest
  @EnumSource(Permission.class)
  void fromNameRoundTripsPermissionName(Permission permission) {
    assertThat(Permission.fromName(permission.permissionName())).isSameAs(permission);
  }

  @ParameterizedTest
  @EnumSource(Permission.class)
  void toStringIsThePermissionName(Permission permission) {
    assertThat(permission).hasToString(permission.permissionName());
  }

  @Test
  void permissionNamesAreDistinct() {
    assertThat(Arrays.stream(Permission.values()).map(Permission::permissionName))
        .doesNotHaveDuplicates();
  }

  /** docs/braze-reference.md section 1.2. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "users.track",
        "users.track.sync",
        "users.delete",
        "users.alias.new",
        "users.alias.update",
        "users.identify",
        "users.merge",
        "users.export.ids",
        "users.export.segment",
        "users.export.global_control_group",
        "users.external_ids.rename",
        "users.external_ids.remove",
        "segments.list",
        "segments.details",
        "segments.data_series"
      })
  void brazePermissionNameExistsExactly(String brazeName) {
    assertThat(Permission.fromName(brazeName).permissionName()).isEqualTo(brazeName);
  }

  @Test
  void unknownNameIsInvalidInputListingKnownPermissions() {
    KilnException e =
        catchThrowableOfType(KilnException.class, () -> Permission.fromName("users.trak"));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage()).contains("'users.trak'");
    for (Permission permission : Permission.values()) {
      assertThat(e.getMessage()).contains(permission.permissionName());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"USERS.TRACK", "USERS_TRACK", "", "users", "users.track.sync.extra"})
  void nameMustMatchExactly(String name) {
    KilnException e = catchThrowableOfType(KilnException.class, () -> Permission.fromName(name));

    assertThat(e).as("fromName(\"%s\")", name).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
  }

  @Test
  void surroundingWhitespaceIsTrimmed() {
    assertThat(Permission.fromName("  users.track\t\n")).isEqualTo(Permission.USERS_TRACK);
    assertThat(Permission.fromName(" segments.data_series "))
        .isEqualTo(Permission.SEGMENTS_DATA_SERIES);
  }
}
