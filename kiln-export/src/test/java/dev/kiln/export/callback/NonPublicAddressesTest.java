package dev.kiln.export.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every entry of IANA's IPv4 and IPv6 Special-Purpose Address Registries that is not globally
 * reachable, and multicast: an address inside it is named by it, and its first and last addresses
 * are refused. Written from the registries, independently of the list in the code, so an entry
 * missing there fails here. Addresses are literals or bytes (no name lookup).
 */
class NonPublicAddressesTest {

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      0.0.0.0/8          | 0.1.2.3         | "This network" (RFC 791, section 3.2)
      0.0.0.0/32         | 0.0.0.0         | "This host on this network" (RFC 1122, section 3.2.1.3)
      10.0.0.0/8         | 10.20.30.40     | Private-Use (RFC 1918)
      100.64.0.0/10      | 100.100.100.200 | Shared Address Space (RFC 6598)
      127.0.0.0/8        | 127.0.0.1       | Loopback (RFC 1122, section 3.2.1.3)
      169.254.0.0/16     | 169.254.169.254 | Link Local (RFC 3927)
      172.16.0.0/12      | 172.20.1.1      | Private-Use (RFC 1918)
      192.0.0.0/24       | 192.0.0.100     | IETF Protocol Assignments (RFC 6890, section 2.1)
      192.0.0.0/29       | 192.0.0.5       | IPv4 Service Continuity Prefix (RFC 7335)
      192.0.0.8/32       | 192.0.0.8       | IPv4 dummy address (RFC 7600)
      192.0.0.170/32     | 192.0.0.170     | NAT64/DNS64 Discovery (RFC 8880, RFC 7050 section 2.2)
      192.0.0.171/32     | 192.0.0.171     | NAT64/DNS64 Discovery (RFC 8880, RFC 7050 section 2.2)
      192.0.2.0/24       | 192.0.2.10      | Documentation (TEST-NET-1) (RFC 5737)
      192.88.99.0/24     | 192.88.99.1     | Deprecated (6to4 Relay Anycast) (RFC 7526)
      192.88.99.2/32     | 192.88.99.2     | 6a44-relay anycast address (RFC 6751)
      192.168.0.0/16     | 192.168.1.1     | Private-Use (RFC 1918)
      198.18.0.0/15      | 198.19.200.1    | Benchmarking (RFC 2544)
      198.51.100.0/24    | 198.51.100.7    | Documentation (TEST-NET-2) (RFC 5737)
      203.0.113.0/24     | 203.0.113.9     | Documentation (TEST-NET-3) (RFC 5737)
      240.0.0.0/4        | 250.1.2.3       | Reserved (RFC 1112, section 4)
      255.255.255.255/32 | 255.255.255.255 | Limited Broadcast (RFC 8190, RFC 919 section 7)
      224.0.0.0/4        | 239.255.255.250 | Multicast (RFC 5771)
      ::1/128            | ::1             | Loopback Address (RFC 4291)
      ::/128             | ::              | Unspecified Address (RFC 4291)
      64:ff9b:1::/48     | 64:ff9b:1::a00:1 | IPv4-IPv6 Translat. (local use) (RFC 8215)
      100::/64           | 100::1          | Discard-Only Address Block (RFC 6666)
      100:0:0:1::/64     | 100:0:0:1::1    | Dummy IPv6 Prefix (RFC 9780)
      2001::/23          | 2001:1ff::1     | IETF Protocol Assignments (RFC 2928)
      2001::/32          | 2001::abcd      | TEREDO (RFC 4380, RFC 8190)
      2001:2::/48        | 2001:2::1       | Benchmarking (RFC 5180, RFC Errata 1752)
      2001:10::/28       | 2001:1a::1      | Deprecated (previously ORCHID) (RFC 4843)
      2001:db8::/32      | 2001:db8::1     | Documentation (RFC 3849)
      3fff::/20          | 3fff:fff::1     | Documentation (RFC 9637)
      5f00::/16          | 5f00:1::1       | Segment Routing (SRv6) SIDs (RFC 9602)
      fc00::/7           | fd12:3456::1    | Unique-Local (RFC 4193, RFC 8190)
      fe80::/10          | fe80::1         | Link-Local Unicast (RFC 4291)
      fec0::/10          | fec0::1         | Site-Local (deprecated) (RFC 3879)
      ff00::/8           | ff02::1         | Multicast (RFC 4291)
      """)
  void everyEntryNamesItsAddressesAndRefusesItsEdges(String block, String inside, String kind)
      throws Exception {
    assertThat(NonPublicAddresses.kindOf(InetAddress.getByName(inside))).as(inside).contains(kind);
    assertThat(NonPublicAddresses.kindOf(edge(block, false)))
        .as("first address of %s", block)
        .isPresent();
    assertThat(NonPublicAddresses.kindOf(edge(block, true)))
        .as("last address of %s", block)
        .isPresent();
  }

  /**
   * Entries the registries mark globally reachable, inside no refused block, and the neighbours of
   * refused blocks.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.1.1.1",
        "8.8.8.8",
        "1.0.0.0",
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "126.255.255.255",
        "128.0.0.0",
        "169.253.255.255",
        "169.255.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "191.255.255.255",
        "192.0.1.0",
        "192.0.1.255",
        "192.0.3.0",
        "192.88.98.255",
        "192.88.100.0",
        "192.167.255.255",
        "192.169.0.0",
        "198.17.255.255",
        "198.20.0.0",
        "198.51.99.255",
        "198.51.101.0",
        "203.0.112.255",
        "203.0.114.0",
        "223.255.255.255",
        "192.31.196.1",
        "192.52.193.1",
        "192.175.48.1", // AS112-v4, AMT, AS112 direct delegation: globally reachable
        "2001:4860:4860::8888",
        "2606:4700:4700::1111",
        "2620:4f:8000::1",
        "2001:200::1",
        "2001:db7:ffff::1",
        "2001:db9::1",
        "3ffe:ffff::1",
        "3fff:1000::1",
        "5eff::1",
        "5f01::1",
        "fbff::1",
        "fe7f::1",
        "100:0:0:2::1",
        "64:ff9b:2::1",
        "::2:0:0:1",
        "::8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
        "fe00::1"
      })
  void globallyReachableAddressesAreNot(String literal) throws Exception {
    assertThat(NonPublicAddresses.kindOf(InetAddress.getByName(literal))).as(literal).isEmpty();
  }

  /**
   * IPv4 carried in IPv6 reaches that IPv4 address: NAT64, 6to4, IPv4-mapped and IPv4-compatible.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      64:ff9b::a00:5         | Private-Use (RFC 1918) inside IPv4-IPv6 Translat. (RFC 6052)
      64:ff9b::7f00:1        | Loopback (RFC 1122, section 3.2.1.3) inside IPv4-IPv6 Translat. (RFC 6052)
      64:ff9b::a9fe:a9fe     | Link Local (RFC 3927) inside IPv4-IPv6 Translat. (RFC 6052)
      64:ff9b::c612:1        | Benchmarking (RFC 2544) inside IPv4-IPv6 Translat. (RFC 6052)
      2002:a00:1::1          | Private-Use (RFC 1918) inside 6to4 (RFC 3056)
      2002:7f00:1::          | Loopback (RFC 1122, section 3.2.1.3) inside 6to4 (RFC 3056)
      2002:c000:2ff::1       | Documentation (TEST-NET-1) (RFC 5737) inside 6to4 (RFC 3056)
      ::10.0.0.5             | Private-Use (RFC 1918) inside IPv4-compatible Address (deprecated) (RFC 4291)
      ::127.0.0.1            | Loopback (RFC 1122, section 3.2.1.3) inside IPv4-compatible Address (deprecated) (RFC 4291)
      ::240.0.0.1            | Reserved (RFC 1112, section 4) inside IPv4-compatible Address (deprecated) (RFC 4291)
      """)
  void embeddedIpv4IsJudgedByItsIpv4Address(String literal, String kind) throws Exception {
    assertThat(NonPublicAddresses.kindOf(InetAddress.getByName(literal))).contains(kind);
  }

  /**
   * The JDK turns mapped literals into IPv4 addresses, but a resolver may hand them out as IPv6.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      10.0.0.5        | Private-Use (RFC 1918) inside IPv4-mapped Address (RFC 4291)
      169.254.169.254 | Link Local (RFC 3927) inside IPv4-mapped Address (RFC 4291)
      192.0.0.8       | IPv4 dummy address (RFC 7600) inside IPv4-mapped Address (RFC 4291)
      198.18.0.1      | Benchmarking (RFC 2544) inside IPv4-mapped Address (RFC 4291)
      """)
  void ipv4MappedAddressesAreJudgedByTheirIpv4Address(String ipv4, String kind) throws Exception {
    assertThat(NonPublicAddresses.kindOf(mapped(ipv4))).contains(kind);
    assertThat(NonPublicAddresses.kindOf(mapped("8.8.8.8"))).isEmpty();
  }

  /** The first or last address of a CIDR block. */
  private static InetAddress edge(String block, boolean last) throws Exception {
    String[] parts = block.split("/");
    byte[] prefix = InetAddress.getByName(parts[0]).getAddress();
    int bits = prefix.length * 8;
    BigInteger hostBits =
        BigInteger.ONE.shiftLeft(bits - Integer.parseInt(parts[1])).subtract(BigInteger.ONE);
    BigInteger value = new BigInteger(1, prefix);
    byte[] raw = (last ? value.or(hostBits) : value.andNot(hostBits)).toByteArray();
    byte[] bytes = new byte[prefix.length];
    int copied = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copied, bytes, bytes.length - copied, copied);
    return bytes.length == 16
        ? Inet6Address.getByAddress(null, bytes, -1)
        : InetAddress.getByAddress(bytes);
  }

  private static InetAddress mapped(String ipv4) throws Exception {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, bytes, 12, 4);
    InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
    assertThat(address).isInstanceOf(Inet6Address.class);
    assertThat(Arrays.equals(address.getAddress(), bytes)).isTrue();
    return address;
  }
}
