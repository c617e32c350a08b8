package dev.kiln.server.fuzz;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The objects of a /users/track body (docs/braze-reference.md sections 3 to 5): valid attributes,
 * events and purchases, and ones whose every field may be missing, of the wrong type or exotic.
 * Event names and product ids hold {@code {T}} like the identifiers ({@link TrackIdentities}).
 */
final class TrackObjects {
  private static final List<String> STANDARD_KEYS =
      List.of(
          "first_name",
          "last_name",
          "home_city",
          "dob",
          "gender",
          "country",
          "language",
          "time_zone",
          "email",
          "phone",
          "current_location",
          "email_subscribe",
          "push_subscribe",
          "subscription_groups",
          "facebook",
          "twitter",
          "push_tokens",
          "date_of_first_session",
          "date_of_last_session",
          "marked_email_as_spam_at",
          "email_open_tracking_disabled",
          "email_click_tracking_disabled",
          "_merge_objects",
          "push_token_import",
          "alias_name",
          "alias_label");

  private static final List<Map.Entry<String, Doc>> VALID_ATTRIBUTES =
      List.of(
          Map.entry("first_name", Doc.str("Ann")),
          Map.entry("last_name", Doc.str("Lee")),
          Map.entry("home_city", Doc.str("Paris")),
          Map.entry("dob", Doc.str("1990-01-02")),
          Map.entry("gender", Doc.str("f")),
          Map.entry("country", Doc.str("Australia")),
          Map.entry("language", Doc.str("en")),
          Map.entry("time_zone", Doc.str("America/New_York")),
          Map.entry("email_subscribe", Doc.str("opted_in")),
          Map.entry("push_subscribe", Doc.str("subscribed")),
          Map.entry(
              "current_location",
              Doc.Obj.of("longitude", Doc.num("2.35"), "latitude", Doc.num("48.85"))),
          Map.entry("email_open_tracking_disabled", Doc.bool(true)),
          Map.entry("facebook", Doc.Obj.of("id", Doc.str("fb"))),
          Map.entry(
              "subscription_groups",
              Doc.Arr.of(
                  Doc.Obj.of(
                      "subscription_group_id",
                      Doc.str("2f9ab73e-0cb5-4e8e-9b4e-4c6e1d5a1f00"),
                      "subscription_state",
                      Doc.str("subscribed")))),
          Map.entry("plan", Doc.str("gold")),
          Map.entry("score", Doc.Obj.of("inc", Doc.num(2))),
          Map.entry("visits", Doc.num(3)),
          Map.entry("vip", Doc.bool(true)),
          Map.entry("genres", Doc.Arr.of(Doc.str("comedy"), Doc.str("drama"))),
          Map.entry(
              "tags",
              Doc.Obj.of("add", Doc.Arr.of(Doc.str("a")), "remove", Doc.Arr.of(Doc.str("b")))),
          Map.entry("seen_at", Doc.str("2021-03-04")),
          Map.entry("gone", Doc.nul()),
          Map.entry(
              "address",
              Doc.Obj.of(
                  "city", Doc.str("Paris"), "since", Doc.Obj.of("$time", Doc.str("2021-03-04")))),
          Map.entry("pets", Doc.Arr.of(Doc.Obj.of("id", Doc.num(1), "kind", Doc.str("dog")))),
          Map.entry(
              "toys",
              Doc.Obj.of(
                  "$add",
                  Doc.Arr.of(Doc.Obj.of("id", Doc.num(2))),
                  "$remove",
                  Doc.Arr.of(
                      Doc.Obj.of(
                          "$identifier_key", Doc.str("id"), "$identifier_value", Doc.num(1))))),
          Map.entry("_merge_objects", Doc.bool(true)));

  private static final List<Map.Entry<String, Doc>> VALID_PROPERTIES =
      List.of(
          Map.entry("source", Doc.str("ios")),
          Map.entry("n", Doc.num(3)),
          Map.entry("ok", Doc.bool(true)),
          Map.entry("when", Doc.str("2021-03-04")),
          Map.entry("nested", Doc.Obj.of("a", Doc.Arr.of(Doc.num(1), Doc.num(2)))),
          Map.entry("none", Doc.nul()));

  private TrackObjects() {}

  static Gen<Doc.Obj> validAttributes() {
    Gen<Doc.Obj> identities = TrackIdentities.valid();
    Gen<List<Map.Entry<String, Doc>>> fields = Gen.subsetOf(VALID_ATTRIBUTES, 0, 4);
    return random -> withMembers(identities.next(random), fields.next(random));
  }

