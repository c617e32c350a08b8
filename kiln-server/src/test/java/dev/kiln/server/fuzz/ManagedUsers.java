package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.RunningKiln.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The users a try of a user management endpoint acts on, and the identifiers its bodies name them
 * by. Those endpoints delete, merge and rename users, so every try makes users of its own before
 * its body is sent ({@link #create}): their identifiers hold the try's tag {@code {T}}, and the
 * try's users are deleted again after it ({@link UserManagementTraces}), so no try meets another's.
 *
 * <ul>
 *   <li>{@code {T}-a}: identified; email {@link #EMAIL}, phone {@link #PHONE}, alias ({@code
 *       {T}-a-alias}, {@code fz}), deprecated external_id {@code {T}-old-a}, an event and a
 *       purchase; updated earliest.
 *   <li>{@code {T}-b}: identified; email {@link #EMAIL}, deprecated external_id {@code {T}-old-b},
 *       an event; updated second.
 *   <li>an alias-only user ({@code {T}-anon}, {@code fz}): email {@link #EMAIL}, phone {@link
 *       #PHONE}, an event and a purchase; updated last.
 * </ul>
 *
 * So an email names three users and a phone two, and each prioritization picks one of them, or
 * several (then nothing happens, edge case 33 of docs/braze-reference.md). Braze ids are
 * placeholders, {@code {BA}}, {@code {BB}} and {@code {BZ}}, filled in with the ids the server
 * gave. Every kind of identifier also comes naming nobody.
 */
final class ManagedUsers {
  static final String LABEL = TrackIdentities.ALIAS_LABEL;
  static final String A = "{T}-a";
  static final String B = "{T}-b";
  static final String OLD_A = "{T}-old-a";
  static final String OLD_B = "{T}-old-b";
  static final String A_ALIAS = "{T}-a-alias";
  static final String ANONYMOUS_ALIAS = "{T}-anon";
  static final String EMAIL = "{T}@fuzz.example";
  static final String PHONE = "+1555{T}";
  static final String NOBODY = "{T}-nobody";
  static final List<String> BRAZE_ID_PLACEHOLDERS = List.of("{BA}", "{BB}", "{BZ}");

  /** The one /users/track request that makes a try's users. */
  private static final String CREATE_BODY =
      """
      {"attributes":[
        {"external_id":"{T}-a","email":"{T}@fuzz.example","phone":"+1555{T}","first_name":"Ann","plan":"gold"},
        {"external_id":"{T}-b","email":"{T}@fuzz.example","last_name":"Lee","visits":3},
        {"user_alias":{"alias_name":"{T}-anon","alias_label":"fz"},"_update_existing_only":false,
         "email":"{T}@fuzz.example","phone":"+1555{T}","home_city":"Paris","plan":"silver"}],
       "events":[
        {"external_id":"{T}-a","name":"{T}-paid","time":"2022-03-04T05:06:07Z","properties":{"n":1}},
        {"external_id":"{T}-b","name":"{T}-seen","time":"2021-05-04T05:06:07Z"},
        {"user_alias":{"alias_name":"{T}-anon","alias_label":"fz"},"name":"{T}-seen","time":"2020-03-04T05:06:07Z"}],
       "purchases":[
        {"external_id":"{T}-a","product_id":"{T}-book","currency":"USD","price":12.5,"time":"2021-03-04T05:06:07Z"},
        {"user_alias":{"alias_name":"{T}-anon","alias_label":"fz"},"product_id":"{T}-pen","currency":"EUR","price":1,
         "quantity":2,"time":"2020-03-04T05:06:07Z"}]}""";

  private ManagedUsers() {}

  /**
   * Makes the try's users: one /users/track request, then what the API gives no other way to make
   * (an alias of an identified user, deprecated external_ids, distinct update times) written
   * straight to the store. Adds the braze id placeholders to the try's.
   *
   * @param above the largest user_id before: the try's users are the ones above it
   */
  static void create(FuzzServer server, Map<String, String> placeholders, long above) {
    String tag = placeholders.get(FuzzServer.TAG);
    Response created = server.post("/users/track", CREATE_BODY.replace(FuzzServer.TAG, tag));
    assertThat(created.status()).as("creating the try's users: %s", created.body()).isEqualTo(201);
    assertThat(created.json().has("errors"))
        .as("creating the try's users: %s", created.body())
        .isFalse();
    List<Long> ids = new ArrayList<>(List.of(0L, 0L, 0L)); // a, b, the alias-only user
    server
        .store()
        .userStates()
        .forEach(
            (id, user) -> {
              if (id > above) {
                int which =
                    user.externalId() == null ? 2 : user.externalId().endsWith("-a") ? 0 : 1;
                ids.set(which, id);
                placeholders.put(BRAZE_ID_PLACEHOLDERS.get(which), user.brazeId());
              }
            });
    assertThat(ids).as("the try's users").doesNotContain(0L);
    StoreProbe store = server.store();
    store.inOneTransaction(
        () -> {
          store.insertAlias(ids.get(0), LABEL, A_ALIAS.replace(FuzzServer.TAG, tag));
          store.insertDeprecatedExternalIds(
              Map.of(
                  ids.get(0),
                  OLD_A.replace(FuzzServer.TAG, tag),
                  ids.get(1),
                  OLD_B.replace(FuzzServer.TAG, tag)));
          store.backdate(Map.of(ids.get(0), 2_000L, ids.get(1), 1_000L));
        });
  }

  /**
   * Users no body names, made once per class: whatever a try does, they stay as they are. One has
   * an alias-only twin sharing nothing with the try's users but the alias label.
   */
  static Map<String, String> bystanders(FuzzServer server) {
    Response created =
        server.post(
            "/users/track",
            """
        {"attributes":[{"external_id":"bystander-0","email":"bystander@fuzz.example","phone":"+15550000001"},
          {"user_alias":{"alias_name":"bystander-anon","alias_label":"fz"},"_update_existing_only":false,
           "email":"bystander@fuzz.example"}],
         "events":[{"external_id":"bystander-0","name":"seen","time":"2021-03-04T05:06:07Z"}],
         "purchases":[{"external_id":"bystander-0","product_id":"book","currency":"USD","price":1,
           "time":"2021-03-04T05:06:07Z"}]}""");
    assertThat(created.status()).as("creating the bystanders: %s", created.body()).isEqualTo(201);
    server
        .store()
        .userStates()
        .forEach(
            (id, user) -> {
              if ("bystander-0".equals(user.externalId())) {
                server.store().insertDeprecatedExternalIds(Map.of(id, "bystander-old"));
              }
            });
    return Map.of();
  }

  /** External ids: primary, deprecated, and naming nobody. */
  static Gen<String> externalIds() {
    return Gen.frequency(
        Gen.weight(3, Gen.of(A, B)),
        Gen.weight(2, Gen.of(OLD_A, OLD_B)),
        Gen.weight(1, Gen.constant(NOBODY)));
  }

  /** External ids no user has yet, distinct within a try. */
  static Gen<String> newExternalIds() {
    return TrackIdentities.suffixes().map(suffix -> "{T}-new-" + suffix);
  }

  /** Aliases: held by the identified user, by the alias-only one, or by nobody. */
  static Gen<Doc> aliases() {
    return Gen.frequency(
        Gen.weight(3, Gen.constant(alias(ANONYMOUS_ALIAS, LABEL))),
        Gen.weight(2, Gen.constant(alias(A_ALIAS, LABEL))),
        Gen.weight(1, Gen.of(alias(NOBODY, LABEL), alias(ANONYMOUS_ALIAS, "other"))));
  }

  static Doc alias(String name, String label) {
    return Doc.Obj.of("alias_name", Doc.str(name), "alias_label", Doc.str(label));
  }

  /** The try's shared email, or one nobody has (one is a bystander's cut short). */
  static Gen<String> emails() {
    return Gen.frequency(
        Gen.weight(4, Gen.constant(EMAIL)),
        Gen.weight(1, Gen.of("{T}-nobody@fuzz.example", "bystander@fuzz.exampl")));
  }

  static Gen<String> phones() {
    return Gen.frequency(
        Gen.weight(4, Gen.constant(PHONE)), Gen.weight(1, Gen.constant("+1555{T}0")));
  }

  static Gen<String> brazeIds() {
    return Gen.frequency(
        Gen.weight(4, Gen.of(BRAZE_ID_PLACEHOLDERS)), Gen.weight(1, Gen.constant(NOBODY)));
  }

  /**
   * Valid prioritizations: one or two steps, at most one of identified/unidentified and one recency
   * (only {@code most_recently_updated} for /users/delete), in either order.
   */
  static Gen<Doc> prioritizations(boolean leastRecentAllowed) {
    Gen<String> kinds = Gen.of("identified", "unidentified");
    Gen<String> recencies =
        leastRecentAllowed
            ? Gen.of("most_recently_updated", "least_recently_updated")
            : Gen.constant("most_recently_updated");
    Gen<Integer> shapes = Gen.ints(0, 3);
    return random -> {
      String kind = kinds.next(random);
      String recency = recencies.next(random);
      List<String> steps =
          switch (shapes.next(random)) {
            case 0 -> List.of(kind);
            case 1 -> List.of(recency);
            case 2 -> List.of(kind, recency);
            default -> List.of(recency, kind);
          };
      return new Doc.Arr(steps.stream().map(Doc::str).toList());
    };
  }

  /**
   * Prioritizations a client gets wrong: empty, repeated, contradictory, misspelt, of the wrong
   * type.
   */
  static Gen<Doc> invalidPrioritizations(boolean leastRecentAllowed) {
    List<List<String>> wrong =
        new ArrayList<>(
            List.of(
                List.of(),
                List.of("identified", "unidentified"),
                List.of("most_recently_updated", "most_recently_updated"),
                List.of("identified", "identified"),
                List.of("most_recently_updated", "least_recently_updated"),
                List.of("Identified"),
                List.of("identified "),
                List.of("recently_updated"),
                List.of("")));
    if (!leastRecentAllowed) {
      wrong.add(List.of("least_recently_updated"));
      wrong.add(List.of("identified", "least_recently_updated"));
    }
    return Gen.frequency(
        Gen.weight(
            3, Gen.of(wrong).map(steps -> new Doc.Arr(steps.stream().map(Doc::str).toList()))),
        Gen.weight(
            1,
            Gen.of(
                Doc.str("identified"),
                Doc.Arr.of(Doc.num(1)),
                Doc.Arr.of(Doc.nul()),
                Doc.Obj.of(),
                Doc.nul())));
  }
}
