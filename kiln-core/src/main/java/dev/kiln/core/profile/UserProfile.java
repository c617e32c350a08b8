package dev.kiln.core.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One user's profile: identifiers Kiln assigns or indexes, plus the attribute documents. Immutable;
 * Braze semantics produce a new profile from an old one.
 *
 * <p>Attribute values are JSON-shaped Java values: {@code String}, {@code Boolean}, {@code Long},
 * {@code Double}, {@code java.math.BigDecimal}, {@code List} and {@code Map<String, ?>} of those.
 * Keeping them JSON-shaped lets a backend store them as one JSON document that SQL can query.
 *
 * @param brazeId 24 lowercase hex characters, assigned at creation, never changed
 * @param randomBucket 0 to 9999, assigned at creation
 * @param attributes standard attributes (braze-api.md section 3.1) by their Braze field name
 * @param customAttributes custom attributes by name, in the order they were first set
 */
public record UserProfile(
    String brazeId,
    String externalId,
    List<UserAlias> aliases,
    int randomBucket,
    Instant createdAt,
    Instant updatedAt,
    Map<String, Object> attributes,
    Map<String, Object> customAttributes) {

  public UserProfile {
    Objects.requireNonNull(brazeId, "brazeId == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    aliases = List.copyOf(aliases);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    customAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(customAttributes));
  }

  /** The email address used for lookup, if the profile has one. */
  public String email() {
    return attributes.get("email") instanceof String email ? email : null;
  }

  /** The phone number used for lookup, if the profile has one. */
  public String phone() {
    return attributes.get("phone") instanceof String phone ? phone : null;
  }

  public UserProfile withExternalId(String newExternalId) {
    return new UserProfile(brazeId, newExternalId, aliases, randomBucket, createdAt, updatedAt, attributes, customAttributes);
  }

  public UserProfile withAlias(UserAlias alias) {
    List<UserAlias> updated = new ArrayList<>(aliases);
    updated.removeIf(existing -> existing.aliasLabel().equals(alias.aliasLabel()));
    updated.add(alias);
    return new UserProfile(brazeId, externalId, updated, randomBucket, createdAt, updatedAt, attributes, customAttributes);
  }

  public UserProfile withAttributes(Map<String, Object> newAttributes) {
    return new UserProfile(brazeId, externalId, aliases, randomBucket, createdAt, updatedAt, newAttributes, customAttributes);
  }

  public UserProfile withCustomAttributes(Map<String, Object> newCustomAttributes) {
    return new UserProfile(brazeId, externalId, aliases, randomBucket, createdAt, updatedAt, attributes, newCustomAttributes);
  }

  public UserProfile updatedAt(Instant time) {
    return new UserProfile(brazeId, externalId, aliases, randomBucket, createdAt, time, attributes, customAttributes);
  }
}
