package dev.kiln.server.track;

import static dev.kiln.server.testing.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ingest.TrackBatch;
import dev.kiln.ingest.TrackDecoder;
import dev.kiln.ingest.TrackLimits;
import dev.kiln.server.http.ApiError;
import dev.kiln.server.http.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code /users/track} answers before anything is stored (docs/braze-reference.md section
 * 2.4): a request without one valid object is a 400 with Braze's message and one {@code errors}
 * entry per refused object, in Braze's shape; a request with one valid object goes on to the store.
 * That nothing is stored then, and the 201 with counts, is ITTrackEnvelopesAndIdentifiers'.
 */
class TrackEndpointTest {
  private static final TrackDecoder DECODER = new TrackDecoder(TrackLimits.DEFAULTS);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
  private static final String EVENT_WITHOUT_ID =
      "{'name':'e','time':'2025-01-01T00:00:00Z'}".replace('\'', '"');

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{'attributes':[],'events':[],'purchases':[]}"})
  void noObjectAtAllIs400WithAnEmptyErrorsList(String body) {
    assertRefused(
        body,
        """
        {"message":"%s","errors":[]}"""
            .formatted(TrackEndpoint.NO_VALID_DATA));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'attributes':[{'first_name':'A'}],'events':[EVENT]}",
        "{'events':[EVENT],'attributes':[{'first_name':'A'}]}"
      })
  void everyObjectRefusedIs400ListingEachInItsArray(String body) {
    assertRefused(
        body.replace("EVENT", EVENT_WITHOUT_ID),
        """
        {"message":"%s","errors":[
          {"type":"%s","input_array":"attributes","index":0},
          {"type":"%s","input_array":"events","index":0}]}"""
            .formatted(
                TrackEndpoint.NO_VALID_DATA,
                TrackFixtures.IDENTIFIER_REQUIRED,
                TrackFixtures.IDENTIFIER_REQUIRED));
  }

  @Test
  void oneValidObjectGoesOnWithTheOthersErrorsInBrazesShape() {
    TrackBatch batch =
        TrackEndpoint.decode(
            object("{'attributes':[{'first_name':'no id'},{'external_id':'u','first_name':'A'}]}"),
            DECODER,
            CLOCK);

    assertThat(batch.changes()).hasSize(1);
    assertThat(Json.MAPPER.<JsonNode>valueToTree(TrackEndpoint.errorEntries(batch.errors())))
        .isEqualTo(
            json(
                """
                [{"type":"%s","input_array":"attributes","index":0}]"""
                    .formatted(TrackFixtures.IDENTIFIER_REQUIRED)));
  }

  private static void assertRefused(String body, String expected) {
    ApiError refused =
        catchThrowableOfType(
            ApiError.class, () -> TrackEndpoint.decode(object(body), DECODER, CLOCK));

    assertThat(refused).as("refused: %s", body).isNotNull();
    assertThat(refused.status()).isEqualTo(400);
    assertThat(Json.MAPPER.<JsonNode>valueToTree(refused.body())).isEqualTo(json(expected));
  }

  private static ObjectNode object(String singleQuoted) {
    return (ObjectNode) json(singleQuoted.replace('\'', '"'));
  }
}
