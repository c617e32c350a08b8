package dev.kiln.server.fuzz;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bodies of {@code /segments/create}, {@code /segments/update} and {@code /segments/delete}
 * (docs/segments.md). Names hold {@code {T}}; segment ids are placeholders the test fills in:
 * {@code {S0}}..{@code {S2}} fixtures, {@code {G}} a segment another one refers to, {@code {V}} a
 * segment made for the try, {@code {A}} an archived one, {@code {U}} an id no segment has.
 */
final class SegmentBodies {
  private SegmentBodies() {}

  static Gen<Doc> validCreate() {
    return segment(
        absent(),
        names().optional(1),
        descriptions().optional(0.5),
        tags().optional(0.5),
        Filters.valid().optional(1),
        Gen.constant(Optional.empty()));
  }

  static Gen<Doc> exoticCreate() {
    return segment(
        absent(),
        Exotic.or(names()).optional(0.9),
        Exotic.or(descriptions()).optional(0.4),
        Exotic.or(tags()).optional(0.4),
        Filters.exotic().optional(0.9),
        extra());
  }

  static Gen<Doc> validUpdate() {
    return segment(
        Gen.of("{S0}", "{S1}", "{S2}").map(Doc::str).optional(1),
        names().optional(0.5),
        descriptions().optional(0.3),
        tags().optional(0.3),
        Filters.valid().optional(0.5),
        Gen.constant(Optional.empty()));
  }

  static Gen<Doc> exoticUpdate() {
    Gen<Doc> ids =
        Gen.frequency(
                Gen.weight(6, Gen.of("{S0}", "{S1}", "{S2}")),
                Gen.weight(1, Gen.of("{A}", "{U}", "", " ")))
            .map(Doc::str);
    return segment(
        Exotic.or(ids).optional(0.9),
        Exotic.or(names()).optional(0.5),
        Exotic.or(descriptions()).optional(0.3),
        Exotic.or(tags()).optional(0.3),
        Filters.exotic().optional(0.7),
        extra());
  }

  /**
   * A body of {@code segment_id}, {@code name}, {@code description}, {@code tags}, {@code filter}
   * and one more, those present.
   */
  private static Gen<Doc> segment(
      Gen<Optional<Doc>> ids,
      Gen<Optional<Doc>> names,
      Gen<Optional<Doc>> descriptions,
      Gen<Optional<Doc>> tags,
      Gen<Optional<Doc>> filters,
      Gen<Optional<Map.Entry<String, Doc>>> extras) {
    return random ->
        Doc.Obj.ofPresent(
            List.of(
                ids.next(random).map(i -> Map.entry("segment_id", i)),
                    names.next(random).map(n -> Map.entry("name", n)),
                descriptions.next(random).map(d -> Map.entry("description", d)),
                    tags.next(random).map(t -> Map.entry("tags", t)),
                filters.next(random).map(f -> Map.entry("filter", f)), extras.next(random)));
  }

  private static Gen<Optional<Doc>> absent() {
    return Gen.constant(Optional.empty());
  }

  static Gen<Doc> validDelete() {
    return Gen.constant(Doc.Obj.of("segment_id", Doc.str("{V}")));
  }

  static Gen<Doc> exoticDelete() {
    Gen<Doc> ids =
        Gen.frequency(
                Gen.weight(6, Gen.constant("{V}")),
                Gen.weight(2, Gen.constant("{G}")),
                Gen.weight(1, Gen.of("{A}", "{U}", "", " ", "{V} ", "{V}{V}")))
            .map(Doc::str);
    Gen<Optional<Doc>> someIds = Exotic.or(ids).optional(0.9);
    Gen<Optional<Map.Entry<String, Doc>>> extra = extra();
    return random ->
        Doc.Obj.ofPresent(
            List.of(
                someIds.next(random).map(i -> Map.entry("segment_id", i)),
                extra.next(random),
                extra.next(random)));
  }

  private static Gen<Doc> names() {
    return Gen.strings(Gen.chars(Gen.ALPHA + Gen.DIGITS), 0, 8).map(s -> Doc.str("seg-{T}-" + s));
  }

  private static Gen<Doc> descriptions() {
    return Exotic.texts().map(Doc::str);
  }

  private static Gen<Doc> tags() {
    return Exotic.texts().map(Doc::str).list(0, 3).map(Doc.Arr::new);
  }

  /** Now and then a member the endpoint does not know. */
  private static Gen<Optional<Map.Entry<String, Doc>>> extra() {
    return Exotic.members().optional(0.15);
  }
}
