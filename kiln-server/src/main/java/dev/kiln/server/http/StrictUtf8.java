package dev.kiln.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Whether bytes are UTF-8 as RFC 3629 defines it: no overlong forms ({@code C0 AF} for '/'), no
 * surrogates ({@code ED A0 80}), nothing above U+10FFFF, no sequence cut short. Lenient decoders
 * (Jackson's among them) read an overlong form as the character it spells, so two byte strings would
 * name one user; the JDK's decoder, set to report errors, is strict. It decodes into one small buffer
 * per thread, over and over, so a check costs a pass over the bytes and no allocation.
 */
final class StrictUtf8 {
  /** The answer to a URL whose %-escapes are not UTF-8, whichever layer finds it. */
  static final String URL_NOT_UTF8 = "The request's URL is not valid UTF-8 once its %-escapes are decoded";

  private static final ThreadLocal<Checker> CHECKERS = ThreadLocal.withInitial(Checker::new);

  private StrictUtf8() {}

  /** Whether these bytes are valid UTF-8. */
  static boolean isValid(byte[] bytes) {
    return CHECKERS.get().isValid(ByteBuffer.wrap(bytes));
  }

  /**
   * Whether a URI component, as sent (percent-encoded), spells valid UTF-8 once its {@code %XX}
   * escapes are decoded. Characters sent unescaped were decoded by Jetty already, and are kept.
   */
  static boolean isValidPercentEncoded(String raw) {
    if (raw == null || raw.indexOf('%') < 0) {
      return true; // nothing escaped: the text is whatever Jetty decoded
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length() && HexFormat.isHexDigit(raw.charAt(i + 1)) && HexFormat.isHexDigit(raw.charAt(i + 2))) {
        bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return isValid(bytes.toByteArray());
  }

  private static final class Checker {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer scratch = CharBuffer.allocate(4096);

    boolean isValid(ByteBuffer bytes) {
      decoder.reset();
      CoderResult result;
      do {
        scratch.clear();
        result = decoder.decode(bytes, scratch, true);
      } while (result.isOverflow());
      return !result.isError();
    }
  }
}
