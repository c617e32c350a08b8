package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** StrictUtf8 agrees with the JDK's strict UTF-8 decoder on every byte string it is shown. */
class StrictUtf8Test {
  private static final CharsetDecoder JDK_STRICT =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  @Test
  void agreesWithTheJdksStrictDecoderOnEveryOneTwoAndThreeByteString() {
    for (int a = 0; a < 256; a++) {
      assertAgrees(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) {
        assertAgrees(new byte[] {(byte) a, (byte) b});
        // A third byte matters only after a three- or four-byte lead and a continuation byte.
        for (int c = a >= 0xE0 && b >= 0x80 && b <= 0xBF ? 0 : 256; c < 256; c++) {
          assertAgrees(new byte[] {(byte) a, (byte) b, (byte) c});
        }
      }
    }
  }

  @Test
  void agreesWithTheJdksStrictDecoderOnFourByteStringsAndMixedText() {
    Random random = new Random(17);
    for (int n = 0; n < 300_000; n++) {
      byte[] bytes = new byte[1 + random.nextInt(8)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] =
            (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
      }
      assertAgrees(bytes);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "7A",
        "C2 80",
        "DF BF",
        "E0 A0 80",
        "ED 9F BF",
        "EE 80 80",
        "EF BF BF",
        "F0 90 80 80",
        "F4 8F BF BF"
      })
  void theBoundsOfEachFormAreValid(String hex) {
    assertThat(StrictUtf8.isValid(HexFormat.ofDelimiter(" ").parseHex(hex))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"%C0%AF", "a%ED%A0%80", "%F4%90%80%80", "%E2%82", "%FF"})
  void percentEscapesThatSpellNoUtf8AreInvalid(String raw) {
    assertThat(StrictUtf8.isValidPercentEncoded(raw)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"plain", "a%2Fb", "%E2%82%AC", "%F0%9F%98%80", "caf\u00e9%20", "100%", "%zz"})
  void percentEscapesThatSpellUtf8AndStrayPercentsAreValid(String raw) {
    assertThat(StrictUtf8.isValidPercentEncoded(raw)).isTrue();
  }

  private static void assertAgrees(byte[] bytes) {
    if (StrictUtf8.isValid(bytes) != jdkStrict(bytes)) {
      throw new AssertionError(
          "disagrees with the JDK on " + HexFormat.ofDelimiter(" ").formatHex(bytes));
    }
  }

  private static boolean jdkStrict(byte[] bytes) {
    try {
      JDK_STRICT.decode(ByteBuffer.wrap(bytes)); // resets the decoder first
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
