package dev.kiln.core.track;

import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.RefusedUpdate;
import dev.kiln.core.profile.UserProfile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one valid attributes object does to its user: standard fields set or removed, subscription
 * group states merged in, and custom attribute operations applied in the order they were sent.
 *
 * @param standard standard field values by Braze name; a null value removes the field
 * @param subscriptionGroups subscription group id to {@code subscribed}/{@code unsubscribed}
 * @param custom custom attribute operations in request order
 * @param mergeObjects the object's {@code _merge_objects}
 */
public record AttributesUpdate(
    Map<String, Object> standard,
    Map<String, String> subscriptionGroups,
    Map<String, CustomAttributeOp> custom,
    boolean mergeObjects)
    implements ProfileUpdate {

  /** Where subscription group states live among the standard attributes. */
  public static final String SUBSCRIPTION_GROUPS = "subscription_groups";

  public AttributesUpdate {
    standard =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(standard)); // allows null values
    subscriptionGroups = Map.copyOf(subscriptionGroups);
    custom = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(custom));
  }

  @Override
  public UserProfile apply(UserProfile current, Instant now) {
    return current.toBuilder()
        .attributes(applyStandard(current.attributes()))
        .customAttributes(applyCustom(current.customAttributes()))
        .build();
  }

  /** The part other users with the same email receive: email and subscription-group states. */
  public AttributesUpdate subscriptionPart() {
    Map<String, Object> subscription = new LinkedHashMap<>();
    if (standard.containsKey("email_subscribe")) {
      subscription.put("email_subscribe", standard.get("email_subscribe"));
    }
    return new AttributesUpdate(subscription, subscriptionGroups, Map.of(), false);
  }

  public boolean changesSubscriptions() {
    return standard.containsKey("email_subscribe") || !subscriptionGroups.isEmpty();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> applyStandard(Map<String, Object> attributes) {
    Map<String, Object> next = new LinkedHashMap<>(attributes);
    standard.forEach(
        (field, value) -> {
          if (value == null) {
            next.remove(field);
          } else {
            next.put(field, value);
          }
        });
    if (!subscriptionGroups.isEmpty()) {
      Map<String, Object> groups =
          next.get(SUBSCRIPTION_GROUPS) instanceof Map<?, ?> existing
              ? new LinkedHashMap<>((Map<String, Object>) existing)
              : new LinkedHashMap<>();
      groups.putAll(subscriptionGroups);
      next.put(SUBSCRIPTION_GROUPS, groups);
    }
    return next;
  }

  private Map<String, Object> applyCustom(Map<String, Object> customAttributes) {
    Map<String, Object> next = new LinkedHashMap<>(customAttributes);
    custom.forEach(
        (name, op) -> {
          CustomAttributeOp.Outcome outcome = op.apply(next.get(name), mergeObjects);
          switch (outcome) {
            case CustomAttributeOp.Replace replace ->
                next.put(name, Objects.requireNonNull(replace.value()));
            case CustomAttributeOp.Remove remove -> next.remove(name);
            case CustomAttributeOp.Keep keep -> {}
            case CustomAttributeOp.TooLarge tooLarge ->
                throw new RefusedUpdate(
                    "'inc' would take '"
                        + name
                        + "' beyond "
                        + Values.LARGEST_NUMBER
                        + ", the largest number Kiln stores");
          }
        });
    return next;
  }
}
