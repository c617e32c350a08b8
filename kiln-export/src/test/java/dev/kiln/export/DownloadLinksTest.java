package dev.kiln.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The signed download links of local exports: a link names one export and one expiry, and any
 * change to either (or a link made with another key) is no link of this server. What the server
 * answers for such a link (403, Braze's shape) is ITSegmentExport's.
 */
class DownloadLinksTest {
  private static final String PREFIX = "2f4e2c1a-4a1b-4c3d-9e8f-0123456789ab-1764547200";
  private static final Instant READY = Instant.parse("2026-12-01T00:00:00Z");
  private static final DownloadLinks LINKS = links(key(7));

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  private static DownloadLinks links(byte[] key) {
    return new DownloadLinks(
        () -> URI.create("https://kiln.example.com/"), key, Duration.ofHours(4));
  }

  /** The expires and signature parameters of a link. */
  private static String[] parameters(String link) {
    return link.replaceAll(".*\\?expires=([0-9]+)&signature=([0-9a-f]+)$", "$1 $2").split(" ");
  }

  @Test
  void aLinkNamesTheExportItsExpiryAndItsSignature() {
    String link = LINKS.link(PREFIX, READY);

    long expires = READY.plus(Duration.ofHours(4)).getEpochSecond();
    assertThat(link)
        .matches(
            "https://kiln\\.example\\.com/users/export/download/"
                + PREFIX
                + "\\?expires="
                + expires
                + "&signature=[0-9a-f]{64}");
  }

  @Test
  void aLinkIsSignedUntilItsExpiry() {
    String[] parameters = parameters(LINKS.link(PREFIX, READY));

    assertThat(LINKS.signedExpiry(PREFIX, parameters[0], parameters[1]))
        .contains(READY.plus(Duration.ofHours(4)));
    assertThat(LINKS.expiresAt(READY)).isEqualTo(READY.plus(Duration.ofHours(4)));
  }

  /** The links ITSegmentExport changed by hand before (only the changed signature stays there). */
  @Test
  void aChangedLinkIsNoLink() {
    String[] parameters = parameters(LINKS.link(PREFIX, READY));
    String expires = parameters[0];
    String signature = parameters[1];
    char last = signature.charAt(signature.length() - 1);
    String changedSignature =
        signature.substring(0, signature.length() - 1) + (last == '0' ? '1' : '0');
    String laterExpiry = String.valueOf(Long.parseLong(expires) + 3600);
    String earlierExpiry = String.valueOf(Long.parseLong(expires) - 1);

    assertThat(LINKS.signedExpiry(PREFIX, expires, changedSignature))
        .as("changed signature")
        .isEmpty();
    assertThat(LINKS.signedExpiry(PREFIX, laterExpiry, signature)).as("later expiry").isEmpty();
    assertThat(LINKS.signedExpiry(PREFIX, earlierExpiry, signature)).as("earlier expiry").isEmpty();
    assertThat(LINKS.signedExpiry(PREFIX, null, signature)).as("no expiry").isEmpty();
    assertThat(LINKS.signedExpiry(PREFIX, expires, null)).as("no signature").isEmpty();
  }

  @Test
  void aLinkSignsOnlyItsOwnExportAndOnlyWithItsOwnKey() {
    String[] parameters = parameters(LINKS.link(PREFIX, READY));
    String otherPrefix = "2f4e2c1a-4a1b-4c3d-9e8f-0123456789ac-1764547200";

    assertThat(LINKS.signedExpiry(otherPrefix, parameters[0], parameters[1]))
        .as("another export")
        .isEmpty();
    assertThat(links(key(8)).signedExpiry(PREFIX, parameters[0], parameters[1]))
        .as("another key")
        .isEmpty();
  }

  @Test
  void anExpiryThatIsNotUnixSecondsIsNoLink() {
    String signature = parameters(LINKS.link(PREFIX, READY))[1];
    for (String expires : List.of("", "-1", "1e9", "0x10", "1234567890123")) {
      assertThat(LINKS.signedExpiry(PREFIX, expires, signature))
          .as(expires)
          .isEqualTo(Optional.empty());
    }
  }

  @Test
  void theSigningKeyHasAtLeast32Bytes() {
    assertThatThrownBy(() -> links(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the URL signing key must have at least 32 bytes");
  }
}
