package dev.kiln.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {
  private static final String UUID_SHAPE =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @Test
  void generatedSecretsAreUuidShaped() {
    String secret = ApiKeySecrets.generate();

    assertThat(secret).matches(UUID_SHAPE);
    assertThat(UUID.fromString(secret)).hasToString(secret);
  }

  @Test
  void generatedSecretsAreDistinct() {
    Set<String> secrets = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      secrets.add(ApiKeySecrets.generate());
    }

    assertThat(secrets).hasSize(1000);
  }

  @Test
  void hashIs64LowercaseHexCharacters() {
    assertThat(ApiKeySecrets.hash(ApiKeySecrets.generate())).matches("[0-9a-f]{64}");
    assertThat(ApiKeySecrets.hash("")).matches("[0-9a-f]{64}");
  }

  @Test
  void hashIsDeterministic() {
    String secret = ApiKeySecrets.generate();

    assertThat(ApiKeySecrets.hash(secret)).isEqualTo(ApiKeySecrets.hash(secret));
  }

  @Test
  void differentSecretsHashDifferently() {
    assertThat(ApiKeySecrets.hash("secret-a")).isNotEqualTo(ApiKeySecrets.hash("secret-b"));
    assertThat(ApiKeySecrets.hash("abc")).isNotEqualTo(ApiKeySecrets.hash("abc "));
  }

  @Test
  void hashIsSha256OfTheUtf8Bytes() {
    assertThat(ApiKeySecrets.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ApiKeySecrets.hash(""))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(ApiKeySecrets.hash("\u00e9"))
        .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
  }
}
