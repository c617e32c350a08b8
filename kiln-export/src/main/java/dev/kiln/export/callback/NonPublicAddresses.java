package dev.kiln.export.callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Names the addresses a callback must not reach: every entry of IANA's IPv4 and IPv6
 * Special-Purpose Address Registries that is not "Globally Reachable: True" (False or N/A), and
 * multicast, which those registries leave to their own. One list taken from the registries, not a
 * hand-kept subset: private networks, loopback and link-local, but also benchmarking,
 * documentation, reserved and translation ranges a network may route internally. Entries marked
 * globally reachable (anycast services, AS112, AMT, ORCHIDv2) are not listed; those that lie inside
 * a listed block (2001::/23, 192.0.0.0/24) are refused with it, as none of them is a web endpoint.
 *
 * <p>IPv6 forms that carry an IPv4 address (IPv4-mapped and -compatible, NAT64's 64:ff9b::/96,
 * 6to4's 2002::/16) reach that IPv4 address, so they are judged by it. Works on the address bytes,
 * not on {@link InetAddress}'s {@code isXxx} methods, which miss most of these.
 */
final class NonPublicAddresses {
  // https://www.iana.org/assignments/iana-ipv4-special-registry (as of 2025)
  private static final List<Range> IPV4 =
      List.of(
          Range.of("0.0.0.0/8", "\"This network\"", "RFC 791, section 3.2"),
          Range.of("0.0.0.0/32", "\"This host on this network\"", "RFC 1122, section 3.2.1.3"),
          Range.of("10.0.0.0/8", "Private-Use", "RFC 1918"),
          Range.of("100.64.0.0/10", "Shared Address Space", "RFC 6598"),
          Range.of("127.0.0.0/8", "Loopback", "RFC 1122, section 3.2.1.3"),
          Range.of("169.254.0.0/16", "Link Local", "RFC 3927"),
          Range.of("172.16.0.0/12", "Private-Use", "RFC 1918"),
          Range.of("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890, section 2.1"),
          Range.of("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335"),
          Range.of("192.0.0.8/32", "IPv4 dummy address", "RFC 7600"),
          Range.of("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 section 2.2"),
          Range.of("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 section 2.2"),
          Range.of("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737"),
          Range.of("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526"),
          Range.of("192.88.99.2/32", "6a44-relay anycast address", "RFC 6751"),
          Range.of("192.168.0.0/16", "Private-Use", "RFC 1918"),
          Range.of("198.18.0.0/15", "Benchmarking", "RFC 2544"),
          Range.of("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737"),
          Range.of("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737"),
          Range.of("240.0.0.0/4", "Reserved", "RFC 1112, section 4"),
          Range.of("255.255.255.255/32", "Limited Broadcast", "RFC 8190, RFC 919 section 7"),
          // Not in the special-purpose registry:
          // https://www.iana.org/assignments/multicast-addresses
          Range.of("224.0.0.0/4", "Multicast", "RFC 5771"));

  // https://www.iana.org/assignments/iana-ipv6-special-registry (as of 2025). ::ffff:0:0/96
  // (IPv4-mapped), 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) are judged by the IPv4 address they
  // carry instead.
  private static final List<Range> IPV6 =
      List.of(
          Range.of("::1/128", "Loopback Address", "RFC 4291"),
          Range.of("::/128", "Unspecified Address", "RFC 4291"),
          Range.of("64:ff9b:1::/48", "IPv4-IPv6 Translat. (local use)", "RFC 8215"),
          Range.of("100::/64", "Discard-Only Address Block", "RFC 6666"),
          Range.of("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780"),
          Range.of("2001::/23", "IETF Protocol Assignments", "RFC 2928"),
          Range.of("2001::/32", "TEREDO", "RFC 4380, RFC 8190"),
          Range.of("2001:2::/48", "Benchmarking", "RFC 5180, RFC Errata 1752"),
          Range.of("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843"),
          Range.of("2001:db8::/32", "Documentation", "RFC 3849"),
          Range.of("3fff::/20", "Documentation", "RFC 9637"),
          Range.of("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602"),
          Range.of("fc00::/7", "Unique-Local", "RFC 4193, RFC 8190"),
          Range.of("fe80::/10", "Link-Local Unicast", "RFC 4291"),
          // Not in the special-purpose registry: deprecated site-local, which a network may still
          // route internally, and multicast (https://www.iana.org/assignments/ipv6-address-space).
          Range.of("fec0::/10", "Site-Local (deprecated)", "RFC 3879"),
          Range.of("ff00::/8", "Multicast", "RFC 4291"));

  private static final Range IPV4_MAPPED =
      Range.of("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291");
  private static final Range IPV4_COMPATIBLE =
      Range.of("::/96", "IPv4-compatible Address (deprecated)", "RFC 4291");
  private static final Range NAT64 = Range.of("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052");
  private static final Range SIX_TO_FOUR = Range.of("2002::/16", "6to4", "RFC 3056");

  private NonPublicAddresses() {}

  /**
   * The registry entry an address lies in, as "name (RFC)", or empty for a globally reachable
   * address.
   */
  static Optional<String> kindOf(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 4 ? find(IPV4, bytes) : kindOfIpv6(bytes);
  }

  private static Optional<String> kindOfIpv6(byte[] bytes) {
    Optional<String> listed = find(IPV6, bytes);
    if (listed.isPresent()) {
      return listed;
    }
    // The OS or a translator delivers these to the embedded IPv4 address, so they are judged by it.
    for (Range embedding : List.of(IPV4_MAPPED, IPV4_COMPATIBLE, NAT64)) {
      if (embedding.contains(bytes)) {
        return embedded(embedding, Arrays.copyOfRange(bytes, 12, 16));
      }
    }
    if (SIX_TO_FOUR.contains(bytes)) {
      return embedded(SIX_TO_FOUR, Arrays.copyOfRange(bytes, 2, 6));
    }
    return Optional.empty();
  }

  private static Optional<String> embedded(Range embedding, byte[] ipv4) {
    return find(IPV4, ipv4).map(kind -> kind + " inside " + embedding.kind());
  }

  /** The most specific entry: the registry lists smaller blocks inside larger ones. */
  private static Optional<String> find(List<Range> ranges, byte[] address) {
    return ranges.stream()
        .filter(range -> range.contains(address))
        .max((a, b) -> Integer.compare(a.bits(), b.bits()))
        .map(Range::kind);
  }

  @SuppressWarnings(
      "ArrayRecordComponent") // matched through its prefix bytes, never compared with equals
  private record Range(byte[] prefix, int bits, String name, String rfc) {
    /**
     * @param block an address block in CIDR notation, of literals (no name lookup takes place)
     */
    static Range of(String block, String name, String rfc) {
      String[] parts = block.split("/");
      try {
        byte[] prefix = InetAddress.getByName(parts[0]).getAddress();
        if (parts[0].contains(":") && prefix.length == 4) {
          prefix = mapped(prefix); // the JDK reads ::ffff:a.b.c.d literals as IPv4
        }
        return new Range(prefix, Integer.parseInt(parts[1]), name, rfc);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP literal: " + block, e);
      }
    }

    private static byte[] mapped(byte[] ipv4) {
      byte[] ipv6 = new byte[16];
      ipv6[10] = (byte) 0xff;
      ipv6[11] = (byte) 0xff;
      System.arraycopy(ipv4, 0, ipv6, 12, 4);
      return ipv6;
    }

    String kind() {
      return name + " (" + rfc + ")";
    }

    /** Whether the address, of the same family as this range, lies in it. */
    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
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
