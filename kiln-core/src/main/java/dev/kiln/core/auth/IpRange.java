package dev.kiln.core.auth;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare
 * address means that one address. IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) match the
 * IPv4 networks they embed, because dual-stack servers report IPv4 peers that way.
 */
@SuppressWarnings("ArrayRecordComponent") // equals and hashCode below compare the bytes
public record IpRange(byte[] network, int prefixLength) {
  // Only literals: InetAddress.getByName would otherwise resolve host names through DNS, and read
  // shorthand such as "1.2.3" or "16909060" as IPv4 addresses nobody meant.
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  public IpRange {
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("an IP network has 4 or 16 bytes, not " + network.length);
    }
    network = network.clone();
    if (prefixLength < 0 || prefixLength > network.length * 8) {
      throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    }
  }

  public static IpRange parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = literalBytes(address, text);
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      prefix = parsePrefix(trimmed.substring(slash + 1), bytes.length * 8, text);
    }
    return new IpRange(mask(bytes, prefix), prefix);
  }

  /** A copy: the range cannot be changed through its accessor. */
  @Override
  public byte[] network() {
    return network.clone();
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = normalize(address.getAddress());
    if (candidate.length != network.length) {
      return false;
    }
    return java.util.Arrays.equals(mask(candidate, prefixLength), network);
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // unreachable: network is 4 or 16 bytes
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange other
        && prefixLength == other.prefixLength
        && java.util.Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefixLength;
  }

  private static byte[] literalBytes(String address, String original) {
    Matcher ipv4 = IPV4.matcher(address);
    if (ipv4.matches()) {
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(ipv4.group(i + 1));
        if (octet > 255) {
          throw invalid(original);
        }
        bytes[i] = (byte) octet;
      }
      return bytes;
    }
    if (!IPV6.matcher(address).matches()) {
      throw invalid(original);
    }
    try {
      return normalize(
          InetAddress.getByName(address).getAddress()); // a ':' makes it a literal: no DNS
    } catch (UnknownHostException e) {
      throw invalid(original);
    }
  }

  private static int parsePrefix(String text, int maxBits, String original) {
    try {
      int prefix = Integer.parseInt(text);
      if (prefix >= 0 && prefix <= maxBits) {
        return prefix;
      }
    } catch (NumberFormatException e) {
      // reported below with the whole range in the message
    }
    throw invalid(original);
  }

  private static byte[] normalize(byte[] address) {
    if (address.length == 16 && isIpv4Mapped(address)) {
      return java.util.Arrays.copyOfRange(address, 12, 16);
    }
    return address;
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int bitsInByte = Math.max(0, Math.min(8, prefix - i * 8));
      masked[i] &= (byte) (0xff << (8 - bitsInByte));
    }
    return masked;
  }

  private static KilnException invalid(String text) {
    return new KilnException(
        ErrorCode.INVALID_INPUT,
        "'"
            + text
            + "' is not an IP address or CIDR range (examples: 203.0.113.7, 10.0.0.0/8, 2001:db8::/32)");
  }
}
