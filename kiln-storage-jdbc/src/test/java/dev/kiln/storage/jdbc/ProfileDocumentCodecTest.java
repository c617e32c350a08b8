package dev.kiln.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.UserProfile;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The profile document every store writes and every segment query reads: what goes in comes back
 * with the same value, times are the fixed-width {@code $time} objects SQL compares as text, and
 * the edge values (a user's own object with a {@code $time} key, whole numbers past a long, revenue
 * kept as a decimal) keep their meaning. Needs no database.
 */
class ProfileDocumentCodecTest {
  private static final Instant NOW = Instant.parse("2021-03-04T05:06:07.089Z");

  private static UserProfile profile(Map<String, Object> customAttributes) {
    return UserProfile.blank("braze-1", 7, NOW).toBuilder()
        .attributes(Map.of("first_name", "Ada", "dob", Instant.parse("1815-12-10T00:00:00Z")))
        .customAttributes(customAttributes)
        .customEvents(Map.of("opened", new ActivityAggregate(NOW, NOW.plusSeconds(60), 3)))
        .purchases(Map.of("book", ActivityAggregate.of(NOW, 1)))
        .totalRevenue(new BigDecimal("12.50"))
        .build();
  }

  private static Map<String, Object> customAttributesOfEveryKind() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("text", "ü and \"quotes\"");
    values.put("flag", true);
    values.put("whole", 42L);
    values.put("decimal", new BigDecimal("0.1"));
    values.put("when", NOW);
    values.put("list", List.of("a", 1L, false));
    values.put("nested", Map.of("inner", Map.of("deep", "x")));
    values.put("nothing", null);
    return values;
  }

  @Test
  void everyKindOfValueReadsBackAsWritten() {
    UserProfile profile = profile(customAttributesOfEveryKind());

    ProfileDocumentCodec.Document document =
        ProfileDocumentCodec.decode(ProfileDocumentCodec.encode(profile));

    assertThat(document.attributes()).isEqualTo(profile.attributes());
    assertThat(document.customAttributes()).isEqualTo(customAttributesOfEveryKind());
    assertThat(document.customEvents()).isEqualTo(profile.customEvents());
    assertThat(document.purchases()).isEqualTo(profile.purchases());
    assertThat(document.totalRevenue()).isEqualTo(new BigDecimal("12.50"));
  }

  @Test
  void theDocumentHasItsFiveFieldsWithAggregatesInEpochMilliseconds() {
    String json = ProfileDocumentCodec.encode(UserProfile.blank("braze-1", 7, NOW));
    assertThat(json)
        .isEqualTo(
            "{\"attributes\":{},\"custom_attributes\":{},\"custom_events\":{},\"purchases\":{},"
                + "\"total_revenue\":0}");

    String withEvent =
        ProfileDocumentCodec.encode(
            UserProfile.blank("braze-1", 7, NOW).toBuilder()
                .customEvents(Map.of("opened", ActivityAggregate.of(NOW, 2)))
                .build());
    assertThat(withEvent)
        .contains(
            "\"custom_events\":{\"opened\":{\"first\":"
                + NOW.toEpochMilli()
                + ",\"last\":"
                + NOW.toEpochMilli()
                + ",\"count\":2}}");
  }

  /** Fixed width, so SQL's text comparison orders times correctly (no trimmed milliseconds). */
  @Test
  void aTimeIsAFixedWidthUtcStringUnderTheTimeMarker() {
    assertThat(ProfileDocumentCodec.toJson(Instant.parse("2021-03-04T00:00:00Z")))
        .isEqualTo("{\"$time\":\"2021-03-04T00:00:00.000Z\"}");
    assertThat(ProfileDocumentCodec.toJson(Instant.parse("2021-03-04T00:00:00.120Z")))
        .isEqualTo("{\"$time\":\"2021-03-04T00:00:00.120Z\"}");
  }

  @Test
  void onlyAnObjectOfTheSingleTimeKeyReadsBackAsATime() {
    Map<String, Object> read =
        ProfileDocumentCodec.fromJson(
            "{\"t\":{\"$time\":\"2021-03-04T00:00:00.000Z\"},"
                + "\"two\":{\"$time\":\"2021-03-04T00:00:00.000Z\",\"other\":1},"
                + "\"number\":{\"$time\":5}}");

    assertThat(read.get("t")).isEqualTo(Instant.parse("2021-03-04T00:00:00Z"));
    assertThat(read.get("two")).isInstanceOf(Map.class);
    assertThat(read.get("number")).isEqualTo(Map.of("$time", 5L));
  }

  @Test
  void numbersKeepTheirValuePastALongAndInDecimals() {
    Map<String, Object> read =
        ProfileDocumentCodec.fromJson(
            "{\"big\":123456789012345678901234567890,\"small\":-7,\"decimal\":1.10}");

    assertThat(read.get("big")).isEqualTo(new BigDecimal("123456789012345678901234567890"));
    assertThat(read.get("small")).isEqualTo(-7L);
    assertThat(read.get("decimal")).isEqualTo(new BigDecimal("1.10"));
    assertThat(ProfileDocumentCodec.toJson(Arrays.asList(3, 2.5d, 1.5f)))
        .as("other numbers are written by their decimal text")
        .isEqualTo("[3,2.5,1.5]");
  }

  @Test
  void missingPartsOfAStoredDocumentReadAsEmpty() {
    ProfileDocumentCodec.Document document = ProfileDocumentCodec.decode("{}");

    assertThat(document.attributes()).isEmpty();
    assertThat(document.customAttributes()).isEmpty();
    assertThat(document.customEvents()).isEmpty();
    assertThat(document.purchases()).isEmpty();
    assertThat(document.totalRevenue()).isEqualTo(BigDecimal.ZERO);
  }

  @Test
  void storedArraysReadBackAndOtherValuesAreRefused() {
    assertThat(ProfileDocumentCodec.fromJsonArray("[\"geo\",\"us\"]")).containsExactly("geo", "us");
    assertThatThrownBy(() -> ProfileDocumentCodec.fromJsonArray("{\"a\":1}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a JSON array");
    assertThatThrownBy(() -> ProfileDocumentCodec.fromJson("{\"a\":"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> ProfileDocumentCodec.toJson(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JSON-shaped value");
  }
}
