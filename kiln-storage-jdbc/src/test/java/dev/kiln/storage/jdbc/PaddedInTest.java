package dev.kiln.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PaddedInTest {

  @Test
  void aRepeatedStatementComesInPowersOfTwoSoFewTextsServeEveryCount() {
    assertThat(IntStream.of(1, 2, 3, 4, 5, 8, 9, 33, 63, 64).map(PaddedIn::atLeast).toArray())
        .containsExactly(1, 2, 4, 4, 8, 8, 16, 64, 64, 64);
    assertThat(IntStream.rangeClosed(1, PaddedIn.SIZE).map(PaddedIn::atLeast).distinct().count())
        .as("texts prepared for 1..64 values")
        .isEqualTo(7);
  }

  @Test
  void chunksCoverEveryValueOnceInOrder() {
    List<Integer> values = IntStream.range(0, 130).boxed().toList();
    List<List<Integer>> chunks = PaddedIn.chunks(values);
    assertThat(chunks).extracting(List::size).containsExactly(64, 64, 2);
    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(values);
  }
}