  static Gen<Doc.Obj> validEvent() {
    Gen<Doc.Obj> identities = TrackIdentities.validForActivities();
    Gen<String> suffixes = TrackIdentities.suffixes();
    Gen<String> times = validTimes();
    Gen<Optional<Doc>> properties = validProperties().optional(0.5);
    return random -> {
      Doc.Obj event =
          identities
              .next(random)
              .with("name", Doc.str("ev-{T}-" + suffixes.next(random)))
              .with("time", Doc.str(times.next(random)));
      return properties.next(random).map(p -> event.with("properties", p)).orElse(event);
    };
  }

  static Gen<Doc.Obj> validPurchase() {
    Gen<Doc.Obj> identities = TrackIdentities.validForActivities();
    Gen<String> suffixes = TrackIdentities.suffixes();
    Gen<String> times = validTimes();
    Gen<String> prices = Gen.of("9.99", "0", "1.5", "1000");
    Gen<Optional<Integer>> quantities = Gen.ints(1, 100).optional(0.5);
    return random -> {
      Doc.Obj purchase =
          identities
              .next(random)
              .with("product_id", Doc.str("sku-{T}-" + suffixes.next(random)))
              .with("currency", Doc.str("USD"))
              .with("price", Doc.num(prices.next(random)))
              .with("time", Doc.str(times.next(random)));
      return quantities
          .next(random)
          .map(q -> purchase.with("quantity", Doc.num(q)))
          .orElse(purchase);
    };
  }

  static Gen<Doc.Obj> exoticAttributes() {
    Gen<Doc.Obj> identities = TrackIdentities.exotic();
    Gen<String> names = fieldNames(STANDARD_KEYS);
    Gen<Doc> values = fieldValues();
    Gen<Map.Entry<String, Doc>> field =
        random -> Map.entry(names.next(random), values.next(random));
    Gen<List<Map.Entry<String, Doc>>> exoticFields = field.list(0, 5);
    Gen<List<Map.Entry<String, Doc>>> validFields = Gen.subsetOf(VALID_ATTRIBUTES, 0, 2);
    return random -> {
      Doc.Obj identity = identities.next(random);
      List<Map.Entry<String, Doc>> exotic = exoticFields.next(random);
      List<Map.Entry<String, Doc>> fields = new ArrayList<>(validFields.next(random));
      fields.addAll(exotic);
      return withMembers(identity, fields);
    };
  }

  static Gen<Doc.Obj> exoticEvent() {
    Gen<Doc.Obj> identities = TrackIdentities.exotic();
    Gen<Optional<Doc>> names = exoticName("ev-{T}-");
    Gen<Optional<Doc>> times = exoticTime();
    Gen<Optional<Doc>> appIds = optionalExotic(Exotic.scalars());
    Gen<Optional<Doc>> properties = exoticProperties(120_000);
    Gen<Optional<Map.Entry<String, Doc>>> unknown = unknownMember();
    return random ->
        activity(
            identities.next(random),
            List.of(
                member("name", names.next(random)),
                member("time", times.next(random)),
                member("app_id", appIds.next(random)),
                member("properties", properties.next(random)),
                unknown.next(random)));
  }

  static Gen<Doc.Obj> exoticPurchase() {
    Gen<Optional<Doc>> currencies =
        Gen.frequency(
            Gen.weight(
                3,
                Gen.of(
                        "USD", "usd", "EUR", "JPY", "XXX", "XTS", "XBT", "US", "USDD", "", "€",
                        "usd ")
                    .map(code -> Optional.of(Doc.str(code)))),
            Gen.weight(2, Exotic.anything().map(Optional::of)),
            Gen.weight(1, Gen.constant(Optional.<Doc>empty())));
    Gen<Optional<Doc>> prices =
        Gen.frequency(
            Gen.weight(4, Exotic.numbers().map(Optional::of)),
            Gen.weight(2, Exotic.anything().map(Optional::of)),
            Gen.weight(1, Gen.constant(Optional.<Doc>empty())));
    Gen<Optional<Doc>> quantities =
        Gen.frequency(
            Gen.weight(
                3,
                Gen.of("0", "1", "100", "101", "-1", "1.5", "1e2", "1.0", "2147483648")
                    .map(q -> Optional.of(Doc.num(q)))),
            Gen.weight(2, Exotic.anything().map(Optional::of)),
            Gen.weight(2, Gen.constant(Optional.<Doc>empty())));
    Gen<Doc.Obj> identities = TrackIdentities.exotic();
    Gen<Optional<Doc>> productIds = exoticName("sku-{T}-");
    Gen<Optional<Doc>> times = exoticTime();
    Gen<Optional<Doc>> properties = exoticProperties(60_000);
    Gen<Optional<Map.Entry<String, Doc>>> unknown = unknownMember();
    return random ->
        activity(
            identities.next(random),
            List.of(
                member("product_id", productIds.next(random)),
                member("currency", currencies.next(random)),
                member("price", prices.next(random)),
                member("quantity", quantities.next(random)),
                member("time", times.next(random)),
                member("properties", properties.next(random)),
                unknown.next(random)));
  }

