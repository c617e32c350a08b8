package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.Permission;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the server accepted is still there after a graceful stop and a new start on the same data
 * folder. (The KILN_API_KEY bootstrap key across restarts is covered by {@link ITServeProcess}.)
 */
class ITRestart {

  @Test
  void aKeySurvivesARestartInTheStore() {
    try (RunningKiln kiln = RunningKiln.start()) {
      String secret =
          kiln.createKey("ci", Set.of(Permission.USERS_EXPORT_IDS), List.of("127.0.0.1/32"));
      kiln.restart();

      Optional<ApiKey> key = kiln.storage().apiKeys().findActive(ApiKeySecrets.hash(secret));
      assertThat(key).as("the key after a restart").isPresent();
      assertThat(key.get().name()).isEqualTo("ci");
      assertThat(key.get().permissions()).containsExactly(Permission.USERS_EXPORT_IDS);
      assertThat(key.get().allowedIps())
          .extracting(Object::toString)
          .containsExactly("127.0.0.1/32");
    }
  }

  @Test
  void aKeyStillAuthenticatesAfterARestart() {
    try (RunningKiln kiln = RunningKiln.start()) {
      String secret = kiln.createKey("ci", Set.of(Permission.USERS_EXPORT_IDS), List.of());
      assertThat(exportIds(kiln, secret).status())
          .as("before the restart")
          .isNotIn(401, 403, 404, 405);
      kiln.restart();
      Response after = exportIds(kiln, secret);
      assertThat(after.status()).as("after the restart: %s", after).isNotIn(401, 403, 404, 405);
    }
  }

  @Test
  void aRevokedKeyStaysRevokedAfterARestart() {
    try (RunningKiln kiln = RunningKiln.start()) {
      String secret = kiln.createKey("gone", Set.of(Permission.USERS_EXPORT_IDS), List.of());
      assertThat(kiln.storage().apiKeys().revoke("gone")).isTrue();
      kiln.restart();

      assertThat(kiln.storage().apiKeys().findActive(ApiKeySecrets.hash(secret))).isEmpty();
      assertThat(kiln.storage().apiKeys().list())
          .filteredOn(key -> key.name().equals("gone"))
          .singleElement()
          .satisfies(key -> assertThat(key.active()).isFalse());
      Response response = exportIds(kiln, secret);
      assertThat(response.status()).as("%s", response).isEqualTo(401);
    }
  }

  @Test
  void aTrackedUserSurvivesARestart() {
    try (RunningKiln kiln = RunningKiln.start()) {
      Response tracked =
          kiln.post(
              "/users/track",
              "{\"attributes\":[{\"external_id\":\"survivor\",\"first_name\":\"Ada\"}]}");
      assertThat(tracked.status()).as("%s", tracked).isBetween(200, 299);
      kiln.restart();

      Response exported = kiln.post("/users/export/ids", "{\"external_ids\":[\"survivor\"]}");
      assertThat(exported.status()).as("%s", exported).isEqualTo(200);
      JsonNode users = exported.json().path("users");
      assertThat(users).as("%s", exported).hasSize(1);
      assertThat(users.get(0).path("external_id").asText()).isEqualTo("survivor");
      assertThat(users.get(0).path("first_name").asText()).isEqualTo("Ada");
    }
  }

  private static Response exportIds(RunningKiln kiln, String secret) {
    return kiln.send(
        HttpRequest.newBuilder(kiln.uri("/users/export/ids"))
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"external_ids\":[\"nobody\"]}")));
  }
}
