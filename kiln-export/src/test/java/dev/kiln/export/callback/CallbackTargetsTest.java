package dev.kiln.export.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Targets given as IP literals and 'localhost', or names answered by a fixed resolver: no DNS. */
class CallbackTargetsTest {
  private final CallbackTargets publicOnly = new CallbackTargets(false);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.com/hooks/export",
        "http://example.com:8080/a?b=c#d",
        "HTTPS://Example.COM",
        "http://[2001:db8::1]/x",
        "http://10.0.0.5/checked-when-sending"
      })
  void parseAcceptsAbsoluteHttpUrls(String raw) {
    assertThat(CallbackTargets.parse(raw)).isEqualTo(URI.create(raw));
  }

  @Test
  void parseAcceptsUpTo2048Characters() {
    String longest = "https://example.com/" + "a".repeat(2048 - "https://example.com/".length());

    assertThat(CallbackTargets.parse(longest).toString()).hasSize(2048);
    assertThatInvalid(longest + "a", "callback_endpoint is longer than 2048 characters");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ''                                | callback_endpoint must be an absolute http or https URL
      example.com/hook                  | callback_endpoint must be an absolute http or https URL
      /hook                             | callback_endpoint must be an absolute http or https URL
      ftp://example.com/export          | callback_endpoint must be an absolute http or https URL
      file:///etc/passwd                | callback_endpoint must be an absolute http or https URL
      javascript:alert(1)               | callback_endpoint must be an absolute http or https URL
      gopher://127.0.0.1:6379/_INFO     | callback_endpoint must be an absolute http or https URL
      http:///hook                      | callback_endpoint must name a host
      http:example.com                  | callback_endpoint must name a host
      https://user:secret@example.com/  | callback_endpoint must not contain user-info (user:password@)
      https://token@example.com/        | callback_endpoint must not contain user-info (user:password@)
      https://exa mple.com/             | callback_endpoint is not a valid URL: Illegal character in authority at index 11
      http://[::1/                      | callback_endpoint is not a valid URL: Expected closing bracket for IPv6 address at index 11
      """)
  void parseRefusesWhatIsNotAnAbsoluteHttpUrl(String raw, String message) {
    assertThatInvalid(raw, message);
  }

  /** The answer names the host only: what an internal name resolves to is for the server log. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      http://127.0.0.1:8080/hook               | 127.0.0.1
      http://127.1/                            | 127.0.0.1
      http://2130706433/                       | 127.0.0.1
      http://[::1]/                            | 0:0:0:0:0:0:0:1
      http://0.0.0.0/                          | 0.0.0.0
      http://[::]/                             | 0:0:0:0:0:0:0:0
      http://0.1.2.3/                          | 0.1.2.3
      http://169.254.169.254/latest/meta-data/ | 169.254.169.254
      http://[fe80::1]/                        | fe80:0:0:0:0:0:0:1
      https://10.0.0.5/hook                    | 10.0.0.5
      https://172.20.1.1/hook                  | 172.20.1.1
      https://192.168.1.10/hook                | 192.168.1.10
      http://[fec0::1]/                        | fec0:0:0:0:0:0:0:1
      http://[fd00::1]/                        | fd00:0:0:0:0:0:0:1
      http://[fc00::1]/                        | fc00:0:0:0:0:0:0:1
      http://100.100.100.200/                  | 100.100.100.200
      http://224.0.0.251/                      | 224.0.0.251
      http://[ff02::1]/                        | ff02:0:0:0:0:0:0:1
      http://255.255.255.255/                  | 255.255.255.255
      http://[::ffff:10.0.0.5]/                | 10.0.0.5
      http://[::ffff:127.0.0.1]/               | 127.0.0.1
      http://[::10.0.0.5]/                     | 0:0:0:0:0:0:a00:5
      http://[::169.254.169.254]/              | 0:0:0:0:0:0:a9fe:a9fe
      http://192.0.0.8/                        | 192.0.0.8
      http://198.18.0.1/                       | 198.18.0.1
      http://240.0.0.1/                        | 240.0.0.1
      http://[64:ff9b::a9fe:a9fe]/             | 64:ff9b:0:0:0:0:a9fe:a9fe
      http://[2002:a00:1::1]/                  | 2002:a00:1:0:0:0:0:1
      """)
  void nonPublicTargetsAreRefusedNamingTheHostButNotItsAddress(String url, String address) {
    URI target = URI.create(url);

    assertThatThrownBy(() -> publicOnly.check(target))
        .isInstanceOfSatisfying(
            RefusedTarget.class,
            e ->
                assertThat(e.detail())
                    .startsWith(e.getMessage() + ": it resolves to " + address + ", ")
                    .endsWith(" (KILN_CALLBACK_ALLOW_PRIVATE=true allows it)"))
        .hasMessage("callback_endpoint host '" + target.getHost() + "' is not publicly reachable");
  }

  /** 'localhost' may resolve to 127.0.0.1, ::1 or both, in either order, depending on the host. */
  @Test
  void localhostIsRefused() {
    assertThatThrownBy(() -> publicOnly.check(URI.create("http://localhost:8080/hook")))
        .isInstanceOfSatisfying(
            RefusedTarget.class, e -> assertThat(e.detail()).contains("Loopback"))
        .hasMessage("callback_endpoint host 'localhost' is not publicly reachable");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://8.8.8.8/hook",
        "http://1.1.1.1:8080/",
        "https://[2001:4860:4860::8888]/",
        "http://[::ffff:8.8.8.8]/",
        "http://100.128.0.1/",
        "http://172.32.0.1/"
      })
  void publicTargetsAreAllowed(String url) {
    assertThatCode(() -> publicOnly.check(URI.create(url))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8080/hook",
        "http://127.0.0.1/",
        "http://[::1]/",
        "https://10.0.0.5/",
        "http://169.254.169.254/",
        "http://[fd00::1]/",
        "http://100.64.0.1/"
      })
  void privateTargetsAreAllowedWhenConfigured(String url) {
    assertThatCode(() -> new CallbackTargets(true).check(URI.create(url)))
        .doesNotThrowAnyException();
  }

  @Test
  void aNameIsRefusedWhenAnyOfItsAddressesIsNotPublic() {
    CallbackTargets targets =
        new CallbackTargets(
            false,
            fixed(
                Map.of(
                    "hooks.example.com",
                    new String[] {"93.184.216.34", "2606:2800:220:1::1", "10.1.2.3"})));

    assertThatThrownBy(() -> targets.check(URI.create("https://hooks.example.com/export")))
        .isInstanceOfSatisfying(
            RefusedTarget.class,
            e ->
                assertThat(e.detail())
                    .isEqualTo(
                        "callback_endpoint host 'hooks.example.com' is not publicly reachable: it resolves to 10.1.2.3, "
                            + "Private-Use (RFC 1918) (KILN_CALLBACK_ALLOW_PRIVATE=true allows it)"))
        .hasMessage("callback_endpoint host 'hooks.example.com' is not publicly reachable");
  }

  @Test
  void aNameWithOnlyPublicAddressesIsAllowed() {
    CallbackTargets targets =
        new CallbackTargets(
            false,
            fixed(
                Map.of("hooks.example.com", new String[] {"93.184.216.34", "2606:2800:220:1::1"})));

    assertThatCode(() -> targets.check(URI.create("https://hooks.example.com/export")))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anUnresolvableHostIsRefused(boolean allowPrivate) {
    CallbackTargets targets = new CallbackTargets(allowPrivate, fixed(Map.of()));

    assertThatThrownBy(() -> targets.check(URI.create("https://no-such-host.example/hook")))
        .isInstanceOf(RefusedTarget.class)
        .hasMessage("callback_endpoint host 'no-such-host.example' could not be resolved")
        .hasCauseInstanceOf(UnknownHostException.class);
  }

  private static void assertThatInvalid(String raw, String message) {
    assertThatThrownBy(() -> CallbackTargets.parse(raw))
        .isInstanceOfSatisfying(
            KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessage(message);
  }

  /** Answers each name with its literals; any other name does not resolve. */
  private static CallbackTargets.Resolver fixed(Map<String, String[]> names) {
    return host -> {
      String[] literals = names.get(host);
      if (literals == null) {
        throw new UnknownHostException(host);
      }
      InetAddress[] addresses = new InetAddress[literals.length];
      for (int i = 0; i < literals.length; i++) {
        addresses[i] =
            InetAddress.getByAddress(host, InetAddress.getByName(literals[i]).getAddress());
      }
      return addresses;
    };
  }
}
