package dev.kiln.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Makes and hashes key secrets. Secrets are random UUIDs, the form Braze's REST keys have, so
 * client libraries that check the shape of a key accept them. Only the SHA-256 of a secret is
 * stored: a secret carries 122 random bits, so a slow password hash would add cost on every request
 * and no safety (an operator-chosen {@code KILN_API_KEY} is the operator's own choice of strength).
 */
public final class ApiKeySecrets {
  private ApiKeySecrets() {}

  public static String generate() {
    return UUID.randomUUID().toString();
  }

  public static String hash(String secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
