package dev.kiln.server.fuzz;

import dev.kiln.server.fuzz.ByteMutation.Bytes;
import java.util.List;

/**
 * The mix every endpoint is fuzzed with, from two generators of its own: valid bodies, and bodies
 * of the right shape whose values are exotic. About a tenth of the tries are valid, so the success
 * path and its bookkeeping are exercised too; the rest are mutated in structure, in bytes, or
 * replaced.
 */
final class FuzzRequests {
  /** Over the server's default body limit of 4 MiB, so the 413 path is taken now and then. */
  static final int OVER_THE_BODY_LIMIT = 4 * 1024 * 1024 + 1;

  /**
   * Generated documents stay under this many characters (a few copies of a 100-kilobyte value can
   * add up); only the padding mutation goes past the body limit, by one byte.
   */
  private static final int MAX_DOCUMENT_CHARS = 1_000_000;

  private static final List<Bytes> INSERTABLE =
      List.of(
          Bytes.of(0xC0),
          Bytes.of(0xC0, 0xAF),
          Bytes.of(0xE0, 0x80, 0xAF),
          Bytes.of(0xED, 0xA0, 0x80),
          Bytes.of(0xF4, 0x90, 0x80, 0x80),
          Bytes.of(0xFF),
          Bytes.of(0xFE),
          Bytes.of(0x80),
          Bytes.of(0xF0, 0x9F, 0x98),
          Bytes.of(0x00),
          Bytes.of(0xEF, 0xBB, 0xBF),
          Bytes.text("{"),
          Bytes.text("}"),
          Bytes.text("["),
          Bytes.text("]"),
          Bytes.text(","),
          Bytes.text(":"),
          Bytes.text("\""),
          Bytes.text("\\"),
          Bytes.text("\\u"),
          Bytes.text("\\ud800"),
          Bytes.text("null"),
          Bytes.text("1e999"),
          Bytes.text(" "),
          Bytes.text("\n"),
          Bytes.text("/*"),
          Bytes.text("//"),
          Bytes.text("NaN"),
          Bytes.text("'"),
          Bytes.text("\u0000"));

  private static final List<Bytes> WHOLE_BODIES =
      List.of(
          Bytes.text(""),
          Bytes.text(" "),
          Bytes.text("[]"),
          Bytes.text("[{}]"),
          Bytes.text("\"attributes\""),
          Bytes.text("42"),
          Bytes.text("-1e999"),
          Bytes.text("null"),
          Bytes.text("true"),
          Bytes.text("{"),
          Bytes.text("}"),
          Bytes.text("{}"),
          Bytes.text("{}{}"),
          Bytes.text("{\"a\":1,\"a\":2}"),
          Bytes.text("{'a':1}"),
          Bytes.text("{a:1}"),
          Bytes.text("\u0000"),
          Bytes.of(0xEF, 0xBB, 0xBF, '{', '}'),
          Bytes.of(0xFE, 0xFF, 0, '{', 0, '}'),
          Bytes.text("<xml/>"),
          Bytes.text("a=1&b=2"),
          Bytes.text("{\"attributes\":[{\"external_id\":\"x\"}]"),
          Bytes.text("{\"segment_id\":}"));

  private static final List<String> CONTENT_TYPES =
      List.of(
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "application/json; charset=utf-16",
          "application/json; charset=latin1",
          "application/JSON",
          "*/*",
          "x/y;;;=",
          "");

  private FuzzRequests() {}

  /**
   * @param valid bodies the endpoint accepts (their identifiers hold {@code {T}})
   * @param anyExotic bodies shaped like the endpoint's, with exotic values (those over a megabyte
   *     are left out)
   */
  static Gen<FuzzRequest> mix(Gen<Doc> valid, Gen<Doc> anyExotic) {
    Gen<Doc> exotic =
        anyExotic.filter(document -> document.approximateLength() <= MAX_DOCUMENT_CHARS);
    Gen<List<TreeMutation>> treeMutations = treeMutations();
    Gen<List<ByteMutation>> byteMutations = byteMutations();
    Gen<String> contentTypes = contentTypes();
    Gen<ByteMutation> wholeBodyMutations = wholeBodyMutations();
    return Gen.frequency(
        Gen.weight(100, valid.map(FuzzRequest::of)),
        Gen.weight(300, exotic.map(FuzzRequest::of)),
        Gen.weight(
            250,
            random ->
                new FuzzRequest(
                    exotic.next(random), treeMutations.next(random), List.of(), FuzzRequest.JSON)),
        Gen.weight(
            250,
            random ->
                new FuzzRequest(
                    valid.next(random), List.of(), byteMutations.next(random), FuzzRequest.JSON)),
        Gen.weight(
            40,
            random ->
                new FuzzRequest(
                    valid.next(random), List.of(), List.of(), contentTypes.next(random))),
        Gen.weight(
            50,
            random ->
                new FuzzRequest(
                    valid.next(random),
                    List.of(),
                    List.of(wholeBodyMutations.next(random)),
                    FuzzRequest.JSON)),
        Gen.weight(
            1,
            valid.map(
                document ->
                    new FuzzRequest(
                        document,
                        List.of(), // about 10 per 10,000 tries
                        List.of(new ByteMutation.PadTo(OVER_THE_BODY_LIMIT)),
                        FuzzRequest.JSON))));
  }

