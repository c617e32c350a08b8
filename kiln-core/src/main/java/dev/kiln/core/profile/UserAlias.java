package dev.kiln.core.profile;

import java.util.Objects;

/** A (label, name) pair that identifies a user; a user holds at most one name per label. */
public record UserAlias(String aliasName, String aliasLabel) {
  public UserAlias {
    Objects.requireNonNull(aliasName, "aliasName == null");
    Objects.requireNonNull(aliasLabel, "aliasLabel == null");
  }
}
