package dev.kiln.server.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON document as the fuzzer writes it. Unlike a parser's tree it can hold what a parser would
 * refuse or normalise away: duplicate keys, numbers in any spelling ({@code 1e999999}, {@code -0},
 * 400 digits), strings with lone surrogates, and verbatim text (70 levels of nesting, garbage).
 */
sealed interface Doc {
  /** Writes the document as JSON text; strings are escaped where JSON requires it, nothing else. */
  default String write() {
    StringBuilder out = new StringBuilder();
    writeTo(out);
    return out.toString();
  }

  void writeTo(StringBuilder out);

  /** About how many characters {@link #write} gives (escapes not counted): a cheap size check. */
  default long approximateLength() {
    return switch (this) {
      case Obj object ->
          2
              + object.members().stream()
                  .mapToLong(
                      member ->
                          member.getKey().length() + 4 + member.getValue().approximateLength())
                  .sum();
      case Arr array ->
          2 + array.items().stream().mapToLong(item -> item.approximateLength() + 1).sum();
      case Str string -> string.value().length() + 2;
      case Num number -> number.literal().length();
      case Raw raw -> raw.text().length();
      default -> 5;
    };
  }

  /** An object whose members keep their order and may repeat a key. */
  record Obj(List<Map.Entry<String, Doc>> members) implements Doc {
    public Obj {
      members = List.copyOf(members);
    }

    static Obj of(Object... keysAndValues) {
      List<Map.Entry<String, Doc>> members = new ArrayList<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        members.add(Map.entry((String) keysAndValues[i], (Doc) keysAndValues[i + 1]));
      }
      return new Obj(members);
    }

    /** An object of the members that are present, in their order. */
    static Obj ofPresent(List<Optional<Map.Entry<String, Doc>>> members) {
      return new Obj(members.stream().flatMap(Optional::stream).toList());
    }

    /** A copy with one more member at the end (a duplicate if the key is already there). */
    Obj with(String key, Doc value) {
      List<Map.Entry<String, Doc>> more = new ArrayList<>(members);
      more.add(Map.entry(key, value));
      return new Obj(more);
    }

    Obj without(String key) {
      return new Obj(members.stream().filter(member -> !member.getKey().equals(key)).toList());
    }

    @Override
    public void writeTo(StringBuilder out) {
      out.append('{');
      for (int i = 0; i < members.size(); i++) {
        out.append(i == 0 ? "" : ",");
        Str.escape(members.get(i).getKey(), out);
        out.append(':');
        members.get(i).getValue().writeTo(out);
      }
      out.append('}');
    }
  }

  record Arr(List<Doc> items) implements Doc {
    public Arr {
      items = List.copyOf(items);
    }

    static Arr of(Doc... items) {
      return new Arr(List.of(items));
    }

    @Override
    public void writeTo(StringBuilder out) {
      out.append('[');
      for (int i = 0; i < items.size(); i++) {
        out.append(i == 0 ? "" : ",");
        items.get(i).writeTo(out);
      }
      out.append(']');
    }
  }

  record Str(String value) implements Doc {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public void writeTo(StringBuilder out) {
      escape(value, out);
    }

    /**
     * Quotes a Java string. Control characters and lone surrogates become {@code \\uXXXX} escapes,
     * so the text stays valid UTF-8 while the server still reads the lone surrogate; a paired
     * surrogate (an emoji) is written as it is.
     */
    static void escape(String value, StringBuilder out) {
      out.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20 || isLoneSurrogate(value, i)) {
          out.append("\\u")
              .append(HEX[c >> 12 & 0xf])
              .append(HEX[c >> 8 & 0xf])
              .append(HEX[c >> 4 & 0xf])
              .append(HEX[c & 0xf]);
        } else {
          out.append(c);
        }
      }
      out.append('"');
    }

    private static boolean isLoneSurrogate(String value, int i) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
      }
      return Character.isLowSurrogate(c)
          && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
    }
  }

  /** A number exactly as spelled, valid JSON or not. */
  record Num(String literal) implements Doc {
    @Override
    public void writeTo(StringBuilder out) {
      out.append(literal);
    }
  }

  record Bool(boolean value) implements Doc {
    @Override
    public void writeTo(StringBuilder out) {
      out.append(value);
    }
  }

  record Null() implements Doc {
    @Override
    public void writeTo(StringBuilder out) {
      out.append("null");
    }
  }

  /** Verbatim text, e.g. 70 levels of nesting or a stray token. */
  record Raw(String text) implements Doc {
    @Override
    public void writeTo(StringBuilder out) {
      out.append(text);
    }
  }

  static Doc str(String value) {
    return new Str(value);
  }

  static Doc num(String literal) {
    return new Num(literal);
  }

  static Doc num(long value) {
    return new Num(Long.toString(value));
  }

  static Doc bool(boolean value) {
    return new Bool(value);
  }

  static Doc nul() {
    return new Null();
  }
}