  /** One to three structural changes. */
  static Gen<List<TreeMutation>> treeMutations() {
    Gen<Double> positions = positions();
    Gen<TreeMutation.Action> action =
        Gen.frequency(
            Gen.weight(8, Exotic.anything().map(TreeMutation.Action.Replace::new)),
            Gen.weight(3, Gen.constant(new TreeMutation.Action.Remove())),
            Gen.weight(2, Gen.constant(new TreeMutation.Action.Duplicate())),
            Gen.weight(
                3,
                Exotic.members()
                    .map(
                        member -> new TreeMutation.Action.Add(member.getKey(), member.getValue()))),
            Gen.weight(1, Gen.constant(new TreeMutation.Action.WrapInArray())),
            Gen.weight(1, Gen.constant(new TreeMutation.Action.Stringify())),
            Gen.weight(1, Gen.ints(50, 70).map(TreeMutation.Action.Nest::new)));
    Gen<TreeMutation> mutation =
        random -> new TreeMutation(positions.next(random), action.next(random));
    return mutation.list(1, 3);
  }

  /** One to three byte-level changes. */
  static Gen<List<ByteMutation>> byteMutations() {
    Gen<Double> positions = positions();
    Gen<Bytes> randomBytes = Gen.bytes(1, 4).map(Bytes::new);
    Gen<Bytes> inserted =
        Gen.frequency(Gen.weight(3, Gen.of(INSERTABLE)), Gen.weight(1, randomBytes));
    Gen<Integer> bits = Gen.ints(0, 7);
    Gen<Integer> lengths = Gen.ints(1, 40);
    Gen<Integer> times = Gen.ints(2, 5);
    Gen<ByteMutation> mutation =
        Gen.frequency(
            Gen.weight(3, positions.map(ByteMutation.Truncate::new)),
            Gen.weight(
                3, random -> new ByteMutation.FlipBit(positions.next(random), bits.next(random))),
            Gen.weight(
                4,
                random -> new ByteMutation.Insert(positions.next(random), inserted.next(random))),
            Gen.weight(
                2,
                random ->
                    new ByteMutation.Overwrite(positions.next(random), inserted.next(random))),
            Gen.weight(
                2, random -> new ByteMutation.Delete(positions.next(random), lengths.next(random))),
            Gen.weight(
                1,
                random ->
                    new ByteMutation.RepeatSpan(
                        positions.next(random), lengths.next(random), times.next(random))),
            Gen.weight(
                1,
                Gen.of("UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "ISO-8859-1")
                    .map(ByteMutation.Reencode::new)));
    return mutation.list(1, 3);
  }

  /** The body replaced, wrapped, or turned into another JSON type. */
  static Gen<ByteMutation> wholeBodyMutations() {
    return Gen.frequency(
        Gen.weight(3, Gen.of(WHOLE_BODIES).map(ByteMutation.Replace::new)),
        Gen.weight(
            1,
            Gen.of(
                new ByteMutation.Wrap("[", "]"),
                new ByteMutation.Wrap("\"", "\""),
                new ByteMutation.Wrap("{\"attributes\":", "}"),
                new ByteMutation.Wrap("\uFEFF", ""),
                new ByteMutation.Wrap("", "\u0000"),
                new ByteMutation.Wrap("", "garbage"),
                new ByteMutation.Wrap("", "{}"),
                new ByteMutation.Wrap("{\"a\":", "}"),
                new ByteMutation.Wrap("\n\n  ", "\n\n"))));
  }

  /** A Content-Type other than JSON's, or none (null) one time in ten. */
  static Gen<String> contentTypes() {
    return Gen.of(CONTENT_TYPES).orNull(0.1);
  }

  /** Relative positions in a body or a document, 0 to 1. */
  private static Gen<Double> positions() {
    return Gen.doubles(0, 1);
  }
}
