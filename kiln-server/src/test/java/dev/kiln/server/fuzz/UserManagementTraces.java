package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.fuzz.StoreProbe.UserState;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Property 3 (defined in {@link dev.kiln.server.fuzz}) for the user management endpoints: what a
 * try left in the store. Every try makes users of its own first ({@link ManagedUsers#create}, one
 * /users/track request plus a few rows written straight to the store), reads every user of the
 * store before and after its request ({@link StoreProbe#userStates}: identifiers, update time,
 * aliases, deprecated external_ids, counts of raw events and purchases), then deletes its users
 * again, so the store holds only the class's bystanders ({@link ManagedUsers#bystanders}) between
 * tries and the reads stay cheap. The try's users are the ones above the largest user_id before it:
 * the ones it made, and any its request made.
 *
 * <ul>
 *   <li>Whatever the answer: no row outlives its user (no alias, deprecated id, event or purchase
 *       of a user_id no user has), and the bystanders are exactly as they were.
 *   <li>A non-2xx answer changed nothing at all.
 *   <li>A 2xx changed what its endpoint may change, and its answer accounts for it ({@link
 *       Accounting}): /users/delete's {@code deleted} is the number of the try's users gone, and
 *       the users left are untouched; rename's {@code external_ids} are renames sent, whose old
 *       ids, and only those, became deprecated (a renamed user's old id among its deprecated ones);
 *       remove's {@code removed_ids} are the deprecated ids gone, and only those went; every error
 *       of theirs is {@code [index, text]} for an item sent, each item done or failed once; merge
 *       and identify create no user, remove at most one per item, lose or make no event or purchase
 *       row and make no alias, and a user that stays only gains (an external_id, email or phone it
 *       lacked, aliases) and keeps its deprecated ids; /users/alias/new answers {@code
 *       aliases_processed} for the aliases sent, creates at most that many users, each alias-only
 *       with one alias, and takes nothing from anyone; /users/alias/update only renames aliases.
 * </ul>
 */
final class UserManagementTraces {
  /**
   * Tries per endpoint. A try costs two requests and about a dozen reads and writes of the store,
   * several times a try of the other suites, so each endpoint gets fewer tries than {@link
   * FuzzSuite#TRIES}, to keep the seven endpoints of ITFuzzUserManagement within about two minutes
   * per backend.
   */
  static final int TRIES = 1_500;

  private UserManagementTraces() {}

  /** What a success of one endpoint must account for. */
  @FunctionalInterface
  interface Accounting {
    void check(Change change);
  }

  /**
   * A try's request and every user of the store before and after it, by user_id.
   *
   * @param mark the largest user_id before the try: the try's users are above it
   */
  record Change(
      FuzzSuite.Sent sent, long mark, Map<Long, UserState> before, Map<Long, UserState> after) {
    Map<Long, UserState> ownBefore() {
      return own(before);
    }

    Map<Long, UserState> ownAfter() {
      return own(after);
    }

    private Map<Long, UserState> own(Map<Long, UserState> users) {
      return new TreeMap<>(
          users.entrySet().stream()
              .filter(user -> user.getKey() > mark)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    Set<Long> gone() {
      Set<Long> gone = new TreeSet<>(ownBefore().keySet());
      gone.removeAll(after.keySet());
      return gone;
    }

    Set<Long> created() {
      Set<Long> created = new TreeSet<>(ownAfter().keySet());
      created.removeAll(before.keySet());
      return created;
    }

    ObjectNode body() {
      return sent.exchange()
          .sentObject()
          .orElseThrow(() -> new AssertionError("a success for a body that is not an object"));
    }

    JsonNode answer() {
      return sent.answer();
    }

    /**
     * The try's users before and after, for a failure's description (the failure report shows the
     * exchange).
     */
    @Override
    public String toString() {
      return "the try's request (answered "
          + sent.exchange().status()
          + "); its users (user_id above "
          + mark
          + ") before:\n  "
          + ownBefore()
          + "\nand after:\n  "
          + ownAfter();
    }
  }

  /**
   * Makes the try's users, sends its body, checks the common properties and, for a success, the
   * endpoint's {@code accounting}; then deletes the try's users, whatever happened.
   */
  static void check(FuzzSuite.Try thisTry, Accounting accounting) {
    FuzzServer server = FuzzSuite.server();
    StoreProbe store = server.store();
    long mark = store.marks().user();
    try {
      ManagedUsers.create(server, thisTry.placeholders(), mark);
      Map<Long, UserState> before = store.userStates();
      FuzzSuite.Sent sent = thisTry.send();
      Change change = new Change(sent, mark, before, store.userStates());
      change
          .after()
          .forEach(
              (id, user) ->
                  assertThat(user.stored())
                      .as("rows of user_id %d, which no user has, after %s", id, change)
                      .isTrue());
      assertThat(change.after().entrySet().stream().filter(user -> user.getKey() <= mark))
          .as("the bystanders after %s", change)
          .containsExactlyElementsOf(
              before.entrySet().stream().filter(user -> user.getKey() <= mark).toList());
      if (sent.exchange().status() >= 300) {
        assertThat(change.ownAfter())
            .as("a %d changes nothing, after %s", sent.exchange().status(), change)
            .isEqualTo(change.ownBefore());
      } else {
        accounting.check(change);
      }
    } finally {
      store.deleteUsersAbove(mark);
    }
  }

  /** /users/alias/new: adds aliases, and creates alias-only users, at most one per alias sent. */
  static void checkAliasNew(Change change) {
    int sent = change.body().path("user_aliases").size();
    assertThat(change.answer().path("aliases_processed").asInt(-1))
        .as("aliases_processed of %s", change)
        .isEqualTo(sent);
    assertThat(change.gone()).as("users gone after %s", change).isEmpty();
    assertThat(change.created().size()).as("users created by %s", change).isLessThanOrEqualTo(sent);
    for (long id : change.created()) {
      UserState user = change.after().get(id);
      assertThat(
              Arrays.asList(
                  user.externalId(),
                  user.email(),
                  user.phone(),
                  user.deprecatedIds(),
                  user.events(),
                  user.purchases(),
                  user.aliases().size()))
          .as("new user %d: alias-only, after %s", id, change)
          .isEqualTo(Arrays.asList(null, null, null, Set.of(), 0L, 0L, 1));
    }
    change
        .ownBefore()
        .forEach(
            (id, user) -> {
              UserState now = change.after().get(id);
              assertThat(now.aliases())
                  .as("aliases of user %d after %s", id, change)
                  .containsAll(user.aliases());
            });
    assertSameUsersKeeping(
        change,
        user ->
            Arrays.asList(
                user.brazeId(),
                user.externalId(),
                user.email(),
                user.phone(),
                user.deprecatedIds(),
                user.events(),
                user.purchases()),
        true);
  }

  /** /users/alias/update: renames aliases, nothing else. */
  static void checkAliasUpdate(Change change) {
    assertSameUsersKeeping(
        change,
        user ->
            Arrays.asList(
                user.brazeId(),
                user.externalId(),
                user.email(),
                user.phone(),
                user.deprecatedIds(),
                user.events(),
                user.purchases(),
                user.aliases().size()),
        false);
  }

  /** /users/identify: counts what it was sent, creates nobody, loses no activity. */
  static void checkIdentify(Change change) {
    ObjectNode body = change.body();
    assertThat(change.answer().path("aliases_processed").asInt(-1))
        .as("aliases_processed of %s", change)
        .isEqualTo(body.path("aliases_to_identify").size());
    for (String array : List.of("emails_to_identify", "phone_numbers_to_identify")) {
      String processed = array.replace("_to_identify", "_processed");
      if (body.hasNonNull(array)) {
        assertThat(change.answer().path(processed).asInt(-1))
            .as("%s of %s", processed, change)
            .isEqualTo(body.get(array).size());
      } else {
        assertThat(change.answer().has(processed))
            .as("%s for an array not sent, in %s", processed, change)
            .isFalse();
      }
    }
    int items =
        body.path("aliases_to_identify").size()
            + body.path("emails_to_identify").size()
            + body.path("phone_numbers_to_identify").size();
    assertMergesOnly(change, items);
  }

  /** /users/merge: creates nobody, loses no activity, removes at most one user per update. */
  static void checkMerge(Change change) {
    assertMergesOnly(change, change.body().path("merge_updates").size());
  }

  /**
   * /users/delete: {@code deleted} is the number of the try's users gone; the others are untouched.
   */
  static void checkDelete(Change change) {
    assertThat(change.created()).as("users created by %s", change).isEmpty();
    JsonNode deleted = change.answer().path("deleted");
    assertThat(deleted.isIntegralNumber() ? deleted.asLong() : null)
        .as("'deleted' of %s", change)
        .isEqualTo((long) change.gone().size());
    Map<Long, UserState> left = change.ownBefore();
    left.keySet().removeAll(change.gone());
    assertThat(change.ownAfter()).as("the users a delete leaves, after %s", change).isEqualTo(left);
  }

  /** /users/external_ids/rename: each rename answered deprecated its old id, and only those did. */
  static void checkRename(Change change) {
    assertItemized(change, "external_id_renames", "external_ids", "rename_errors");
    Set<String> renamed = new HashSet<>();
    for (JsonNode rename : change.answer().path("external_ids")) {
      assertThat(
              rename.path("current_external_id").isTextual()
                  && rename.path("new_external_id").isTextual())
          .as("a rename answered in %s", change)
          .isTrue();
      assertThat(change.body().path("external_id_renames"))
          .as("renames sent, against %s answered in %s", rename, change)
          .anyMatch(
              sent ->
                  sent.path("current_external_id").equals(rename.get("current_external_id"))
                      && sent.path("new_external_id").equals(rename.get("new_external_id")));
      renamed.add(rename.get("current_external_id").textValue());
    }
    Set<String> deprecatedBefore = deprecatedIds(change.ownBefore());
    Set<String> deprecatedAfter = deprecatedIds(change.ownAfter());
    assertThat(deprecatedAfter).as("deprecated ids after %s", change).containsAll(deprecatedBefore);
    deprecatedAfter.removeAll(deprecatedBefore);
    assertThat(deprecatedAfter)
        .as("ids newly deprecated, against the renames answered, after %s", change)
        .hasSameSizeAs(change.answer().path("external_ids"))
        .isEqualTo(renamed);
    assertSameUsersKeeping(
        change,
        user ->
            Arrays.asList(
                user.brazeId(),
                user.email(),
                user.phone(),
                user.aliases(),
                user.events(),
                user.purchases()),
        false);
    change
        .ownBefore()
        .forEach(
            (id, user) -> {
              if (!Objects.equals(user.externalId(), change.after().get(id).externalId())) {
                assertThat(change.after().get(id).deprecatedIds())
                    .as("deprecated ids of user %d, renamed by %s", id, change)
                    .contains(user.externalId());
              }
            });
  }

  /**
   * /users/external_ids/remove: {@code removed_ids} are the deprecated ids gone, and only those
   * went.
   */
  static void checkRemove(Change change) {
    assertItemized(change, "external_ids", "removed_ids", "removal_errors");
    Set<String> deprecatedAfter = deprecatedIds(change.ownAfter());
    Set<String> removed = deprecatedIds(change.ownBefore());
    assertThat(removed)
        .as("deprecated ids before, against after %s", change)
        .containsAll(deprecatedAfter);
    removed.removeAll(deprecatedAfter);
    JsonNode answered = change.answer().path("removed_ids");
    assertThat(removed)
        .as("deprecated ids gone, against removed_ids, after %s", change)
        .hasSameSizeAs(answered)
        .isEqualTo(strings(answered));
    assertSameUsersKeeping(
        change,
        user ->
            Arrays.asList(
                user.brazeId(),
                user.externalId(),
                user.email(),
                user.phone(),
                user.aliases(),
                user.events(),
                user.purchases()),
        false);
  }

  /**
   * Identify and merge: no user created, at most one removed per item, no event or purchase row
   * lost or made, no alias made; a user that stays only gains (an external_id, email or phone it
   * lacked, aliases) and keeps its deprecated ids.
   */
  private static void assertMergesOnly(Change change, int items) {
    assertThat(change.created()).as("users created by %s", change).isEmpty();
    assertThat(change.gone().size())
        .as("users merged away by %s", change)
        .isLessThanOrEqualTo(items);
    assertThat(totals(change.ownAfter()))
        .as("event and purchase rows of the try's users after %s", change)
        .isEqualTo(totals(change.ownBefore()));
    assertThat(aliases(change.ownBefore()))
        .as("aliases before, against after %s", change)
        .containsAll(aliases(change.ownAfter()));
    change
        .ownAfter()
        .forEach(
            (id, user) -> {
              UserState was = change.before().get(id);
              assertThat(user.aliases())
                  .as("aliases of user %d after %s", id, change)
                  .containsAll(was.aliases());
              assertThat(Arrays.asList(user.brazeId(), user.deprecatedIds()))
                  .as("user %d after %s", id, change)
                  .isEqualTo(Arrays.asList(was.brazeId(), was.deprecatedIds()));
              for (Function<UserState, String> identifier :
                  List.<Function<UserState, String>>of(
                      UserState::externalId, UserState::email, UserState::phone)) {
                if (identifier.apply(was) != null) {
                  assertThat(identifier.apply(user))
                      .as("an identifier user %d had, after %s", id, change)
                      .isEqualTo(identifier.apply(was));
                }
              }
            });
  }

  /**
   * The try's users are the same ones after (besides those a new alias created, when {@code
   * mayCreate}) and keep what {@code kept} reads of them.
   */
  private static void assertSameUsersKeeping(
      Change change, Function<UserState, List<Object>> kept, boolean mayCreate) {
    Map<Long, UserState> after = change.ownAfter();
    if (mayCreate) {
      after.keySet().removeAll(change.created());
    }
    assertThat(after.keySet())
        .as("the try's users after %s", change)
        .isEqualTo(change.ownBefore().keySet());
    change
        .ownBefore()
        .forEach(
            (id, user) ->
                assertThat(kept.apply(after.get(id)))
                    .as("what user %d keeps after %s", id, change)
                    .isEqualTo(kept.apply(user)));
  }

  /**
   * Rename and remove: every item is done or has one error, {@code [index, text]} with the index of
   * an item sent.
   */
  private static void assertItemized(Change change, String array, String done, String errors) {
    int sent = change.body().path(array).size();
    JsonNode doneItems = change.answer().path(done);
    JsonNode errorItems = change.answer().path(errors);
    assertThat(doneItems.isArray() && errorItems.isArray())
        .as("'%s' and '%s' arrays in %s", done, errors, change)
        .isTrue();
    Set<Integer> indexes = new HashSet<>();
    for (JsonNode error : errorItems) {
      assertThat(
              error.isArray()
                  && error.size() == 2
                  && error.get(0).isInt()
                  && error.get(1).isTextual())
          .as("%s entry %s is [index, text], in %s", errors, error, change)
          .isTrue();
      assertThat(error.get(0).intValue())
          .as("index of %s in %s", error, change)
          .isBetween(0, sent - 1);
      assertThat(indexes.add(error.get(0).intValue()))
          .as("index of %s named once in %s", error, change)
          .isTrue();
    }
    assertThat(doneItems.size() + errorItems.size())
        .as("items done and failed, against %d sent, in %s", sent, change)
        .isEqualTo(sent);
  }

  private static Set<String> deprecatedIds(Map<Long, UserState> users) {
    return users.values().stream()
        .flatMap(user -> user.deprecatedIds().stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<StoreProbe.Alias> aliases(Map<Long, UserState> users) {
    return users.values().stream()
        .flatMap(user -> user.aliases().stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<Long> totals(Map<Long, UserState> users) {
    return List.of(
        users.values().stream().mapToLong(UserState::events).sum(),
        users.values().stream().mapToLong(UserState::purchases).sum());
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> strings = new TreeSet<>();
    array.forEach(
        item -> strings.add(Objects.requireNonNullElse(item.textValue(), item.toString())));
    return strings;
  }
}
