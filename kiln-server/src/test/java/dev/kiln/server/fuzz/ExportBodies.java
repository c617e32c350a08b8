package dev.kiln.server.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bodies of {@code /users/export/segment} (docs/braze-reference.md section 8) and {@code
 * /users/export/ids} (section 7). Export segment ids are placeholders: {@code {E0}}..{@code {E3}}
 * fixture segments that match no user (so an accepted export is cheap), {@code {A}} an archived
 * segment, {@code {U}} an id no segment has. Callback endpoints only ever name loopback addresses,
 * which the server refuses by default, so no callback can leave the machine (the test also checks
 * every body it sends).
 */
final class ExportBodies {
  static final List<String> EXPORT_SEGMENTS = List.of("{E0}", "{E1}", "{E2}", "{E3}");

  private static final List<String> FIELDS =
      List.of(
          "created_at",
          "external_id",
          "user_aliases",
          "braze_id",
          "random_bucket",
          "first_name",
          "email",
          "country",
          "custom_attributes",
          "custom_events",
          "purchases",
          "devices",
          "campaigns_received",
          "last_coordinates",
          "total_revenue");
  private static final List<String> WRONG_FIELDS =
      List.of("", "External_id", "password", "custom_attributes ", "*", "😀");
  private static final List<String> CALLBACKS =
      List.of(
          "http://127.0.0.1:1/callback",
          "https://127.0.0.1/x?y=z",
          "http://[::1]:9/",
          "http://127.255.255.254/",
          "ftp://127.0.0.1/",
          "http://",
          "://",
          "127.0.0.1",
          "http:///x",
          "http://user:secret@127.0.0.1/",
          "http://127.0.0.1:99999/",
          "http://127.0.0.1/a b",
          "http://127.0.0.1/%zz",
          "",
          "javascript:alert(1)",
          "file:///etc/passwd",
          "http://127.0.0.1/" + "a".repeat(2040),
          "HTTP://127.0.0.1/");

  private ExportBodies() {}

  static Gen<Doc> validExportSegment() {
    Gen<String> ids = Gen.of(EXPORT_SEGMENTS);
    Gen<Optional<Doc>> fields = fieldLists(FIELDS).optional(0.5);
    Gen<Optional<List<String>>> customAttributes =
        Gen.strings(Gen.chars(Gen.ALPHA), 0, 6).list(0, 3).optional(0.3);
    Gen<Optional<String>> formats = Gen.of("zip", "gzip").optional(0.5);
    return random ->
        Doc.Obj.ofPresent(
            List.of(
                Optional.of(Map.entry("segment_id", Doc.str(ids.next(random)))),
                fields.next(random).map(f -> Map.entry("fields_to_export", f)),
                customAttributes
                    .next(random)
                    .map(names -> Map.entry("custom_attributes_to_export", texts(names))),
                formats.next(random).map(f -> Map.entry("output_format", Doc.str(f)))));
  }

  static Gen<Doc> exoticExportSegment() {
    Gen<Doc> ids =
        Gen.frequency(
                Gen.weight(4, Gen.of(EXPORT_SEGMENTS)),
                Gen.weight(1, Gen.of("{A}", "{U}", "", " ")))
            .map(Doc::str);
    Gen<Doc> customAttributes =
        Gen.frequency(
            Gen.weight(4, Exotic.texts().list(0, 3).map(ExportBodies::texts)),
            Gen.weight(1, Gen.of(500, 501).map(n -> texts(Collections.nCopies(n, "attr")))));
    Gen<Optional<Doc>> someIds = Exotic.or(ids).optional(0.9);
    Gen<Optional<Doc>> fields = Exotic.or(fieldLists(allFields())).optional(0.5);
    Gen<Optional<Doc>> names = Exotic.or(customAttributes).optional(0.3);
    Gen<Optional<Doc>> formats =
        Exotic.or(Gen.of("zip", "gzip", "ZIP", "tar", "").map(Doc::str)).optional(0.3);
    Gen<Optional<Doc>> callbacks = Exotic.or(Gen.of(CALLBACKS).map(Doc::str)).optional(0.3);
    Gen<Optional<Map.Entry<String, Doc>>> extra = extra();
    return random ->
        Doc.Obj.ofPresent(
            List.of(
                someIds.next(random).map(i -> Map.entry("segment_id", i)),
                fields.next(random).map(f -> Map.entry("fields_to_export", f)),
                names.next(random).map(n -> Map.entry("custom_attributes_to_export", n)),
                formats.next(random).map(f -> Map.entry("output_format", f)),
                callbacks.next(random).map(c -> Map.entry("callback_endpoint", c)),
                extra.next(random)));
  }

