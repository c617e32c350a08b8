package dev.kiln.core.track;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.track.CustomAttributeOp.ArrayChange;
import dev.kiln.core.track.CustomAttributeOp.Increment;
import dev.kiln.core.track.CustomAttributeOp.Keep;
import dev.kiln.core.track.CustomAttributeOp.ObjectArrayChange;
import dev.kiln.core.track.CustomAttributeOp.ObjectArrayChange.Match;
import dev.kiln.core.track.CustomAttributeOp.ObjectArrayChange.Update;
import dev.kiln.core.track.CustomAttributeOp.Outcome;
import dev.kiln.core.track.CustomAttributeOp.Remove;
import dev.kiln.core.track.CustomAttributeOp.Replace;
import dev.kiln.core.track.CustomAttributeOp.Set;
import dev.kiln.core.track.CustomAttributeOp.SetObject;
import dev.kiln.core.track.CustomAttributeOp.Unset;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/braze-reference.md sections 3.2 to 3.5 and edge cases 16-19, 21 and 23 of section 13. */
class CustomAttributeOpTest {

  private static Object replaced(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Replace.class);
    return ((Replace) outcome).value();
  }

  private static List<Object> values(String prefix, int count) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(prefix + i);
    }
    return values;
  }

  /** An insertion-ordered map literal; values may be nested maps and lists. */
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  // --- Set / Unset ---

  @Test
  void setReplacesWhateverWasStored() {
    assertThat(replaced(new Set("new").apply("old", false))).isEqualTo("new");
  }

  @Test
  void unsetRemovesTheAttribute() {
    assertThat(new Unset().apply("old", false)).isInstanceOf(Remove.class);
  }

  // --- array literals (edge case 16) ---

  @Test
  void arrayLiteralKeepsUniqueValues() {
    Set op = Set.ofArray(List.of("hotdog", "hotdog", "hotdog", "pizza"));

    assertThat(replaced(op.apply(null, false))).isEqualTo(List.of("hotdog", "pizza"));
  }

  @Test
  void arrayLiteralDeduplicationKeepsFirstOccurrence() {
    Set op = Set.ofArray(List.of("a", "b", "a", "c", "b"));

    assertThat(op.value()).isEqualTo(List.of("a", "b", "c"));
  }

  @Test
  void arrayLiteralIsCaseAndSpaceSensitive() {
    Set op = Set.ofArray(List.of("Pizza", "pizza", "pizza "));

    assertThat(op.value()).isEqualTo(List.of("Pizza", "pizza", "pizza "));
  }

  @Test
  void arrayLiteralOfExactly25KeepsAll() {
    Set op = Set.ofArray(values("v", 25));

    assertThat(op.value()).isEqualTo(values("v", 25));
  }

  @Test
  void arrayLiteralOverTheCapKeepsTheNewest25() {
    Set op = Set.ofArray(values("v", 30));

    assertThat((List<?>) op.value()).hasSize(25).first().isEqualTo("v5");
    assertThat((List<?>) op.value()).last().isEqualTo("v29");
  }

  @Test
  void arrayLiteralIsDeduplicatedBeforeTheCap() {
    List<Object> sent = new ArrayList<>(values("v", 25));
    sent.addAll(values("v", 25)); // 50 values, only 25 distinct

    assertThat(Set.ofArray(sent).value()).isEqualTo(values("v", 25));
  }

  // --- add / remove (edge cases 17 and 18) ---

  @Test
  void addOfAPresentValueMovesItToTheEnd() {
    Outcome outcome = new ArrayChange(List.of("a"), List.of()).apply(List.of("a", "b", "c"), false);

    assertThat(replaced(outcome)).isEqualTo(List.of("b", "c", "a"));
  }

  @Test
  void removeDeletesTheValue() {
    Outcome outcome = new ArrayChange(List.of(), List.of("b")).apply(List.of("b", "c", "a"), false);

    assertThat(replaced(outcome)).isEqualTo(List.of("c", "a"));
  }

  @Test
  void addAppendsANewValue() {
    Outcome outcome = new ArrayChange(List.of("d"), List.of()).apply(List.of("a", "b"), false);

    assertThat(replaced(outcome)).isEqualTo(List.of("a", "b", "d"));
  }

  @Test
  void addToAMissingAttributeStartsANewArray() {
    Outcome outcome = new ArrayChange(List.of("x", "y"), List.of()).apply(null, false);

    assertThat(replaced(outcome)).isEqualTo(List.of("x", "y"));
  }

  @Test
  void addOfRepeatedValuesStoresThemOnce() {
    Outcome outcome = new ArrayChange(List.of("x", "x"), List.of()).apply(List.of("a"), false);

    assertThat(replaced(outcome)).isEqualTo(List.of("a", "x"));
  }

  @Test
  void removeOfAnAbsentValueChangesNothing() {
    Outcome outcome = new ArrayChange(List.of(), List.of("zzz")).apply(List.of("a", "b"), false);

    assertThat(replaced(outcome)).isEqualTo(List.of("a", "b"));
  }

  @Test
  void addAndRemoveInOneOpAddFirstThenRemove() {
    // compatibility.md: "Both in one object: add first, then remove"
    Outcome outcome =
        new ArrayChange(List.of("x", "y"), List.of("x", "a")).apply(List.of("a", "b"), false);

    assertThat(replaced(outcome)).isEqualTo(List.of("b", "y"));
  }

  @Test
  void addToAFullArrayDropsTheOldestAndAppends() {
    List<Object> full = values("v", 25);

    Object next = replaced(new ArrayChange(List.of("z"), List.of()).apply(full, false));

    List<Object> expected = new ArrayList<>(full.subList(1, 25));
    expected.add("z");
    assertThat(next).isEqualTo(expected);
  }

  @Test
  void addOfAPresentValueToAFullArrayDropsNothing() {
    List<Object> full = values("v", 25);

    Object next = replaced(new ArrayChange(List.of("v0"), List.of()).apply(full, false));

    List<Object> expected = new ArrayList<>(full.subList(1, 25));
    expected.add("v0");
    assertThat(next).isEqualTo(expected);
  }

  @Test
  void addOfSeveralValuesToAFullArrayDropsAsManyOldest() {
    List<Object> full = values("v", 25);

    Object next = replaced(new ArrayChange(List.of("y", "z"), List.of()).apply(full, false));

    List<Object> expected = new ArrayList<>(full.subList(2, 25));
    expected.add("y");
    expected.add("z");
    assertThat(next).isEqualTo(expected);
  }

  /** The sequences ITTrackCustomAttributes sent over HTTP, with what each step leaves stored. */
  @Test
  void anArrayLiteralKeepsTheFirstOccurrenceOfEachValueInItsOrder() {
    assertThat(Set.ofArray(List.of("b", "a", "b", "c", "a")).value())
        .isEqualTo(List.of("b", "a", "c"));
    assertThat(Set.ofArray(List.of("a", "A", "a ", "a")).value())
        .isEqualTo(List.of("a", "A", "a "));
  }

  @Test
  void anArrayLiteralOf30KeepsExactlyTheLast25InOrder() {
    assertThat(Set.ofArray(values("v", 30)).value()).isEqualTo(values("v", 30).subList(5, 30));
  }

  @Test
  void addCreatesAMissingArrayThenAppendsAndMovesToTheEnd() {
    Object created = replaced(new ArrayChange(List.of("x", "y"), List.of()).apply(null, false));

    assertThat(created).isEqualTo(List.of("x", "y"));
    assertThat(replaced(new ArrayChange(List.of("z", "x"), List.of()).apply(created, false)))
        .isEqualTo(List.of("y", "z", "x"));
  }

  @Test
  void removeDeletesEachValueGivenAndIgnoresAbsentOnes() {
    Outcome outcome =
        new ArrayChange(List.of(), List.of("a", "c", "not-there"))
            .apply(List.of("a", "b", "c"), false);

    assertThat(replaced(outcome)).isEqualTo(List.of("b"));
  }

  // --- inc (edge case 19) ---

  @Test
  void incAddsToTheStoredNumber() {
    assertThat(replaced(new Increment(5L).apply(10L, false))).isEqualTo(15L);
  }

  @Test
  void negativeIncSubtracts() {
    assertThat(replaced(new Increment(-3L).apply(15L, false))).isEqualTo(12L);
  }

  @Test
  void incOnAMissingAttributeCountsFromZero() {
    assertThat(replaced(new Increment(5L).apply(null, false))).isEqualTo(5L);
  }

  @Test
  void incOnANonNumericAttributeCountsFromZero() {
    // compatibility.md: "a missing or non-numeric attribute counts from 0"
    assertThat(replaced(new Increment(5L).apply("text", false))).isEqualTo(5L);
  }

  @Test
  void aNegativeIncOnAMissingAttributeCountsDownFromZero() {
    assertThat(replaced(new Increment(-2L).apply(null, false))).isEqualTo(-2L);
  }

  @Test
  void incOfADecimalOnAWholeNumberGivesABigDecimal() {
    Object next = replaced(new Increment(new BigDecimal("1.5")).apply(10L, false));

    assertThat(next).isInstanceOf(BigDecimal.class);
    assertThat((BigDecimal) next).isEqualByComparingTo("11.5");
  }

  @Test
  void incOfAWholeNumberOnADecimalGivesABigDecimal() {
    Object next = replaced(new Increment(2L).apply(new BigDecimal("0.25"), false));

    assertThat(next).isInstanceOf(BigDecimal.class);
    assertThat((BigDecimal) next).isEqualByComparingTo("2.25");
  }

  @Test
  void incPastLongMaxValueGivesTheExactBigDecimal() {
    Object next = replaced(new Increment(1L).apply(Long.MAX_VALUE, false));

    assertThat(next).isInstanceOf(BigDecimal.class);
    assertThat((BigDecimal) next).isEqualByComparingTo("9223372036854775808");
  }

  @Test
  void incOfWholeNumbersStaysALong() {
    assertThat(replaced(new Increment(1L).apply(41L, false)))
        .isInstanceOf(Long.class)
        .isEqualTo(42L);
  }

  // --- nested objects (edge case 21) ---

  @Test
  void setObjectWithoutMergeOverwritesTheStoredObject() {
    Map<String, Object> stored = map("a", 1L, "b", map("c", 2L));

    Object next = replaced(new SetObject(map("b", map("d", 3L))).apply(stored, false));

    assertThat(next).isEqualTo(map("b", map("d", 3L)));
  }

  /** ITTrackCustomAttributes' nested objects, moved here with their values. */
  @Test
  void aNestedObjectIsReplacedWholeByDefault() {
    Map<String, Object> stored = map("make", "VW", "model", map("name", "Golf", "year", 2019L));

    assertThat(replaced(new SetObject(map("model", map("year", 2020L))).apply(stored, false)))
        .isEqualTo(map("model", map("year", 2020L)));
  }

  @Test
  void mergeOnAMissingAttributeStoresTheObject() {
    assertThat(replaced(new SetObject(map("make", "VW")).apply(null, true)))
        .isEqualTo(map("make", "VW"));
  }

  @Test
  void setObjectWithMergeDeepMerges() {
    Map<String, Object> stored = map("a", 1L, "b", map("c", 2L));

    Object next = replaced(new SetObject(map("b", map("d", 3L))).apply(stored, true));

    assertThat(next).isEqualTo(map("a", 1L, "b", map("c", 2L, "d", 3L)));
  }

  @Test
  void setObjectMergeIsDeepAtEveryLevel() {
    Map<String, Object> stored =
        map("l1", map("keep1", "k", "l2", map("keep2", "k", "l3", map("keep3", "k", "x", 1L))));
    Map<String, Object> sent = map("l1", map("l2", map("l3", map("x", 2L, "y", 3L))));

    Object next = replaced(new SetObject(sent).apply(stored, true));

    assertThat(next)
        .isEqualTo(
            map(
                "l1",
                map(
                    "keep1",
                    "k",
                    "l2",
                    map("keep2", "k", "l3", map("keep3", "k", "x", 2L, "y", 3L)))));
  }

  @Test
  void setObjectMergeReplacesNonObjectValuesAndArrays() {
    Map<String, Object> stored = map("list", List.of("a", "b"), "n", 1L, "o", map("p", 1L));

    Object next =
        replaced(new SetObject(map("list", List.of("c"), "o", "now a string")).apply(stored, true));

    assertThat(next).isEqualTo(map("list", List.of("c"), "n", 1L, "o", "now a string"));
  }

  @Test
  void setObjectMergeOntoANonObjectReplacesIt() {
    Object next = replaced(new SetObject(map("a", 1L)).apply("a string", true));

    assertThat(next).isEqualTo(map("a", 1L));
  }

  @Test
  void setObjectMergeOntoAMissingAttributeStoresTheObject() {
    Object next = replaced(new SetObject(map("a", 1L)).apply(null, true));

    assertThat(next).isEqualTo(map("a", 1L));
  }

  @Test
  void setObjectMergeDoesNotChangeTheStoredMap() {
    Map<String, Object> inner = map("c", 2L);
    Map<String, Object> stored = map("a", 1L, "b", inner);

    new SetObject(map("b", map("d", 3L))).apply(stored, true);

    assertThat(stored).isEqualTo(map("a", 1L, "b", map("c", 2L)));
    assertThat(inner).isEqualTo(map("c", 2L));
  }

  // --- arrays of objects (edge case 23) ---

  private static List<Object> pets() {
    return List.of(
        map("id", 1L, "type", "dog", "name", "Rex"),
        map("id", 2L, "type", "cat", "name", "Tom"),
        map("id", 3L, "type", "dog", "name", "Fido"));
  }

  /** ITTrackCustomAttributes' arrays of objects, moved here with their values. */
  @Test
  void addStartsAMissingArrayOfObjectsThenAppends() {
    Object created =
        replaced(
            new ObjectArrayChange(List.of(map("id", 1L, "type", "dog")), List.of(), List.of())
                .apply(null, false));
    Object appended =
        replaced(
            new ObjectArrayChange(
                    List.of(map("id", 2L, "type", "cat"), map("id", 3L, "type", "dog")),
                    List.of(),
                    List.of())
                .apply(created, false));

    assertThat(appended)
        .isEqualTo(
            List.of(
                map("id", 1L, "type", "dog"),
                map("id", 2L, "type", "cat"),
                map("id", 3L, "type", "dog")));
  }

  @Test
  void removeDeletesEveryItemMatchingAnyCriterion() {
    List<Object> stored =
        List.of(
            map("id", 1L, "type", "dog"),
            map("id", 2L, "type", "cat"),
            map("id", 3L, "type", "dog"),
            map("id", 4L, "type", "fish"));
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(), List.of(new Match("type", "dog"), new Match("id", 4L)), List.of());

    assertThat(replaced(op.apply(stored, false))).isEqualTo(List.of(map("id", 2L, "type", "cat")));
  }

  @Test
  void updateWithoutMergeReplacesTheMatchedItemWithTheNewObject() {
    List<Object> stored =
        List.of(map("id", 1L, "type", "dog", "info", map("age", 3L)), map("id", 2L, "type", "cat"));
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(),
            List.of(),
            List.of(new Update(new Match("id", 1L), map("id", 1L, "info", map("name", "Rex")))));

    assertThat(replaced(op.apply(stored, false)))
        .isEqualTo(
            List.of(map("id", 1L, "info", map("name", "Rex")), map("id", 2L, "type", "cat")));
  }

  /** Remove runs after add, so removing and adding the same item is no upsert: every copy goes. */
  @Test
  void removeAndAddOfTheSameItemIsNotAnUpsert() {
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(map("id", 1L, "type", "dog", "name", "new")),
            List.of(new Match("id", 1L)),
            List.of());

    Outcome outcome = op.apply(List.of(map("id", 1L, "type", "dog", "name", "a")), false);

    assertThat(
            outcome instanceof Remove
                || outcome instanceof Replace replace && ((List<?>) replace.value()).isEmpty())
        .as("no pets left: %s", outcome)
        .isTrue();
  }

  @Test
  void removeByIdentifierRemovesEveryMatchingItem() {
    ObjectArrayChange op =
        new ObjectArrayChange(List.of(), List.of(new Match("type", "dog")), List.of());

    assertThat(replaced(op.apply(pets(), false)))
        .isEqualTo(List.of(map("id", 2L, "type", "cat", "name", "Tom")));
  }

  @Test
  void removeWithSeveralCriteriaRemovesMatchesOfEach() {
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(), List.of(new Match("id", 1L), new Match("name", "Tom")), List.of());

    assertThat(replaced(op.apply(pets(), false)))
        .isEqualTo(List.of(map("id", 3L, "type", "dog", "name", "Fido")));
  }

  @Test
  void addAppendsObjects() {
    ObjectArrayChange op =
        new ObjectArrayChange(List.of(map("id", 4L, "type", "fish")), List.of(), List.of());

    List<Object> expected = new ArrayList<>(pets());
    expected.add(map("id", 4L, "type", "fish"));
    assertThat(replaced(op.apply(pets(), false))).isEqualTo(expected);
  }

  @Test
  void addToAMissingAttributeStartsAnArrayOfObjects() {
    ObjectArrayChange op = new ObjectArrayChange(List.of(map("id", 4L)), List.of(), List.of());

    assertThat(replaced(op.apply(null, false))).isEqualTo(List.of(map("id", 4L)));
  }

  @Test
  void updateWithoutMergeReplacesTheMatchedItem() {
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(), List.of(), List.of(new Update(new Match("id", 2L), map("name", "Tommy"))));

    assertThat(replaced(op.apply(pets(), false)))
        .isEqualTo(
            List.of(
                map("id", 1L, "type", "dog", "name", "Rex"),
                map("name", "Tommy"),
                map("id", 3L, "type", "dog", "name", "Fido")));
  }

  @Test
  void updateWithMergeDeepMergesIntoTheMatchedItem() {
    List<Object> stored = List.of(map("id", 1L, "owner", map("first", "Ann", "last", "Lee")));
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(),
            List.of(),
            List.of(new Update(new Match("id", 1L), map("owner", map("last", "Kim")))));

    assertThat(replaced(op.apply(stored, true)))
        .isEqualTo(List.of(map("id", 1L, "owner", map("first", "Ann", "last", "Kim"))));
  }

  @Test
  void updateChangesEveryMatchingItem() {
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(),
            List.of(),
            List.of(new Update(new Match("type", "dog"), map("vaccinated", true))));

    assertThat(replaced(op.apply(pets(), true)))
        .isEqualTo(
            List.of(
                map("id", 1L, "type", "dog", "name", "Rex", "vaccinated", true),
                map("id", 2L, "type", "cat", "name", "Tom"),
                map("id", 3L, "type", "dog", "name", "Fido", "vaccinated", true)));
  }

  @Test
  void anItemAddedAndRemovedInTheSameOpIsGone() {
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(map("id", 9L, "type", "bird")), List.of(new Match("id", 9L)), List.of());

    assertThat(replaced(op.apply(pets(), false))).isEqualTo(pets());
  }

  @Test
  void anItemAddedThenUpdatedInTheSameOpIsUpdated() {
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(map("id", 9L, "type", "bird")),
            List.of(),
            List.of(new Update(new Match("id", 9L), map("name", "Tweety"))));

    List<Object> expected = new ArrayList<>(pets());
    expected.add(map("id", 9L, "type", "bird", "name", "Tweety"));
    assertThat(replaced(op.apply(pets(), true))).isEqualTo(expected);
  }

  @Test
  void removeRunsBeforeUpdateSoAnUpdateOfARemovedItemDoesNothing() {
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(),
            List.of(new Match("id", 2L)),
            List.of(new Update(new Match("id", 2L), map("name", "Tommy"))));

    assertThat(replaced(op.apply(pets(), true)))
        .isEqualTo(
            List.of(
                map("id", 1L, "type", "dog", "name", "Rex"),
                map("id", 3L, "type", "dog", "name", "Fido")));
  }

  @Test
  void wholeAndDecimalIdentifierValuesMatch() {
    List<Object> stored = List.of(map("id", 4L, "name", "a"), map("id", 5L, "name", "b"));
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(), List.of(new Match("id", new BigDecimal("4.0"))), List.of());

    assertThat(replaced(op.apply(stored, false))).isEqualTo(List.of(map("id", 5L, "name", "b")));
  }

  @Test
  void decimalStoredIdentifierMatchesAWholeNumber() {
    List<Object> stored = List.of(map("id", new BigDecimal("4.0"), "name", "a"));
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(), List.of(), List.of(new Update(new Match("id", 4L), map("name", "z"))));

    assertThat(replaced(op.apply(stored, true)))
        .isEqualTo(List.of(map("id", new BigDecimal("4.0"), "name", "z")));
  }

  @Test
  void identifierOfADifferentTypeDoesNotMatch() {
    List<Object> stored = List.of(map("id", 4L));
    ObjectArrayChange op =
        new ObjectArrayChange(List.of(), List.of(new Match("id", "4")), List.of());

    assertThat(replaced(op.apply(stored, false))).isEqualTo(List.of(map("id", 4L)));
  }

  @Test
  void itemsWithoutTheIdentifierKeyDoNotMatch() {
    List<Object> stored = List.of(map("name", "a"));
    ObjectArrayChange op =
        new ObjectArrayChange(List.of(), List.of(new Match("id", null)), List.of());

    assertThat(replaced(op.apply(stored, false))).isEqualTo(List.of(map("name", "a")));
  }

  // --- 100 KB limit ---

  private static final int LIMIT = 100 * 1024;

  /** {"s":"xxx..."} written as JSON: {, "s", :, "...", } = n + 8 bytes. */
  private static Map<String, Object> objectOfJsonSize(int bytes) {
    return map("s", "x".repeat(bytes - 8));
  }

  @Test
  void nestedObjectOfExactly100KbIsStored() {
    Map<String, Object> value = objectOfJsonSize(LIMIT);

    assertThat(replaced(new SetObject(value).apply(null, false))).isEqualTo(value);
  }

  @Test
  void nestedObjectOver100KbKeepsTheStoredValue() {
    assertThat(new SetObject(objectOfJsonSize(LIMIT + 1)).apply(map("a", 1L), false))
        .isInstanceOf(Keep.class);
  }

  @Test
  void mergeThatGrowsAnObjectOver100KbKeepsTheStoredValue() {
    Map<String, Object> stored = map("t", "y".repeat(60 * 1024));

    Outcome outcome = new SetObject(map("u", "z".repeat(60 * 1024))).apply(stored, true);

    assertThat(outcome).isInstanceOf(Keep.class);
  }

  @Test
  void objectArrayChangeOver100KbKeepsTheStoredValue() {
    ObjectArrayChange op =
        new ObjectArrayChange(
            List.of(map("big", "x".repeat(60 * 1024)), map("big", "y".repeat(60 * 1024))),
            List.of(),
            List.of());

    assertThat(op.apply(pets(), false)).isInstanceOf(Keep.class);
  }
}
