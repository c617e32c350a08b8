package dev.kiln.export.callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Names the addresses that reach the host itself or its private network rather than the public
 * internet. Works on the address bytes, not on {@link InetAddress}'s {@code isXxx} methods, which miss
 * carrier-grade NAT, unique-local IPv6, broadcast, {@code 0/8} and IPv4 embedded in IPv6.
 */
final class NonPublicAddresses {
  private static final List<Range> IPV4 = List.of(
      Range.of("0.0.0.0", 32, "an unspecified (any-local) address"),
      Range.of("0.0.0.0", 8, "a 'this network' (0/8) address"),
      Range.of("10.0.0.0", 8, "a private address"),
      Range.of("100.64.0.0", 10, "a carrier-grade NAT address"),
      Range.of("127.0.0.0", 8, "a loopback address"),
      Range.of("169.254.0.0", 16, "a link-local address"),
      Range.of("172.16.0.0", 12, "a private address"),
      Range.of("192.168.0.0", 16, "a private address"),
      Range.of("224.0.0.0", 4, "a multicast address"),
      Range.of("255.255.255.255", 32, "the broadcast address"));

  private static final List<Range> IPV6 = List.of(
      Range.of("::", 128, "an unspecified (any-local) address"),
      Range.of("::1", 128, "a loopback address"),
      Range.of("fe80::", 10, "a link-local address"),
      // Deprecated by RFC 3879, but a network may still use it internally.
      Range.of("fec0::", 10, "a site-local address"),
      Range.of("fc00::", 7, "a unique-local address"),
      Range.of("ff00::", 8, "a multicast address"));

  private NonPublicAddresses() {}

  /** What kind of non-public address this is ("a private address"), or empty for a public one. */
  static Optional<String> kindOf(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return find(IPV4, bytes);
    }
    Optional<String> ipv6 = find(IPV6, bytes);
    if (ipv6.isPresent()) {
      return ipv6;
    }
    // The OS routes these to the embedded IPv4 address, so they are judged by it.
    String embedding = isZero(bytes, 0, 10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff
        ? "IPv4-mapped"
        : isZero(bytes, 0, 12) ? "IPv4-compatible" : null;
    if (embedding == null) {
      return Optional.empty();
    }
    byte[] ipv4 = Arrays.copyOfRange(bytes, 12, 16);
    return find(IPV4, ipv4).map(kind -> "an " + embedding + " IPv6 address of " + kind);
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Optional<String> find(List<Range> ranges, byte[] address) {
    return ranges.stream().filter(range -> range.contains(address)).map(Range::kind).findFirst();
  }

  private record Range(byte[] prefix, int bits, String kind) {
    static Range of(String literal, int bits, String kind) {
      try {
        // A literal, so no name lookup takes place.
        return new Range(InetAddress.getByName(literal).getAddress(), bits, kind);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP literal: " + literal, e);
      }
    }

    /** Whether the address, of the same family as this range, lies in it. */
    boolean contains(byte[] address) {
      int wholeBytes = bits / 8;
      for (int i = 0; i < wholeBytes; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int restBits = bits % 8;
      if (restBits == 0) {
        return true;
      }
      int mask = (0xff << (8 - restBits)) & 0xff;
      return (address[wholeBytes] & mask) == (prefix[wholeBytes] & mask);
    }
  }
}
