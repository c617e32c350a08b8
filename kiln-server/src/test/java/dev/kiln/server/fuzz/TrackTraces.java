package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Property 3 (defined in {@link dev.kiln.server.fuzz}) for {@code /users/track} and {@code
 * /users/track/sync}: rejected objects leave no trace, accepted ones are stored.
 *
 * <p>The oracle reads the body the server read (the bytes sent, parsed with the server's mapper),
 * so it holds for byte-mutated bodies as much as for generated ones. What the try wrote comes from
 * the store: users created or stamped at or after the try's first millisecond, and event and
 * purchase rows above the largest keys before it (see {@link StoreProbe}). Then:
 *
 * <ul>
 *   <li>An answer other than 201 wrote nothing at all: no user created or changed, no row appended.
 *   <li>A 201 wrote only what its accepted objects (those not named in {@code errors}) say. Every
 *       user written is named by an accepted object (its external id, email, phone, braze id or an
 *       alias name appears in one), or shares its email with such a user (email subscriptions
 *       spread to every user with the email, as documented); every new user's identifiers, and
 *       every new event's name and purchase's product id, appear in an accepted object. An
 *       identifier or name that only rejected objects carry can therefore not be in the store.
 *       Every try's identifiers hold a tag of its own, so nothing of an earlier try can pass for
 *       this one's.
 *   <li>Accepted objects that must create or reach a user did: an accepted object with a string
 *       {@code external_id} and without {@code _update_existing_only: true} leaves that user, its
 *       event or its purchase in the store; an accepted alias object with {@code
 *       _update_existing_only: false} leaves its alias.
 *   <li>For /users/track, {@code X_processed} counts the accepted objects of each array sent, and
 *       every error names an existing index.
 * </ul>
 *
 * What this cannot see: a rejected object that changes attributes of a user an accepted object of
 * the same request also names (the user is explained by the accepted object).
 *
 * <p>And for {@code /users/export/ids}, a read: it writes nothing at all, whatever its answer
 * ({@link #checkNothingWritten}).
 */
final class TrackTraces {
  private static final List<String> ARRAYS = List.of("attributes", "events", "purchases");

  private TrackTraces() {}

  static void check(FuzzSuite.Sent sent, StoreProbe store, boolean countsProcessed) {
    Exchange exchange = sent.exchange();
    JsonNode answer = sent.answer();
    StoreProbe.UserChanges changes = sent.userChanges();
    if (exchange.status() != 201) {
      assertThat(changes.isEmpty())
          .as(
              "a %d leaves no trace, but the store has %s after %s",
              exchange.status(), changes, exchange)
          .isTrue();
      return;
    }
    ObjectNode body =
        exchange
            .sentObject()
            .orElseThrow(
                () -> new AssertionError("a 201 for a body that is not an object: " + exchange));
    Set<Position> rejected = rejectedPositions(answer, exchange);
    List<ObjectNode> accepted = new ArrayList<>();
    for (String array : ARRAYS) {
      JsonNode items = body.get(array);
      List<ObjectNode> acceptedHere = acceptedItems(array, items, rejected, exchange);
      accepted.addAll(acceptedHere);
      if (countsProcessed) {
        assertProcessedCount(answer, array, items, acceptedHere.size(), exchange);
      }
    }
    Set<String> acceptedText = strings(accepted);
    assertWritesExplained(changes, acceptedText, exchange);
    assertAcceptedStored(body, rejected, changes, store, exchange);
  }

  /**
   * Property 3 ({@link dev.kiln.server.fuzz}) for {@code /users/export/ids}, a read: it writes
   * nothing, whatever its answer.
   */
  static void checkNothingWritten(FuzzSuite.Sent sent) {
    assertThat(sent.userChanges().isEmpty())
        .as("a read wrote to the store: %s", sent.exchange())
        .isTrue();
  }

  /** An item of an array, as errors name it. */
  private record Position(String array, int index) {}

  private static Set<Position> rejectedPositions(JsonNode answer, Exchange exchange) {
    Set<Position> rejected = new HashSet<>();
    for (JsonNode error : answer.path("errors")) {
      assertThat(error.path("type").isTextual()).as("error 'type' in %s", exchange).isTrue();
      rejected.add(new Position(error.path("input_array").asText(), error.path("index").asInt(-1)));
    }
    return rejected;
  }

  private static List<ObjectNode> acceptedItems(
      String array, JsonNode items, Set<Position> rejected, Exchange exchange) {
    List<ObjectNode> accepted = new ArrayList<>();
    if (items == null || items.isNull()) {
      assertThat(rejected.stream().filter(p -> p.array().equals(array)))
          .as("errors of an array not sent in %s", exchange)
          .isEmpty();
      return accepted;
    }
    assertThat(items.isArray()).as("a 201 with '%s' not an array: %s", array, exchange).isTrue();
    rejected.stream()
        .filter(p -> p.array().equals(array))
        .forEach(
            p ->
                assertThat(p.index())
                    .as("error index in '%s' of %s", array, exchange)
                    .isBetween(0, items.size() - 1));
    for (int i = 0; i < items.size(); i++) {
      if (!rejected.contains(new Position(array, i))) {
        assertThat(items.get(i).isObject())
            .as("accepted item %s[%d] is an object in %s", array, i, exchange)
            .isTrue();
        accepted.add((ObjectNode) items.get(i));
      }
    }
    return accepted;
  }

  private static void assertProcessedCount(
      JsonNode answer, String array, JsonNode items, int accepted, Exchange exchange) {
    JsonNode processed = answer.get(array + "_processed");
    if (items == null || items.isNull()) {
      assertThat(processed)
          .as("%s_processed for an array not sent, in %s", array, exchange)
          .isNull();
    } else {
      assertThat(processed == null ? null : processed.asInt())
          .as("%s_processed in %s", array, exchange)
          .isEqualTo(accepted);
    }
  }

  private static void assertWritesExplained(
      StoreProbe.UserChanges changes, Set<String> acceptedText, Exchange exchange) {
    Set<Long> explained = new HashSet<>();
    for (StoreProbe.User user : changes.touched()) {
      if (identifiers(user).anyMatch(acceptedText::contains)) {
        explained.add(user.id());
      }
    }
    Set<String> explainedEmails =
        changes.touched().stream()
            .filter(u -> explained.contains(u.id()))
            .map(StoreProbe.User::email)
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    for (StoreProbe.User user : changes.touched()) {
      assertThat(explained.contains(user.id()) || explainedEmails.contains(user.email()))
          .as("user %s was written, but no accepted object names it, after %s", user, exchange)
          .isTrue();
      if (changes.newUserIds().contains(user.id())) {
        Stream.of(user.externalId(), user.email(), user.phone())
            .filter(Objects::nonNull)
            .forEach(
                id ->
                    assertThat(acceptedText)
                        .as(
                            "identifier '%s' of new user %s comes from an accepted object of %s",
                            id, user, exchange)
                        .contains(id));
      }
    }
    Set<Long> touchedIds =
        changes.touched().stream().map(StoreProbe.User::id).collect(Collectors.toSet());
    for (StoreProbe.Activity activity : concat(changes.events(), changes.purchases())) {
      assertThat(acceptedText)
          .as("activity %s comes from an accepted object of %s", activity, exchange)
          .contains(activity.name());
      assertThat(touchedIds)
          .as("activity %s belongs to a user written by %s", activity, exchange)
          .contains(activity.userId());
    }
  }

  private static void assertAcceptedStored(
      ObjectNode body,
      Set<Position> rejected,
      StoreProbe.UserChanges changes,
      StoreProbe store,
      Exchange exchange) {
    Map<Long, String> externalIds =
        changes.touched().stream()
            .filter(u -> u.externalId() != null)
            .collect(Collectors.toMap(StoreProbe.User::id, StoreProbe.User::externalId));
    Set<String> events = activitiesByExternalId(changes.events(), externalIds);
    Set<String> purchases = activitiesByExternalId(changes.purchases(), externalIds);
    for (String array : ARRAYS) {
      JsonNode items = body.path(array);
      for (int i = 0; i < items.size(); i++) {
        if (rejected.contains(new Position(array, i)) || !items.get(i).isObject()) {
          continue;
        }
        JsonNode item = items.get(i);
        String externalId = creatingExternalId(item);
        if (externalId != null) {
          switch (array) {
            case "attributes" ->
                assertThat(store.existingExternalIds(List.of(externalId)))
                    .as(
                        "user '%s' of accepted %s[%d] exists after %s",
                        externalId, array, i, exchange)
                    .contains(externalId);
            case "events" ->
                assertThat(events)
                    .as("event %s[%d] is stored after %s", array, i, exchange)
                    .contains(externalId + "\n" + item.path("name").asText());
            default ->
                assertThat(purchases)
                    .as("purchase %s[%d] is stored after %s", array, i, exchange)
                    .contains(externalId + "\n" + item.path("product_id").asText());
          }
        }
        if (array.equals("attributes") && createsAlias(item)) {
          JsonNode alias = item.get("user_alias");
          assertThat(
                  store.aliasExists(
                      alias.get("alias_label").textValue(), alias.get("alias_name").textValue()))
              .as("alias of accepted %s[%d] exists after %s", array, i, exchange)
              .isTrue();
        }
      }
    }
  }

  /**
   * The external id an accepted object creates or reaches its user by, or null when it may not
   * create one.
   */
  private static String creatingExternalId(JsonNode item) {
    JsonNode externalId = item.get("external_id");
    if (externalId == null
        || !externalId.isTextual()
        || externalId.textValue().isEmpty()
        || externalId.textValue().getBytes(StandardCharsets.UTF_8).length > 987) {
      return null;
    }
    JsonNode updateOnly = item.get("_update_existing_only");
    return updateOnly != null && updateOnly.isBoolean() && updateOnly.booleanValue()
        ? null
        : externalId.textValue();
  }

  private static boolean createsAlias(JsonNode item) {
    JsonNode alias = item.get("user_alias");
    JsonNode updateOnly = item.get("_update_existing_only");
    return creatingExternalId(item) == null
        && (item.get("external_id") == null || item.get("external_id").isNull())
        && alias != null
        && alias.path("alias_name").isTextual()
        && alias.path("alias_label").isTextual()
        && updateOnly != null
        && updateOnly.isBoolean()
        && !updateOnly.booleanValue();
  }

  private static Set<String> activitiesByExternalId(
      List<StoreProbe.Activity> activities, Map<Long, String> externalIds) {
    return activities.stream()
        .filter(a -> externalIds.containsKey(a.userId()))
        .map(a -> externalIds.get(a.userId()) + "\n" + a.name())
        .collect(Collectors.toSet());
  }

  private static Stream<String> identifiers(StoreProbe.User user) {
    return Stream.concat(
            Stream.of(user.externalId(), user.email(), user.phone(), user.brazeId()),
            user.aliasNames().stream())
        .filter(Objects::nonNull);
  }

  /** Every string value and key anywhere in the objects. */
  private static Set<String> strings(List<ObjectNode> objects) {
    Set<String> strings = new HashSet<>();
    objects.forEach(object -> collect(object, strings));
    return strings;
  }

  private static void collect(JsonNode node, Set<String> strings) {
    if (node.isTextual()) {
      strings.add(node.textValue());
    }
    for (Map.Entry<String, JsonNode> member : node.properties()) {
      strings.add(member.getKey());
      collect(member.getValue(), strings);
    }
    if (node.isArray()) {
      node.forEach(item -> collect(item, strings));
    }
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
