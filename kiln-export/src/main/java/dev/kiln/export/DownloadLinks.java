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
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed download links of local exports: {@code <public url>/users/export/download/<object_prefix>?signature=<hex>}.
 * The signature is an HMAC-SHA256 of the object prefix with the server's signing key, so a link
 * cannot be made for another export or changed; it needs no API key. The link works from when the
 * export is ready until {@code validity} later.
 */
public final class DownloadLinks {
  public static final String PATH = "/users/export/download/";

  private final Supplier<URI> publicUrl;
  private final byte[] signingKey;
  private final Duration validity;

  /** @param publicUrl the base of links as clients reach the server (known once it listens) */
  public DownloadLinks(Supplier<URI> publicUrl, byte[] signingKey, Duration validity) {
    if (signingKey.length < 32) {
      throw new IllegalArgumentException("the URL signing key must have at least 32 bytes");
    }
    this.publicUrl = publicUrl;
    this.signingKey = signingKey.clone();
    this.validity = validity;
  }

  /** The link of an export; it works once the export is ready. */
  public String link(String objectPrefix) {
    String base = publicUrl.get().toString().replaceAll("/+$", "");
    return base + PATH + URLEncoder.encode(objectPrefix, StandardCharsets.UTF_8) + "?signature=" + signature(objectPrefix);
  }

  /** Whether {@code signature} is this server's signature of the object prefix (in constant time). */
  public boolean signed(String objectPrefix, String signature) {
    if (signature == null) {
      return false;
    }
    byte[] expected = signature(objectPrefix).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }

  /** Until when the link of an export ready at {@code readyAt} works. */
  public Instant expiresAt(Instant readyAt) {
    return readyAt.plus(validity);
  }

  private String signature(String objectPrefix) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(objectPrefix.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
