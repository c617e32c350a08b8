package dev.kiln.server.fuzz;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A change to the bytes of a body as they go on the wire: what a broken client, a proxy or a
 * truncated upload produces. Positions are relative (0 to 1) so a mutation fits any body.
 */
sealed interface ByteMutation {
  byte[] apply(byte[] body);

  record Truncate(double at) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      return Arrays.copyOf(body, index(at, body.length));
    }
  }

  record FlipBit(double at, int bit) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      if (body.length == 0) {
        return body;
      }
      byte[] flipped = body.clone();
      int i = Math.min(index(at, body.length), body.length - 1);
      flipped[i] ^= (byte) (1 << bit);
      return flipped;
    }
  }

  record Insert(double at, Bytes bytes) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      int i = index(at, body.length);
      return concat(
          Arrays.copyOfRange(body, 0, i), bytes.value(), Arrays.copyOfRange(body, i, body.length));
    }
  }

  record Overwrite(double at, Bytes bytes) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      int i = index(at, body.length);
      int end = Math.min(body.length, i + bytes.value().length);
      return concat(
          Arrays.copyOfRange(body, 0, i),
          bytes.value(),
          Arrays.copyOfRange(body, end, body.length));
    }
  }

  record Delete(double at, int length) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      int i = index(at, body.length);
      int end = Math.min(body.length, i + length);
      return concat(Arrays.copyOfRange(body, 0, i), Arrays.copyOfRange(body, end, body.length));
    }
  }

  /** A span written again right after itself, {@code times} times. */
  record RepeatSpan(double at, int length, int times) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      int i = index(at, body.length);
      byte[] span = Arrays.copyOfRange(body, i, Math.min(body.length, i + length));
      byte[] repeated = new byte[span.length * times];
      for (int n = 0; n < times; n++) {
        System.arraycopy(span, 0, repeated, n * span.length, span.length);
      }
      return concat(
          Arrays.copyOfRange(body, 0, i), repeated, Arrays.copyOfRange(body, i, body.length));
    }
  }

  /**
   * The text sent in another encoding: UTF-16 and UTF-32 a parser may detect, Latin-1 it must
   * refuse.
   */
  record Reencode(String charset) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      return new String(body, StandardCharsets.UTF_8).getBytes(Charset.forName(charset));
    }
  }

  /** Another body altogether: empty, an array, a string, a number, garbage. */
  record Replace(Bytes with) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      return with.value();
    }
  }

  record Wrap(String prefix, String suffix) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      return concat(
          prefix.getBytes(StandardCharsets.UTF_8), body, suffix.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Trailing spaces up to {@code size} bytes: valid JSON, but over the body limit. */
  record PadTo(int size) implements ByteMutation {
    @Override
    public byte[] apply(byte[] body) {
      if (body.length >= size) {
        return body;
      }
      byte[] padded = Arrays.copyOf(body, size);
      Arrays.fill(padded, body.length, size, (byte) ' ');
      return padded;
    }
  }

  /** Bytes with a readable toString, so a failing sample shows what was sent. */
  record Bytes(byte[] value) {
    static Bytes of(int... values) {
      byte[] bytes = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        bytes[i] = (byte) values[i];
      }
      return new Bytes(bytes);
    }

    static Bytes text(String text) {
      return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return Printable.bytes(value, 200);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes bytes && Arrays.equals(value, bytes.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }
  }

  private static int index(double at, int length) {
    return Math.max(0, Math.min(length, (int) (at * length)));
  }

  private static byte[] concat(byte[]... parts) {
    int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
    byte[] joined = new byte[length];
    int offset = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, joined, offset, part.length);
      offset += part.length;
    }
    return joined;
  }
}
