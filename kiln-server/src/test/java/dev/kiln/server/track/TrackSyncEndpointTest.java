package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.http.ApiError;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /users/track/sync} takes exactly one attributes, event or purchase object
 * (docs/braze-reference.md section 2.6), counted over the three arrays before anything is decoded.
 * ITTrackSync keeps one refused body over HTTP, with nothing stored.
 */
class TrackSyncEndpointTest {
  private static final String EVENT =
      "{'external_id':'u','name':'e','time':'2024-01-01T00:00:00Z'}";
  private static final String PURCHASE =
      "{'external_id':'u','product_id':'p','currency':'USD','price':1,"
          + "'time':'2024-01-01T00:00:00Z'}";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{'attributes':[]}",
        "{'attributes':{'external_id':'u','a':1}}",
        "{'attributes':[{'external_id':'u','a':1},{'external_id':'u','b':2}]}",
        "{'attributes':[{'external_id':'u','a':1}],'events':[" + EVENT + "]}",
        "{'events':[" + EVENT + "],'purchases':[" + PURCHASE + "]}"
      })
  void anythingButOneObjectIsRefused(String body) {
    ApiError refused =
        catchThrowableOfType(
            ApiError.class, () -> TrackSyncEndpoint.requireExactlyOne(object(body)));

    assertThat(refused).as("refused: %s", body).isNotNull();
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body())
        .isEqualTo(
            Map.of(
                "message", "Exactly one attributes, event or purchase object must be provided."));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'attributes':[{'first_name':'no identifier yet: the decoder answers that'}]}",
        "{'events':[" + EVENT + "],'purchases':[]}",
        "{'purchases':[" + PURCHASE + "],'attributes':null}"
      })
  void oneObjectInAnyOfTheArraysGoesOnToTheDecoder(String body) {
    assertThatCode(() -> TrackSyncEndpoint.requireExactlyOne(object(body)))
        .doesNotThrowAnyException();
  }

  private static ObjectNode object(String singleQuoted) {
    return (ObjectNode) json(singleQuoted.replace('\'', '"'));
  }
}
