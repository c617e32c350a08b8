package dev.kiln.core.profile;

/** What a {@link ProfileChange} did. */
public enum ChangeResult {
  CREATED,
  UPDATED,
  /** No user matched and the change was not allowed to create one. */
  NO_USER
}
