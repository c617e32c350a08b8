package dev.kiln.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

  @Test
  void singleIpv4AddressMatchesOnlyThatAddress() {
    IpRange range = IpRange.parse("203.0.113.7");

    assertThat(range.contains(ip("203.0.113.7"))).isTrue();
    assertThat(range.contains(ip("203.0.113.8"))).isFalse();
    assertThat(range.contains(ip("203.0.113.6"))).isFalse();
    assertThat(range.prefixLength()).isEqualTo(32);
    assertThat(range).hasToString("203.0.113.7/32");
  }

  @Test
  void slash8MatchesEveryAddressOfTheNetwork() {
    IpRange range = IpRange.parse("10.0.0.0/8");

    assertThat(range.contains(ip("10.0.0.0"))).isTrue();
    assertThat(range.contains(ip("10.1.2.3"))).isTrue();
    assertThat(range.contains(ip("10.255.255.255"))).isTrue();
    assertThat(range.contains(ip("11.0.0.0"))).isFalse();
    assertThat(range.contains(ip("9.255.255.255"))).isFalse();
  }

  @Test
  void prefixNotOnAByteBoundaryMatchesExactlyItsBits() {
    IpRange range = IpRange.parse("192.168.240.0/20");

    assertThat(range.contains(ip("192.168.240.0"))).isTrue();
    assertThat(range.contains(ip("192.168.255.255"))).isTrue();
    assertThat(range.contains(ip("192.168.239.255"))).isFalse();
    assertThat(range.contains(ip("192.169.0.0"))).isFalse();
  }

  @Test
  void ipv4Slash0MatchesEveryIpv4Address() {
    IpRange range = IpRange.parse("0.0.0.0/0");

    assertThat(range.contains(ip("0.0.0.0"))).isTrue();
    assertThat(range.contains(ip("1.2.3.4"))).isTrue();
    assertThat(range.contains(ip("255.255.255.255"))).isTrue();
  }

  @Test
  void ipv6Slash0MatchesEveryIpv6Address() {
    IpRange range = IpRange.parse("::/0");

    assertThat(range.contains(ip("::1"))).isTrue();
    assertThat(range.contains(ip("2001:db8::1"))).isTrue();
    assertThat(range.contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
  }

  @Test
  void slash32MatchesOneAddress() {
    IpRange range = IpRange.parse("10.1.2.3/32");

    assertThat(range.contains(ip("10.1.2.3"))).isTrue();
    assertThat(range.contains(ip("10.1.2.4"))).isFalse();
    assertThat(range).isEqualTo(IpRange.parse("10.1.2.3"));
  }

  @Test
  void ipv6Slash32MatchesItsNetwork() {
    IpRange range = IpRange.parse("2001:db8::/32");

    assertThat(range.contains(ip("2001:db8::1"))).isTrue();
    assertThat(range.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
    assertThat(range.contains(ip("2001:db9::1"))).isFalse();
    assertThat(range.contains(ip("2001:db7:ffff::1"))).isFalse();
  }

  @Test
  void singleIpv6AddressMatchesOnlyThatAddress() {
    IpRange range = IpRange.parse("2001:db8::7");

    assertThat(range.prefixLength()).isEqualTo(128);
    assertThat(range.contains(ip("2001:db8::7"))).isTrue();
    assertThat(range.contains(ip("2001:db8::8"))).isFalse();
  }

  @Test
  void ipv4MappedAddressMatchesIpv4Range() {
    IpRange range = IpRange.parse("10.0.0.0/8");

    assertThat(range.contains(ip("::ffff:10.1.2.3"))).isTrue();
    assertThat(range.contains(ip("::ffff:11.1.2.3"))).isFalse();
  }

  @Test
  void ipv4MappedAddressInSixteenByteFormMatchesIpv4Range() throws UnknownHostException {
    // InetAddress.getByName turns a mapped literal into an Inet4Address; a socket may still
    // report the 16-byte Inet6Address form, which is what this builds.
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
    InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
    assertThat(client.getAddress()).hasSize(16);

    assertThat(IpRange.parse("10.0.0.0/8").contains(client)).isTrue();
    assertThat(IpRange.parse("11.0.0.0/8").contains(client)).isFalse();
  }

  @Test
  void ipv4RangeNeverMatchesPlainIpv6Address() {
    IpRange everyIpv4 = IpRange.parse("0.0.0.0/0");

    assertThat(everyIpv4.contains(ip("::1"))).isFalse();
    assertThat(everyIpv4.contains(ip("2001:db8::1"))).isFalse();
    assertThat(everyIpv4.contains(ip("::"))).isFalse();
  }

  @Test
  void ipv6RangeNeverMatchesIpv4Address() {
    assertThat(IpRange.parse("::/0").contains(ip("10.1.2.3"))).isFalse();
  }

  @Test
  void hostBitsInTheNetworkAreMasked() {
    assertThat(IpRange.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
    assertThat(IpRange.parse("10.1.2.3/8")).isEqualTo(IpRange.parse("10.0.0.0/8"));
    assertThat(IpRange.parse("192.168.255.1/20")).hasToString("192.168.240.0/20");
    assertThat(IpRange.parse("2001:db8:1234::1/32")).isEqualTo(IpRange.parse("2001:db8::/32"));
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertThat(IpRange.parse(" 10.0.0.0/8\t")).isEqualTo(IpRange.parse("10.0.0.0/8"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "   ", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x", "2001:db8::/129",
        "example.com", "10.0.0.0/8/8", "not an ip", "256.1.2.3", "1.2.3.4.5", "1.2.3.4:80",
            "1::2::3",
        "[::1]", "::1/"
      })
  void invalidInputIsRejectedQuotingTheInput(String text) {
    KilnException e = catchThrowableOfType(KilnException.class, () -> IpRange.parse(text));

    assertThat(e).as("parse(\"%s\")", text).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage()).contains("'" + text + "'");
  }

  /** InetAddress alone would read these as BSD shorthand: "1.2.3" as 1.2.0.3. */
  @ParameterizedTest
  @ValueSource(strings = {"1.2.3", "1.2", "16909060"})
  void abbreviatedIpv4LiteralIsRejectedNotReadAsShorthand(String text) {
    KilnException e = catchThrowableOfType(KilnException.class, () -> IpRange.parse(text));

    assertThat(e).as("parse(\"%s\")", text).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage()).contains("'" + text + "'");
  }

  @Test
  void hostNameIsNotResolved() {
    KilnException e = catchThrowableOfType(KilnException.class, () -> IpRange.parse("localhost"));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage()).contains("'localhost'");
  }

  /**
   * A host name spelled only with hex digits and dots ("cafe", "bad.de") looks much like a literal;
   * handed to InetAddress it would be resolved. A child JVM with its own hosts file makes that
   * observable without depending on the network.
   */
  @Test
  void hostNameMadeOfHexLettersIsNotResolved(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "10.9.8.7 cafe bad.de\n", StandardCharsets.UTF_8);

    assertThat(parseInChildJvm(hosts, "cafe")).isEqualTo("INVALID_INPUT");
    assertThat(parseInChildJvm(hosts, "bad.de")).isEqualTo("INVALID_INPUT");
  }

  @Test
  void equalsAndHashCodeCompareByValue() {
    IpRange a = IpRange.parse("10.0.0.0/8");
    IpRange b = new IpRange(new byte[] {10, 0, 0, 0}, 8);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(IpRange.parse("10.0.0.0/9"));
    assertThat(a).isNotEqualTo(IpRange.parse("11.0.0.0/8"));
    assertThat(IpRange.parse("2001:db8::/32")).isEqualTo(IpRange.parse("2001:0db8:0:0::/32"));
  }

  @Test
  void constructorCopiesTheNetworkBytes() {
    byte[] network = {10, 0, 0, 0};
    IpRange range = new IpRange(network, 8);

    network[0] = 11;

    assertThat(range.contains(ip("10.1.2.3"))).isTrue();
    assertThat(range).hasToString("10.0.0.0/8");
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError("test literal " + literal, e);
    }
  }

  /** Returns the range the child parsed, or the error code it got. */
  private static String parseInChildJvm(Path hostsFile, String text)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Djdk.net.hosts.file=" + hostsFile,
                    "-cp",
                    System.getProperty("java.class.path"),
                    ParseInChildJvm.class.getName(),
                    text))
            .redirectErrorStream(true)
            .start();
    boolean exited = process.waitFor(30, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish");
    }
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.exitValue()).as("child output: %s", output).isZero();
    return output;
  }

  /** Run in a child JVM by {@link #parseInChildJvm}. */
  static final class ParseInChildJvm {
    public static void main(String[] args) {
      try {
        System.out.println(IpRange.parse(args[0]));
      } catch (KilnException e) {
        System.out.println(e.code());
      }
    }
  }
}
