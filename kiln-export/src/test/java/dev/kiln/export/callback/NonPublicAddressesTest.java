package dev.kiln.export.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every range, at its edges, from IP literals (no name lookup). */
class NonPublicAddressesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.1       | a loopback address
      127.255.255.254 | a loopback address
      ::1             | a loopback address
      0.0.0.0         | an unspecified (any-local) address
      ::              | an unspecified (any-local) address
      0.0.0.1         | a 'this network' (0/8) address
      0.255.255.255   | a 'this network' (0/8) address
      169.254.0.0     | a link-local address
      169.254.169.254 | a link-local address
      169.254.255.255 | a link-local address
      fe80::1         | a link-local address
      febf:ffff::1    | a link-local address
      10.0.0.0        | a private address
      10.255.255.255  | a private address
      172.16.0.0      | a private address
      172.31.255.255  | a private address
      192.168.0.0     | a private address
      192.168.255.255 | a private address
      fec0::1         | a site-local address
      feff:ffff::1    | a site-local address
      fc00::1         | a unique-local address
      fd12:3456::1    | a unique-local address
      fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | a unique-local address
      100.64.0.0      | a carrier-grade NAT address
      100.127.255.255 | a carrier-grade NAT address
      224.0.0.1       | a multicast address
      239.255.255.250 | a multicast address
      ff02::1         | a multicast address
      ff0e::1         | a multicast address
      255.255.255.255 | the broadcast address
      ::10.0.0.5      | an IPv4-compatible IPv6 address of a private address
      ::127.0.0.1     | an IPv4-compatible IPv6 address of a loopback address
      ::169.254.169.254 | an IPv4-compatible IPv6 address of a link-local address
      ::100.64.0.1    | an IPv4-compatible IPv6 address of a carrier-grade NAT address
      """)
  void nonPublicAddressesAreNamed(String literal, String kind) throws Exception {
    assertThat(NonPublicAddresses.kindOf(InetAddress.getByName(literal))).contains(kind);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "1.1.1.1", "8.8.8.8", "1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
      "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
      "192.169.0.0", "223.255.255.255",
      "2001:4860:4860::8888", "2606:4700:4700::1111", "fbff::1", "fe7f::1", "::2:0:0:1", "::8.8.8.8",
      "fe00::1"})
  void publicAddressesAreNot(String literal) throws Exception {
    assertThat(NonPublicAddresses.kindOf(InetAddress.getByName(literal))).isEmpty();
  }

  /** The JDK turns mapped literals into IPv4 addresses, but a resolver may hand them out as IPv6. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      10.0.0.5        | an IPv4-mapped IPv6 address of a private address
      127.0.0.1       | an IPv4-mapped IPv6 address of a loopback address
      169.254.169.254 | an IPv4-mapped IPv6 address of a link-local address
      0.0.0.0         | an IPv4-mapped IPv6 address of an unspecified (any-local) address
      255.255.255.255 | an IPv4-mapped IPv6 address of the broadcast address
      """)
  void ipv4MappedAddressesAreJudgedByTheirIpv4Address(String ipv4, String kind) throws Exception {
    assertThat(NonPublicAddresses.kindOf(mapped(ipv4))).contains(kind);
  }

  @Test
  void anIpv4MappedPublicAddressIsPublic() throws Exception {
    assertThat(NonPublicAddresses.kindOf(mapped("8.8.8.8"))).isEmpty();
  }

  @Test
  void theJdkReadsMappedLiteralsAsIpv4() throws Exception {
    assertThat(NonPublicAddresses.kindOf(InetAddress.getByName("::ffff:192.168.1.1"))).contains("a private address");
  }

  private static InetAddress mapped(String ipv4) throws Exception {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, bytes, 12, 4);
    InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
    assertThat(address).isInstanceOf(Inet6Address.class);
    return address;
  }
}
