package dev.kiln.server.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Bodies of the user management endpoints (docs/user-management.md), naming the try's users of
 * {@link ManagedUsers} by every kind of identifier, and users nobody is. Each endpoint's body is
 * described once, as objects of members ({@link #object}) and arrays of items ({@link #array}), and
 * drawn in one of two modes: {@link Mode#VALID}, as the endpoint takes it (1 to 4 items, now and
 * then exactly 50), and {@link Mode#EXOTIC}, of the same shape with any member missing now and
 * then, any value exotic ({@link Exotic#or}, at every level), unknown members, and arrays that are
 * empty, of 50 or 51 items, mixed with non-objects, or not arrays.
 */
final class UserManagementBodies {
  /** How a body is drawn. */
  enum Mode {
    VALID,
    EXOTIC
  }

  /** How often an exotic body leaves out a member the endpoint needs. */
  private static final double EXOTIC_PRESENCE = 0.92;

  /** How often an exotic object has a member the endpoint does not know. */
  private static final double UNKNOWN_MEMBER = 0.15;

  private UserManagementBodies() {}

  /**
   * A member of an object: its key, the values the endpoint takes, how often a valid body has it.
   */
  private record Member(String key, Gen<? extends Doc> value, double presence) {}

  private static Member member(String key, Gen<? extends Doc> value) {
    return new Member(key, value, 1);
  }

  private static Member optional(String key, Gen<? extends Doc> value, double presence) {
    return new Member(key, value, presence);
  }

  static Gen<Doc> validAliasNew() {
    return aliasNew(Mode.VALID);
  }

  static Gen<Doc> exoticAliasNew() {
    return aliasNew(Mode.EXOTIC);
  }

  static Gen<Doc> validAliasUpdate() {
    return aliasUpdate(Mode.VALID);
  }

  static Gen<Doc> exoticAliasUpdate() {
    return aliasUpdate(Mode.EXOTIC);
  }

  static Gen<Doc> validIdentify() {
    return identify(Mode.VALID);
  }

  static Gen<Doc> exoticIdentify() {
    return identify(Mode.EXOTIC);
  }

  static Gen<Doc> validMerge() {
    return merge(Mode.VALID);
  }

  static Gen<Doc> exoticMerge() {
    return merge(Mode.EXOTIC);
  }

  static Gen<Doc> validDelete() {
    return delete(Mode.VALID);
  }

  static Gen<Doc> exoticDelete() {
    return delete(Mode.EXOTIC);
  }

  static Gen<Doc> validRename() {
    return rename(Mode.VALID);
  }

  static Gen<Doc> exoticRename() {
    return rename(Mode.EXOTIC);
  }

  static Gen<Doc> validRemove() {
    return remove(Mode.VALID);
  }

  static Gen<Doc> exoticRemove() {
    return remove(Mode.EXOTIC);
  }

  /**
   * New aliases for the try's users (by primary, deprecated or unknown external_id) and for new
   * alias-only users.
   */
  private static Gen<Doc> aliasNew(Mode mode) {
    Gen<Doc> names =
        Gen.frequency(
                Gen.weight(3, TrackIdentities.suffixes().map(suffix -> "{T}-alias-" + suffix)),
                Gen.weight(1, Gen.of(ManagedUsers.ANONYMOUS_ALIAS, ManagedUsers.A_ALIAS)))
            .map(Doc::str);
    Gen<Doc> labels = Gen.of(ManagedUsers.LABEL, "other", "{T}").map(Doc::str);
    Function<Mode, Gen<Doc>> item =
        itemMode ->
            object(
                itemMode,
                member("alias_name", names),
                member("alias_label", labels),
                optional("external_id", ManagedUsers.externalIds().map(Doc::str), 0.5));
    return object(mode, member("user_aliases", array(mode, item)));
  }

  /** Renames of the try's aliases, of aliases nobody holds, and to names another user holds. */
  private static Gen<Doc> aliasUpdate(Mode mode) {
    Gen<Doc> labels =
        Gen.frequency(
                Gen.weight(4, Gen.constant(ManagedUsers.LABEL)),
                Gen.weight(1, Gen.constant("other")))
            .map(Doc::str);
    Gen<Doc> oldNames =
        Gen.of(ManagedUsers.ANONYMOUS_ALIAS, ManagedUsers.A_ALIAS, ManagedUsers.NOBODY)
            .map(Doc::str);
    Gen<Doc> newNames =
        Gen.frequency(
                Gen.weight(3, TrackIdentities.suffixes().map(suffix -> "{T}-renamed-" + suffix)),
                Gen.weight(1, Gen.of(ManagedUsers.ANONYMOUS_ALIAS, ManagedUsers.A_ALIAS)))
            .map(Doc::str);
    Function<Mode, Gen<Doc>> item =
        itemMode ->
            object(
                itemMode,
                member("alias_label", labels),
                member("old_alias_name", oldNames),
                member("new_alias_name", newNames));
    return object(mode, member("alias_updates", array(mode, item)));
  }

  /**
   * Aliases, emails and phones identified as the try's users, their deprecated ids, or new
   * external_ids.
   */
  private static Gen<Doc> identify(Mode mode) {
    Gen<Doc> externalIds =
        Gen.frequency(
                Gen.weight(2, ManagedUsers.externalIds()),
                Gen.weight(1, ManagedUsers.newExternalIds()))
            .map(Doc::str);
    Function<Mode, Gen<Doc>> aliases =
        itemMode ->
            object(
                itemMode,
                member("external_id", externalIds),
                member("user_alias", alias(itemMode)));
    Function<Mode, Gen<Doc>> emails =
        itemMode ->
            object(
                itemMode,
                member("external_id", externalIds),
                member("email", ManagedUsers.emails().map(Doc::str)),
                member("prioritization", prioritization(itemMode, true)));
    Function<Mode, Gen<Doc>> phones =
        itemMode ->
            object(
                itemMode,
                member("external_id", externalIds),
                member("phone", ManagedUsers.phones().map(Doc::str)),
                member("prioritization", prioritization(itemMode, true)));
    return arrays(
        mode,
        List.of(
            Map.entry("aliases_to_identify", aliases),
            Map.entry("emails_to_identify", emails),
            Map.entry("phone_numbers_to_identify", phones)));
  }

  /**
   * Merges between the try's users named any way, of a user into itself, and of users nobody is; no
   * updates at all too.
   */
  private static Gen<Doc> merge(Mode mode) {
    Function<Mode, Gen<Doc>> updates =
        itemMode ->
            object(
                itemMode,
                member("identifier_to_merge", identifier(itemMode)),
                member("identifier_to_keep", identifier(itemMode)));
    Gen<Doc> someUpdates =
        Gen.frequency(
            Gen.weight(12, array(mode, updates)), Gen.weight(1, Gen.constant(Doc.Arr.of())));
    return object(mode, member("merge_updates", someUpdates));
  }

  /**
   * A merge identifier: exactly one of the four kinds; when exotic, sometimes two kinds or none.
   */
  private static Gen<Doc> identifier(Mode mode) {
    Gen<Doc> one =
        Gen.oneOf(
            object(mode, member("external_id", ManagedUsers.externalIds().map(Doc::str))),
            object(mode, member("user_alias", alias(mode))),
            object(
                mode,
                member("email", ManagedUsers.emails().map(Doc::str)),
                member("prioritization", prioritization(mode, true))),
            object(
                mode,
                member("phone", ManagedUsers.phones().map(Doc::str)),
                member("prioritization", prioritization(mode, true))));
    if (mode == Mode.VALID) {
      return one;
    }
    Gen<Doc> valid = identifier(Mode.VALID);
    Gen<Doc> twoKinds =
        random -> {
          List<Map.Entry<String, Doc>> members =
              new ArrayList<>(((Doc.Obj) valid.next(random)).members());
          members.addAll(((Doc.Obj) valid.next(random)).members());
          return new Doc.Obj(members);
        };
    return Gen.frequency(
        Gen.weight(8, one),
        Gen.weight(1, twoKinds),
        Gen.weight(
            1,
            Gen.of(
                Doc.Obj.of(),
                Doc.Obj.of("external_id", Doc.nul()),
                Doc.Obj.of("braze_id", Doc.str("{BA}")))));
  }

  /** Deletes of the try's users by every kind of identifier, mixed in one request. */
  private static Gen<Doc> delete(Mode mode) {
    Function<Mode, Gen<Doc>> externalIds =
        itemMode -> value(itemMode, ManagedUsers.externalIds().map(Doc::str));
    Function<Mode, Gen<Doc>> brazeIds =
        itemMode -> value(itemMode, ManagedUsers.brazeIds().map(Doc::str));
    Function<Mode, Gen<Doc>> emails =
        itemMode ->
            object(
                itemMode,
                member("email", ManagedUsers.emails().map(Doc::str)),
                member("prioritization", prioritization(itemMode, false)));
    Function<Mode, Gen<Doc>> phones =
        itemMode ->
            object(
                itemMode,
                member("phone", ManagedUsers.phones().map(Doc::str)),
                member("prioritization", prioritization(itemMode, false)));
    return arrays(
        mode,
        List.of(
            Map.entry("external_ids", externalIds),
            Map.entry("user_aliases", UserManagementBodies::alias),
            Map.entry("braze_ids", brazeIds),
            Map.entry("email_addresses", emails),
            Map.entry("phone_numbers", phones)));
  }

  /**
   * Renames of primary, deprecated and unknown external_ids, to new ids, taken ones, themselves,
   * and ids at the byte limit; {@code {T}-renamed} is both a new id and a current one, so a request
   * can rename a user twice.
   */
  private static Gen<Doc> rename(Mode mode) {
    String twice = "{T}-renamed";
    Gen<Integer> boundaryBytes = Gen.of(987, 988);
    int tagged = "{T}-".replace(FuzzServer.TAG, "fz000000").length();
    Gen<String> longIds = boundaryBytes.map(bytes -> "{T}-" + "x".repeat(bytes - tagged));
    Gen<Doc> newIds =
        Gen.frequency(
                Gen.weight(6, ManagedUsers.newExternalIds()),
                Gen.weight(2, ManagedUsers.externalIds()),
                Gen.weight(1, longIds),
                Gen.weight(1, Gen.constant(twice)))
            .map(Doc::str);
    Gen<Doc> currentIds =
        Gen.frequency(Gen.weight(6, ManagedUsers.externalIds()), Gen.weight(1, Gen.constant(twice)))
            .map(Doc::str);
    Function<Mode, Gen<Doc>> item =
        itemMode ->
            object(
                itemMode,
                member("current_external_id", currentIds),
                member("new_external_id", newIds));
    return object(mode, member("external_id_renames", array(mode, item)));
  }

  /**
   * Removals of the try's deprecated ids (twice now and then), of primary ones and of unknown ones.
   */
  private static Gen<Doc> remove(Mode mode) {
    Gen<Doc> ids =
        Gen.frequency(
                Gen.weight(3, Gen.of(ManagedUsers.OLD_A, ManagedUsers.OLD_B)),
                Gen.weight(1, ManagedUsers.externalIds()))
            .map(Doc::str);
    return object(mode, member("external_ids", array(mode, itemMode -> value(itemMode, ids))));
  }

  /**
   * An alias object naming a try's user or nobody; when exotic, its name and label may be anything.
   */
  private static Gen<Doc> alias(Mode mode) {
    Gen<Doc> valid = ManagedUsers.aliases();
    if (mode == Mode.VALID) {
      return valid;
    }
    Gen<Doc> names = Gen.of(ManagedUsers.ANONYMOUS_ALIAS, ManagedUsers.A_ALIAS).map(Doc::str);
    return Gen.frequency(
        Gen.weight(1, valid),
        Gen.weight(
            1,
            object(
                mode,
                member("alias_name", names),
                member("alias_label", Gen.constant(Doc.str(ManagedUsers.LABEL))))));
  }

  /**
   * A prioritization: valid, rarely a wrong one in a valid body (which makes it a 400); often wrong
   * in an exotic one.
   */
  private static Gen<Doc> prioritization(Mode mode, boolean leastRecentAllowed) {
    return Gen.frequency(
        Gen.weight(mode == Mode.VALID ? 30 : 3, ManagedUsers.prioritizations(leastRecentAllowed)),
        Gen.weight(
            mode == Mode.VALID ? 1 : 2, ManagedUsers.invalidPrioritizations(leastRecentAllowed)));
  }

  /** A value as the endpoint takes it, or now and then (when exotic) anything. */
  private static Gen<Doc> value(Mode mode, Gen<? extends Doc> valid) {
    return mode == Mode.VALID ? valid.map(Doc.class::cast) : Exotic.or(valid);
  }

  /**
   * An object of the members, each present as often as it says; when exotic, a member the endpoint
   * needs is missing now and then, every value may be exotic, and an unknown member comes now and
   * then.
   */
  private static Gen<Doc> object(Mode mode, Member... members) {
    List<Member> drawn =
        List.of(members).stream()
            .map(
                m ->
                    mode == Mode.VALID
                        ? m
                        : new Member(
                            m.key(),
                            value(mode, m.value()),
                            Math.min(m.presence(), EXOTIC_PRESENCE)))
            .toList();
    Gen<Map.Entry<String, Doc>> unknown = Exotic.members();
    return random -> {
      List<Map.Entry<String, Doc>> present = new ArrayList<>();
      for (Member m : drawn) {
        if (m.presence() >= 1 || random.nextDouble() < m.presence()) {
          present.add(Map.entry(m.key(), m.value().next(random)));
        }
      }
      if (mode == Mode.EXOTIC && random.nextDouble() < UNKNOWN_MEMBER) {
        present.add(unknown.next(random));
      }
      return new Doc.Obj(present);
    };
  }

  /**
   * An array of 1 to 4 items, now and then exactly 50; when exotic, also an empty one, 50 or 51
   * valid items (so the count is what is tested), items among other values, or anything.
   */
  private static Gen<Doc> array(Mode mode, Function<Mode, Gen<Doc>> items) {
    Gen<Doc> drawn = items.apply(mode);
    Gen<Doc> usual =
        Gen.frequency(Gen.weight(12, drawn.list(1, 4)), Gen.weight(1, drawn.list(50, 50)))
            .map(Doc.Arr::new);
    if (mode == Mode.VALID) {
      return usual;
    }
    Gen<List<Doc>> atTheLimit = items.apply(Mode.VALID).list(50, 51);
    Gen<Doc> others = Gen.oneOf(Exotic.scalars(), Gen.constant(Doc.Arr.of()));
    Gen<Doc> mixed =
        random -> {
          List<Doc> some = new ArrayList<>(drawn.list(1, 3).next(random));
          some.add(random.nextInt(some.size() + 1), others.next(random));
          return new Doc.Arr(some);
        };
    return Gen.frequency(
        Gen.weight(10, usual),
        Gen.weight(1, Gen.constant(Doc.Arr.of())),
        Gen.weight(1, atTheLimit.map(Doc.Arr::new)),
        Gen.weight(1, mixed),
        Gen.weight(1, Exotic.anything()));
  }

  /**
   * A body of several optional arrays (identify, delete), at least one of them given. Valid: 1 to 4
   * items in all, now and then exactly 50, each of a kind drawn at random, and now and then an
   * empty array of a kind not drawn. Exotic: each array of its own, given or not.
   */
  private static Gen<Doc> arrays(
      Mode mode, List<Map.Entry<String, Function<Mode, Gen<Doc>>>> kinds) {
    if (mode == Mode.EXOTIC) {
      return object(
          mode,
          kinds.stream()
              .map(kind -> optional(kind.getKey(), array(mode, kind.getValue()), 0.5))
              .toArray(Member[]::new));
    }
    List<Gen<Doc>> items = kinds.stream().map(kind -> kind.getValue().apply(Mode.VALID)).toList();
    Gen<Integer> counts =
        Gen.frequency(Gen.weight(12, Gen.ints(1, 4)), Gen.weight(1, Gen.constant(50)));
    return random -> {
      Map<String, List<Doc>> given = new LinkedHashMap<>();
      for (int i = counts.next(random); i > 0; i--) {
        int kind = random.nextInt(kinds.size());
        given
            .computeIfAbsent(kinds.get(kind).getKey(), key -> new ArrayList<>())
            .add(items.get(kind).next(random));
      }
      List<Map.Entry<String, Doc>> members = new ArrayList<>();
      for (Map.Entry<String, Function<Mode, Gen<Doc>>> kind : kinds) {
        List<Doc> these =
            given.getOrDefault(kind.getKey(), random.nextInt(8) == 0 ? List.of() : null);
        if (these != null) {
          members.add(Map.entry(kind.getKey(), new Doc.Arr(Collections.unmodifiableList(these))));
        }
      }
      return new Doc.Obj(members);
    };
  }
}
