package dev.kiln.export;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed download links of local exports: {@code <public
 * url>/users/export/download/<object_prefix>?expires=<unix seconds>&signature=<hex>}. The signature
 * is an HMAC-SHA256 of the object prefix and the expiry with the server's signing key, so a link
 * can be made neither for another export nor for longer; it needs no API key. A link works from
 * when the export is ready until its expiry, and never past {@code validity} after the export was
 * ready (when its files are deleted).
 */
public final class DownloadLinks {
  public static final String PATH = "/users/export/download/";

  private final Supplier<URI> publicUrl;
  private final byte[] signingKey;
  private final Duration validity;

  /**
   * @param publicUrl the base of links as clients reach the server (known once it listens)
   */
  public DownloadLinks(Supplier<URI> publicUrl, byte[] signingKey, Duration validity) {
    if (signingKey.length < 32) {
      throw new IllegalArgumentException("the URL signing key must have at least 32 bytes");
    }
    this.publicUrl = publicUrl;
    this.signingKey = signingKey.clone();
    this.validity = validity;
  }

  /**
   * The link of an export, valid until {@code validity} after {@code from}: the request, for the
   * link answered before the export is ready, or when it was ready.
   */
  public String link(String objectPrefix, Instant from) {
    String base = publicUrl.get().toString().replaceAll("/+$", "");
    long expires = expiresAt(from).getEpochSecond();
    return base
        + PATH
        + URLEncoder.encode(objectPrefix, StandardCharsets.UTF_8)
        + "?expires="
        + expires
        + "&signature="
        + signature(objectPrefix, expires);
  }

  /**
   * The expiry of a link if {@code signature} is this server's signature of the object prefix and
   * {@code expires} (compared in constant time); empty for a changed or made-up link.
   */
  public Optional<Instant> signedExpiry(String objectPrefix, String expires, String signature) {
    if (expires == null || signature == null || !expires.matches("[0-9]{1,12}")) {
      return Optional.empty();
    }
    byte[] expected =
        signature(objectPrefix, Long.parseLong(expires)).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))
        ? Optional.of(Instant.ofEpochSecond(Long.parseLong(expires)))
        : Optional.empty();
  }

  /**
   * Until when the link of an export ready at {@code readyAt} may work; its files are deleted
   * after.
   */
  public Instant expiresAt(Instant readyAt) {
    return readyAt.plus(validity);
  }

  private String signature(String objectPrefix, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      // A newline cannot occur in an object prefix, so no two (prefix, expiry) pairs sign the same
      // bytes.
      return HexFormat.of()
          .formatHex(mac.doFinal((objectPrefix + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