  private static Gen<String> fieldNames(List<String> standard) {
    return Gen.frequency(Gen.weight(1, Gen.of(standard)), Gen.weight(1, Exotic.keys()));
  }

  private static Gen<Doc> fieldValues() {
    return Gen.frequency(
        Gen.weight(5, Exotic.anything()),
        Gen.weight(2, Exotic.operator(2)),
        Gen.weight(2, Exotic.dates().map(Doc::str)));
  }

  private static Gen<Optional<Doc>> exoticName(String prefix) {
    return Gen.frequency(
        Gen.weight(3, TrackIdentities.suffixes().map(s -> Optional.of(Doc.str(prefix + s)))),
        Gen.weight(3, Exotic.anything().map(Optional::of)),
        Gen.weight(1, Gen.constant(Optional.<Doc>empty())));
  }

  private static Gen<Optional<Doc>> exoticTime() {
    return Gen.frequency(
        Gen.weight(2, validTimes().map(time -> Optional.of(Doc.str(time)))),
        Gen.weight(4, Exotic.dates().map(date -> Optional.of(Doc.str(date)))),
        Gen.weight(2, Exotic.anything().map(Optional::of)),
        Gen.weight(1, Gen.constant(Optional.<Doc>empty())));
  }

  /**
   * Properties: valid, exotic, not an object, just under or over {@code bigBytes}, or 257 of them.
   */
  private static Gen<Optional<Doc>> exoticProperties(int bigBytes) {
    Gen<Doc> exoticObject = Exotic.members().list(0, 5).map(Doc.Obj::new);
    Gen<Doc> big =
        Gen.ints(bigBytes / 2 / 200, bigBytes / 200)
            .map(
                n ->
                    Doc.Obj.of(
                        "blob", new Doc.Arr(Collections.nCopies(n, Doc.str("x".repeat(200))))));
    Doc tooMany =
        new Doc.Obj(IntStream.range(0, 257).mapToObj(i -> Map.entry("p" + i, Doc.num(i))).toList());
    return Gen.frequency(
        Gen.weight(6, validProperties().map(Optional::of)),
        Gen.weight(12, exoticObject.map(Optional::of)),
        Gen.weight(3, Exotic.anything().map(Optional::of)),
        Gen.weight(1, big.map(Optional::of)),
        Gen.weight(1, Gen.constant(Optional.of(tooMany))),
        Gen.weight(6, Gen.constant(Optional.<Doc>empty())));
  }

  private static Gen<Doc> validProperties() {
    return Gen.subsetOf(VALID_PROPERTIES, 1, 3).map(Doc.Obj::new);
  }

  private static Gen<Optional<Doc>> optionalExotic(Gen<Doc> values) {
    return values.optional(0.3);
  }

  /** Now and then a member the endpoint does not know, or an exotic value under a known name. */
  private static Gen<Optional<Map.Entry<String, Doc>>> unknownMember() {
    return Exotic.members().optional(0.15);
  }

  private static Gen<String> validTimes() {
    return Gen.longs(1_577_836_800_000L, 1_767_225_600_000L) // 2020 to 2026
        .map(millis -> Instant.ofEpochMilli(millis).toString());
  }

  private static Doc.Obj withMembers(Doc.Obj identity, List<Map.Entry<String, Doc>> fields) {
    List<Map.Entry<String, Doc>> members = new ArrayList<>(identity.members());
    members.addAll(fields);
    return new Doc.Obj(members);
  }

  private static Doc.Obj activity(Doc.Obj identity, List<Optional<Map.Entry<String, Doc>>> fields) {
    List<Map.Entry<String, Doc>> members = new ArrayList<>(identity.members());
    fields.forEach(field -> field.ifPresent(members::add));
    return new Doc.Obj(members);
  }

  private static Optional<Map.Entry<String, Doc>> member(String key, Optional<Doc> value) {
    return value.map(v -> Map.entry(key, v));
  }
}
