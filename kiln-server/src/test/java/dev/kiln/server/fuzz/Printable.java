package dev.kiln.server.fuzz;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bodies as text a failure report can show and a reader can paste into a reproducer: printable
 * ASCII as it is, everything else as a Java escape, invalid UTF-8 as {@code \xNN}, long bodies cut.
 */
final class Printable {
  private Printable() {}

  static String bytes(byte[] bytes, int limit) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < bytes.length && out.length() < limit) {
      int length = sequenceLength(bytes, i);
      if (length == 0) {
        out.append(String.format("\\x%02X", bytes[i] & 0xff));
        i++;
      } else {
        text(new String(bytes, i, length, StandardCharsets.UTF_8), out);
        i += length;
      }
    }
    return i < bytes.length ? out + "...(" + bytes.length + " bytes in all)" : out.toString();
  }

  static String text(String text, int limit) {
    StringBuilder out = new StringBuilder();
    text(text.length() > limit ? text.substring(0, limit) : text, out);
    return text.length() > limit ? out + "...(" + text.length() + " chars in all)" : out.toString();
  }

  private static void text(String text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
  }

  /** The length of the valid UTF-8 sequence at {@code i}, or 0 when the byte there starts none. */
  private static int sequenceLength(byte[] bytes, int i) {
    int lead = bytes[i] & 0xff;
    int length =
        lead < 0x80
            ? 1
            : lead >= 0xC2 && lead <= 0xDF
                ? 2
                : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (length == 0 || i + length > bytes.length) {
      return 0;
    }
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer decoded = strict.decode(ByteBuffer.wrap(bytes, i, length));
      return decoded.length() > 0 ? length : 0;
    } catch (CharacterCodingException e) {
      return 0;
    }
  }
}