  static Gen<Doc> validExportIds() {
    Gen<Doc> externalIds =
        Gen.of("seed-0", "seed-1", "{T}-nobody").list(1, 3).map(ExportBodies::texts);
    Gen<Optional<Doc>> fields = fieldLists(FIELDS).optional(0.5);
    Gen<String> contacts = Gen.of("email_address", "phone", "braze_id", "none");
    return random -> {
      Doc ids = externalIds.next(random);
      Optional<Doc> someFields = fields.next(random);
      String contact = contacts.next(random);
      return Doc.Obj.ofPresent(
          List.of(
              Optional.of(Map.entry("external_ids", ids)),
              someFields.map(f -> Map.entry("fields_to_export", f)),
              switch (contact) {
                case "email_address" ->
                    Optional.of(Map.entry(contact, Doc.str(TrackIdentities.SEED_EMAIL)));
                case "phone" ->
                    Optional.of(Map.entry(contact, Doc.str(TrackIdentities.SEED_PHONE)));
                case "braze_id" -> Optional.of(Map.entry(contact, Doc.str("{T}-unknown")));
                default -> Optional.empty();
              }));
    };
  }

  static Gen<Doc> exoticExportIds() {
    Gen<String> id =
        Gen.frequency(
            Gen.weight(2, Gen.of("seed-0", "seed-2", "{T}-nobody")), Gen.weight(3, Exotic.texts()));
    Gen<Doc> externalIds =
        Gen.frequency(
            Gen.weight(4, id.list(0, 4).map(ExportBodies::texts)),
            Gen.weight(1, Gen.of(50, 51).map(n -> texts(Collections.nCopies(n, "seed-1")))),
            Gen.weight(1, Exotic.anything().list(0, 3).map(Doc.Arr::new)));
    Gen<Doc> anything = Exotic.anything();
    Gen<Doc> alias =
        Gen.frequency(
            Gen.weight(
                2,
                Gen.constant(
                    Doc.Obj.of(
                        "alias_name",
                        Doc.str(TrackIdentities.SEED_ALIAS_NAME),
                        "alias_label",
                        Doc.str(TrackIdentities.ALIAS_LABEL)))),
            Gen.weight(
                2,
                random ->
                    Doc.Obj.of(
                        "alias_name", anything.next(random), "alias_label", anything.next(random))),
            Gen.weight(1, anything));
    Gen<Optional<Doc>> someIds = Exotic.or(externalIds).optional(0.7);
    Gen<Optional<Doc>> aliases = Exotic.or(alias.list(0, 3).map(Doc.Arr::new)).optional(0.3);
    Gen<Optional<Map.Entry<String, Doc>>> brazeId =
        contact("braze_id", Gen.constant("{T}-unknown"));
    Gen<Optional<Map.Entry<String, Doc>>> deviceId = contact("device_id", Gen.constant("device-1"));
    Gen<Optional<Map.Entry<String, Doc>>> email =
        contact("email_address", Gen.of(TrackIdentities.SEED_EMAIL, "a@b.co"));
    Gen<Optional<Map.Entry<String, Doc>>> phone =
        contact("phone", Gen.of(TrackIdentities.SEED_PHONE, "+1"));
    Gen<Optional<Doc>> fields = Exotic.or(fieldLists(allFields())).optional(0.5);
    Gen<Optional<Map.Entry<String, Doc>>> extra = extra();
    return random ->
        Doc.Obj.ofPresent(
            List.of(
                someIds.next(random).map(i -> Map.entry("external_ids", i)),
                aliases.next(random).map(a -> Map.entry("user_aliases", a)),
                brazeId.next(random),
                deviceId.next(random),
                email.next(random),
                phone.next(random),
                fields.next(random).map(f -> Map.entry("fields_to_export", f)),
                extra.next(random)));
  }

  private static Gen<Optional<Map.Entry<String, Doc>>> contact(String key, Gen<String> usual) {
    return Exotic.or(usual.map(Doc::str)).map(value -> Map.entry(key, value)).optional(0.25);
  }

  private static List<String> allFields() {
    List<String> all = new ArrayList<>(FIELDS);
    all.addAll(WRONG_FIELDS);
    return all;
  }

  private static Gen<Doc> fieldLists(List<String> names) {
    return Gen.of(names).list(0, 4).map(ExportBodies::texts);
  }

  private static Doc texts(List<String> values) {
    return new Doc.Arr(values.stream().map(Doc::str).toList());
  }

  /** Now and then a member the endpoint does not know. */
  private static Gen<Optional<Map.Entry<String, Doc>>> extra() {
    return Exotic.members().optional(0.15);
  }
}
