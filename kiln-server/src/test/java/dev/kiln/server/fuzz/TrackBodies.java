package dev.kiln.server.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bodies of {@code /users/track} and {@code /users/track/sync} (docs/braze-reference.md section 2):
 * arrays of the objects of {@link TrackObjects}, empty arrays, arrays at and past the limit of 75,
 * arrays that are not arrays, and members the endpoint does not know.
 */
final class TrackBodies {
  private TrackBodies() {}

  /** A body with one to three arrays of one to three valid objects. */
  static Gen<Doc> valid() {
    Gen<Optional<Doc>> attributes = validObjects(TrackObjects.validAttributes()).optional(0.7);
    Gen<Optional<Doc>> events = validObjects(TrackObjects.validEvent()).optional(0.5);
    Gen<Optional<Doc>> purchases = validObjects(TrackObjects.validPurchase()).optional(0.4);
    return random -> {
      Optional<Doc> someAttributes = attributes.next(random);
      Optional<Doc> someEvents = events.next(random);
      Optional<Doc> somePurchases = purchases.next(random);
      boolean none = someAttributes.isEmpty() && someEvents.isEmpty() && somePurchases.isEmpty();
      return body(
          none
              ? Optional.<Doc>of(Doc.Arr.of(Doc.Obj.of("external_id", Doc.str("{T}-only"))))
              : someAttributes,
          someEvents,
          somePurchases,
          List.of());
    };
  }

  /** A body shaped like /users/track's, with exotic objects, arrays and top-level members. */
  static Gen<Doc> exotic() {
    Gen<Optional<Doc>> attributes =
        exoticArray(TrackObjects.exoticAttributes(), TrackObjects.validAttributes());
    Gen<Optional<Doc>> events = exoticArray(TrackObjects.exoticEvent(), TrackObjects.validEvent());
    Gen<Optional<Doc>> purchases =
        exoticArray(TrackObjects.exoticPurchase(), TrackObjects.validPurchase());
    Gen<List<Map.Entry<String, Doc>>> extras = extraMembers();
    return random ->
        body(
            attributes.next(random),
            events.next(random),
            purchases.next(random),
            extras.next(random));
  }

  /** One valid object in one of the three arrays, as /users/track/sync takes. */
  static Gen<Doc> validSingle() {
    return Gen.oneOf(
        TrackObjects.validAttributes().map(object -> single("attributes", object)),
        TrackObjects.validEvent().map(object -> single("events", object)),
        TrackObjects.validPurchase().map(object -> single("purchases", object)));
  }

  /** Mostly one exotic object; sometimes any number, as a client gets it wrong. */
  static Gen<Doc> exoticSingle() {
    return Gen.frequency(
        Gen.weight(2, TrackObjects.exoticAttributes().map(object -> single("attributes", object))),
        Gen.weight(2, TrackObjects.exoticEvent().map(object -> single("events", object))),
        Gen.weight(2, TrackObjects.exoticPurchase().map(object -> single("purchases", object))),
        Gen.weight(1, exotic()));
  }

  private static Gen<Doc> validObjects(Gen<Doc.Obj> objects) {
    return objects.list(1, 3).map(items -> new Doc.Arr(List.copyOf(items)));
  }

  /**
   * An array of objects, an empty one, one at or past the limit of 75 (copies of a valid object:
   * the count is what is tested, and 76 copies of an exotic one could weigh megabytes), or
   * something else.
   */
  private static Gen<Optional<Doc>> exoticArray(Gen<Doc.Obj> objects, Gen<Doc.Obj> validObjects) {
    Gen<Integer> counts = Gen.of(75, 76);
    Gen<Doc> atTheLimit =
        random -> new Doc.Arr(Collections.nCopies(counts.next(random), validObjects.next(random)));
    return Gen.frequency(
        Gen.weight(3, Gen.constant(Optional.<Doc>empty())),
        Gen.weight(
            8, objects.list(1, 4).map(items -> Optional.of(new Doc.Arr(List.copyOf(items))))),
        Gen.weight(1, Gen.constant(Optional.of(Doc.Arr.of()))),
        Gen.weight(1, atTheLimit.map(Optional::of)),
        Gen.weight(1, Exotic.anything().map(Optional::of)),
        Gen.weight(1, objects.list(1, 3).map(items -> Optional.of(mixedArray(items)))));
  }

  /** Objects with non-objects among them. */
  private static Doc mixedArray(List<Doc.Obj> objects) {
    List<Doc> items = new ArrayList<>(objects);
    items.add(Doc.str("not an object"));
    items.add(1, Doc.nul());
    return new Doc.Arr(items);
  }

  private static Gen<List<Map.Entry<String, Doc>>> extraMembers() {
    Gen<Map.Entry<String, Doc>> member =
        Gen.frequency(
            Gen.weight(3, Exotic.members()),
            Gen.weight(1, Exotic.anything().map(value -> Map.entry("api_key", value))),
            Gen.weight(1, Exotic.anything().map(value -> Map.entry("attributes", value))));
    return Gen.frequency(
        Gen.weight(6, Gen.constant(List.<Map.Entry<String, Doc>>of())),
        Gen.weight(1, member.list(1, 2)));
  }

  private static Doc body(
      Optional<Doc> attributes,
      Optional<Doc> events,
      Optional<Doc> purchases,
      List<Map.Entry<String, Doc>> extras) {
    List<Map.Entry<String, Doc>> members = new ArrayList<>();
    attributes.ifPresent(value -> members.add(Map.entry("attributes", value)));
    events.ifPresent(value -> members.add(Map.entry("events", value)));
    purchases.ifPresent(value -> members.add(Map.entry("purchases", value)));
    members.addAll(extras);
    return new Doc.Obj(members);
  }

  private static Doc single(String array, Doc.Obj object) {
    return Doc.Obj.of(array, Doc.Arr.of(object));
  }
}
