package dev.kiln.server.fuzz;

import java.util.List;

/**
 * Who a /users/track object names (docs/braze-reference.md sections 2.2 and 2.3): a user of the
 * try's own, whose identifiers hold the placeholder {@code {T}} (filled in with the try's tag when
 * sent, so what a try stores can be told from what earlier tries stored), one of the users {@link
 * Fixtures#seedUsers} creates, or an identifier gotten wrong.
 */
final class TrackIdentities {
  static final List<String> SEED_EXTERNAL_IDS = List.of("seed-0", "seed-1", "seed-2");
  static final String SEED_EMAIL = "seed@fz.example";
  static final String SEED_PHONE = "+15550000000";
  static final String SEED_ALIAS_NAME = "seed-alias";
  static final String ALIAS_LABEL = "fz";

  private static final List<String> IDENTITY_KEYS =
      List.of("external_id", "user_alias", "braze_id", "email", "phone");

  private TrackIdentities() {}

  /** A user of this try's own, or a seeded user. */
  static Gen<Doc.Obj> valid() {
    Gen<String> suffixes = suffixes();
    return Gen.frequency(
        Gen.weight(8, suffixes.map(s -> Doc.Obj.of("external_id", Doc.str("{T}-" + s)))),
        Gen.weight(
            2,
            suffixes.map(
                s ->
                    Doc.Obj.of(
                        "user_alias",
                        alias("{T}-" + s),
                        "_update_existing_only",
                        Doc.bool(false)))),
        Gen.weight(1, suffixes.map(s -> Doc.Obj.of("user_alias", alias("{T}-" + s)))),
        Gen.weight(2, suffixes.map(s -> Doc.Obj.of("email", Doc.str("{T}-" + s + "@fz.example")))),
        Gen.weight(1, suffixes.map(s -> Doc.Obj.of("phone", Doc.str("+1{T}" + s)))),
        Gen.weight(1, suffixes.map(s -> Doc.Obj.of("braze_id", Doc.str("{T}-" + s)))),
        Gen.weight(
            1,
            suffixes.map(
                s ->
                    Doc.Obj.of(
                        "external_id",
                        Doc.str("{T}-" + s),
                        "_update_existing_only",
                        Doc.bool(true)))),
        Gen.weight(2, seeded()));
  }

  /**
   * Events and purchases with an alias only update existing users, so they name a seeded alias too.
   */
  static Gen<Doc.Obj> validForActivities() {
    return Gen.frequency(
        Gen.weight(9, valid()),
        Gen.weight(1, Gen.constant(Doc.Obj.of("user_alias", alias(SEED_ALIAS_NAME)))));
  }

  private static Gen<Doc.Obj> seeded() {
    return Gen.oneOf(
        Gen.of(SEED_EXTERNAL_IDS).map(id -> Doc.Obj.of("external_id", Doc.str(id))),
        Gen.constant(Doc.Obj.of("email", Doc.str(SEED_EMAIL))),
        Gen.constant(Doc.Obj.of("phone", Doc.str(SEED_PHONE))),
        Gen.constant(Doc.Obj.of("user_alias", alias(SEED_ALIAS_NAME))));
  }

  /** Valid identities, and every way of getting one wrong. */
  static Gen<Doc.Obj> exotic() {
    Gen<String> identityKeys = Gen.of(IDENTITY_KEYS);
    Gen<Doc> anything = Exotic.anything();
    Gen<Doc.Obj> valid = valid();
    Gen<Doc.Obj> wrongValue =
        random -> Doc.Obj.of(identityKeys.next(random), anything.next(random));
    Gen<Doc.Obj> twoPrimaries =
        suffixes()
            .map(
                s ->
                    Doc.Obj.of(
                        "external_id", Doc.str("{T}-" + s), "braze_id", Doc.str("{T}-b" + s)));
    Gen<Doc.Obj> oddAlias =
        random ->
            Doc.Obj.of(
                "user_alias",
                Doc.Obj.of(
                    "alias_name", anything.next(random), "alias_label", anything.next(random)));
    Gen<Doc.Obj> oddFlag =
        random ->
            valid
                .next(random)
                .without("_update_existing_only")
                .with("_update_existing_only", anything.next(random));
    return Gen.frequency(
        Gen.weight(6, valid),
        Gen.weight(4, wrongValue),
        Gen.weight(1, Gen.constant(Doc.Obj.of())),
        Gen.weight(1, twoPrimaries),
        Gen.weight(2, oddAlias),
        Gen.weight(1, oddFlag));
  }

  private static Doc alias(String name) {
    return Doc.Obj.of("alias_name", Doc.str(name), "alias_label", Doc.str(ALIAS_LABEL));
  }

  /** Distinguishes the objects of one try; {@code {T}} distinguishes the tries. */
  static Gen<String> suffixes() {
    return Gen.strings(Gen.chars('a', 'z'), 4, 4);
  }
}
