package dev.kiln.core.identity;

import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An {@link IdentityTransaction} over maps, for unit tests of the {@link UserOperation}s: it
 * behaves as kiln-storage-jdbc's JdbcIdentityTransaction does where the operations can tell. An
 * external_id finds its primary holder, else the owner of the deprecated id; holders come in
 * creation order (the JDBC one sorts by its internal key); deleting a user deletes its aliases, raw
 * rows and deprecated ids (ON DELETE CASCADE); and a write that the database's unique keys would
 * refuse (braze_id, external_id, an alias, a deprecated id) fails here too, so an operation that
 * would break one cannot pass its test.
 *
 * <p>Raw custom events and purchases are rows of text, enough to see them move in a merge.
 */
public final class InMemoryIdentityTransaction implements IdentityTransaction {
  private final Map<String, UserProfile> users = new LinkedHashMap<>();
  private final Map<String, String> deprecatedOwners = new HashMap<>();
  private final Map<String, List<String>> activity = new HashMap<>();

  /** A stored user, as a test sets the store up. */
  public InMemoryIdentityTransaction with(UserProfile user, String... activityRows) {
    create(user);
    activity.get(user.brazeId()).addAll(List.of(activityRows));
    return this;
  }

  /** A deprecated external_id of {@code owner}, as a rename leaves it. */
  public InMemoryIdentityTransaction withDeprecated(String externalId, UserProfile owner) {
    deprecate(externalId, owner);
    return this;
  }

  /** The stored users, in creation order. */
  public List<UserProfile> users() {
    return List.copyOf(users.values());
  }

  /** The stored user with this braze_id. */
  public Optional<UserProfile> user(String brazeId) {
    return Optional.ofNullable(users.get(brazeId));
  }

  /** The raw rows of the user with this braze_id. */
  public List<String> activityOf(String brazeId) {
    return List.copyOf(activity.getOrDefault(brazeId, List.of()));
  }

  @Override
  public Optional<UserProfile> find(UserLookup lookup) {
    return switch (lookup) {
      case UserLookup.ExternalId id ->
          first(user -> id.value().equals(user.externalId()))
              .or(() -> Optional.ofNullable(deprecatedOwners.get(id.value())).map(users::get));
      case UserLookup.BrazeId id -> Optional.ofNullable(users.get(id.value()));
      case UserLookup.Alias alias -> aliasHolder(alias.alias());
      case UserLookup.Email ignored ->
          throw new IllegalArgumentException("emails are found through holders()");
      case UserLookup.Phone ignored ->
          throw new IllegalArgumentException("phones are found through holders()");
    };
  }

  @Override
  public List<UserProfile> holders(UserLookup contact) {
    return switch (contact) {
      case UserLookup.Email email -> all(user -> email.value().equals(user.email()));
      case UserLookup.Phone phone -> all(user -> phone.value().equals(user.phone()));
      default ->
          throw new IllegalArgumentException("only emails and phones have holders: " + contact);
    };
  }

  @Override
  public void create(UserProfile user) {
    if (users.containsKey(user.brazeId())) {
      throw new IllegalStateException("braze_id " + user.brazeId() + " is taken");
    }
    requireIdentifiersFree(user);
    users.put(user.brazeId(), user);
    activity.put(user.brazeId(), new ArrayList<>());
  }

  @Override
  public void save(UserProfile user) {
    requireStored(user);
    requireIdentifiersFree(user);
    users.put(user.brazeId(), user);
  }

  @Override
  public void moveActivity(UserProfile from, UserProfile to) {
    requireStored(from);
    requireStored(to);
    activity.get(to.brazeId()).addAll(activity.get(from.brazeId()));
    activity.get(from.brazeId()).clear();
  }

  @Override
  public void delete(UserProfile user) {
    requireStored(user);
    users.remove(user.brazeId());
    activity.remove(user.brazeId());
    deprecatedOwners.values().removeIf(user.brazeId()::equals);
  }

  @Override
  public void deprecate(String externalId, UserProfile owner) {
    requireStored(owner);
    if (deprecatedOwners.putIfAbsent(externalId, owner.brazeId()) != null) {
      throw new IllegalStateException("external_id " + externalId + " is deprecated already");
    }
  }

  @Override
  public void removeDeprecated(String externalId) {
    deprecatedOwners.remove(externalId);
  }

  private Optional<UserProfile> aliasHolder(UserAlias alias) {
    return first(user -> user.aliases().contains(alias));
  }

  private Optional<UserProfile> first(Predicate<UserProfile> test) {
    return users.values().stream().filter(test).findFirst();
  }

  private List<UserProfile> all(Predicate<UserProfile> test) {
    return users.values().stream().filter(test).toList();
  }

  private void requireStored(UserProfile user) {
    if (!users.containsKey(user.brazeId())) {
      throw new IllegalStateException("user " + user.brazeId() + " is not stored");
    }
  }

  /**
   * The unique keys of users.external_id and user_aliases (label, name), against every other user.
   */
  private void requireIdentifiersFree(UserProfile user) {
    for (UserProfile other : users.values()) {
      if (other.brazeId().equals(user.brazeId())) {
        continue;
      }
      if (user.externalId() != null && Objects.equals(user.externalId(), other.externalId())) {
        throw new IllegalStateException("external_id " + user.externalId() + " is taken");
      }
      for (UserAlias alias : user.aliases()) {
        if (other.aliases().contains(alias)) {
          throw new IllegalStateException("alias " + alias + " is taken");
        }
      }
    }
  }
}
