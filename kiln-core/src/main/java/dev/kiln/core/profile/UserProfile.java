package dev.kiln.core.profile;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One user's profile: the identifiers Kiln assigns or indexes, the attribute documents and the
 * activity aggregates. Immutable; Braze semantics produce a new profile from an old one.
 *
 * <p>Attribute values are JSON-shaped Java values: {@code String}, {@code Boolean}, {@code Long},
 * {@code BigDecimal}, {@code Instant} (a time), and {@code List} and {@code Map<String, ?>} of
 * those. Keeping them JSON-shaped lets a backend store them as one JSON document that SQL can
 * query.
 *
 * @param brazeId 24 lowercase hex characters, assigned at creation, never changed
 * @param randomBucket 0 to 9999, assigned at creation
 * @param attributes standard attributes (docs/braze-reference.md section 3.1) by their Braze field
 *     name
 * @param customAttributes custom attributes by name, in the order they were first set
 * @param customEvents per event name
 * @param purchases per product_id; a purchase of quantity n counts n times
 * @param totalRevenue the sum of price times quantity of every purchase
 */
public record UserProfile(
    String brazeId,
    String externalId,
    List<UserAlias> aliases,
    int randomBucket,
    Instant createdAt,
    Instant updatedAt,
    Map<String, Object> attributes,
    Map<String, Object> customAttributes,
    Map<String, ActivityAggregate> customEvents,
    Map<String, ActivityAggregate> purchases,
    BigDecimal totalRevenue) {

  public UserProfile {
    Objects.requireNonNull(brazeId, "brazeId == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    Objects.requireNonNull(totalRevenue, "totalRevenue == null");
    aliases = List.copyOf(aliases);
    attributes = frozen(attributes);
    customAttributes = frozen(customAttributes);
    customEvents = frozen(customEvents);
    purchases = frozen(purchases);
  }

  /** A profile with identifiers only, as a new user starts. */
  public static UserProfile blank(String brazeId, int randomBucket, Instant now) {
    return new UserProfile(
        brazeId,
        null,
        List.of(),
        randomBucket,
        now,
        now,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        BigDecimal.ZERO);
  }

  /** The email address used for lookup, if the profile has one. */
  public String email() {
    return attributes.get("email") instanceof String email ? email : null;
  }

  /** The phone number used for lookup, if the profile has one. */
  public String phone() {
    return attributes.get("phone") instanceof String phone ? phone : null;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public UserProfile withExternalId(String newExternalId) {
    return toBuilder().externalId(newExternalId).build();
  }

  /** Adds the alias, replacing this user's alias of the same label: one name per label. */
  public UserProfile withAlias(UserAlias alias) {
    List<UserAlias> updated = new ArrayList<>(aliases);
    updated.removeIf(existing -> existing.aliasLabel().equals(alias.aliasLabel()));
    updated.add(alias);
    return toBuilder().aliases(updated).build();
  }

  public UserProfile withAttributes(Map<String, Object> newAttributes) {
    return toBuilder().attributes(newAttributes).build();
  }

  public UserProfile withCustomAttributes(Map<String, Object> newCustomAttributes) {
    return toBuilder().customAttributes(newCustomAttributes).build();
  }

  public UserProfile updatedAt(Instant time) {
    return toBuilder().updatedAt(time).build();
  }

  private static <V> Map<String, V> frozen(Map<String, V> map) {
    return FrozenMap.of(map);
  }

  /** Changes several parts of a profile at once. */
  public static final class Builder {
    private final String brazeId;
    private final int randomBucket;
    private final Instant createdAt;
    private String externalId;
    private List<UserAlias> aliases;
    private Instant updatedAt;
    private Map<String, Object> attributes;
    private Map<String, Object> customAttributes;
    private Map<String, ActivityAggregate> customEvents;
    private Map<String, ActivityAggregate> purchases;
    private BigDecimal totalRevenue;

    private Builder(UserProfile from) {
      brazeId = from.brazeId;
      randomBucket = from.randomBucket;
      createdAt = from.createdAt;
      externalId = from.externalId;
      aliases = from.aliases;
      updatedAt = from.updatedAt;
      attributes = from.attributes;
      customAttributes = from.customAttributes;
      customEvents = from.customEvents;
      purchases = from.purchases;
      totalRevenue = from.totalRevenue;
    }

    public Builder externalId(String value) {
      externalId = value;
      return this;
    }

    public Builder aliases(List<UserAlias> value) {
      aliases = value;
      return this;
    }

    public Builder updatedAt(Instant value) {
      updatedAt = value;
      return this;
    }

    public Builder attributes(Map<String, Object> value) {
      attributes = value;
      return this;
    }

    public Builder customAttributes(Map<String, Object> value) {
      customAttributes = value;
      return this;
    }

    public Builder customEvents(Map<String, ActivityAggregate> value) {
      customEvents = value;
      return this;
    }

    public Builder purchases(Map<String, ActivityAggregate> value) {
      purchases = value;
      return this;
    }

    public Builder totalRevenue(BigDecimal value) {
      totalRevenue = value;
      return this;
    }

    public UserProfile build() {
      return new UserProfile(
          brazeId,
          externalId,
          aliases,
          randomBucket,
          createdAt,
          updatedAt,
          attributes,
          customAttributes,
          customEvents,
          purchases,
          totalRevenue);
    }
  }
}
