package dev.kiln.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import dev.kiln.segment.Filter;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentResolver;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The declared difference of this backend: segment regexes run in PostgreSQL's own engine (POSIX
 * advanced expressions). A regex Java accepts (so the filter is valid) but PostgreSQL rejects is the
 * caller's mistake, reported as INVALID_INPUT naming the regular expression, never as the store
 * being unavailable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ITPostgresRegex {
  private static final SegmentResolver NO_SEGMENTS = id -> Optional.empty();

  private PostgresStorage storage;

  @BeforeAll
  void openWithOneUser() {
    storage = PostgresStorage.newBuilder(PostgresTestServer.shared().newDatabase()).build();
    storage.migrate();
    // PostgreSQL compiles a regex when it first matches a value, so there must be a value to match.
    assertThat(storage.profileWriter().apply(List.of(new ProfileChange(new UserLookup.ExternalId("ana"), true,
        new AttributesUpdate(Map.of("first_name", "Ana"), Map.of(),
            Map.of("tags", CustomAttributeOp.Set.ofArray(List.of("alpha", "beta"))), false)))))
        .containsExactly(ChangeResult.CREATED);
  }

  @AfterAll
  void close() {
    if (storage != null) {
      storage.close();
    }
  }

  private static Filter attributeMatching(String regex) {
    return FilterParser.parse(Map.of("attribute", "first_name", "op", "matches_regex", "value", regex));
  }

  private static Filter arrayElementMatching(String regex) {
    return FilterParser.parse(Map.of("custom_attribute", "tags", "op", "includes_matching_regex", "value", regex));
  }

  @Test
  void regexesBothEnginesAcceptAreEvaluated() {
    assertThat(storage.segmentQueries().count(attributeMatching("^A[a-z]+$"), NO_SEGMENTS, Instant.now())).isEqualTo(1);
    assertThat(storage.segmentQueries().count(arrayElementMatching("^b"), NO_SEGMENTS, Instant.now())).isEqualTo(1);
  }

  /** Each is valid Java syntax that PostgreSQL 14 refuses. */
  @ParameterizedTest
  @ValueSource(strings = {"(?<name>A)", "\\p{L}", "A++", "\\QAna\\E"})
  void regexPostgresRejectsIsInvalidInputNamingTheRegularExpression(String regex) {
    // Parsed here, outside the assertions: FilterParser compiles the regex with java.util.regex and would refuse it.
    Filter onAttribute = attributeMatching(regex);
    Filter onArray = arrayElementMatching(regex);
    Instant now = Instant.now();

    assertRejected(regex, "count", () -> storage.segmentQueries().count(onAttribute, NO_SEGMENTS, now));
    assertRejected(regex, "members", () -> storage.segmentQueries().members(onAttribute, NO_SEGMENTS, now, Long.MIN_VALUE, 10));
    assertRejected(regex, "count (array element)", () -> storage.segmentQueries().count(onArray, NO_SEGMENTS, now));
  }

  private static void assertRejected(String regex, String call, ThrowingCallable query) {
    assertThatThrownBy(query)
        .as("%s with regex %s", call, regex)
        .isInstanceOf(KilnException.class)
        .satisfies(e -> assertThat(((KilnException) e).code()).as("error code of %s with regex %s", call, regex)
            .isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageContaining("regular expression")
        .cause().as("cause of %s with regex %s: PostgreSQL's invalid regular expression", call, regex)
        .isInstanceOfSatisfying(SQLException.class, sql -> assertThat(sql.getSQLState()).isEqualTo("2201B"));
  }
}
