package dev.kiln.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.profile.ActivityAggregate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.testing.DocumentedExportFields;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/braze-reference.md section 9 (user export object) and edge case 30 there, and the
 * /users/export/ids rows of docs/compatibility.md.
 */
class UserExportTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Instant CREATED = Instant.parse("2020-07-10T15:00:00Z");
  private static final String BRAZE_ID = "5fbd99bac125ca40511f2cb1";

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Instant daysAgo(long days) {
    return NOW.minus(Duration.ofDays(days));
  }

  private static UserProfile blank() {
    return UserProfile.blank(BRAZE_ID, 2365, CREATED);
  }

  /** A user with every field Kiln holds, attributes inserted in an order unlike the export's. */
  private static UserProfile everything() {
    Map<String, Object> attributes =
        map(
            "email_subscribe", "subscribed",
            "push_subscribe", "opted_in",
            "gender", "F",
            "current_location",
                map("longitude", new BigDecimal("-73.99"), "latitude", new BigDecimal("40.75")),
            "time_zone", "America/Chicago",
            "language", "en",
            "phone", "+442071838750",
            "country", "US",
            "home_city", "Chicago",
            "dob", "1980-12-21",
            "email", "example@braze.com",
            "last_name", "Doe",
            "first_name", "Jane");
    return blank().toBuilder()
        .externalId("A8i3mkd99")
        .aliases(List.of(new UserAlias("user_123", "amplitude_id")))
        .attributes(attributes)
        .customAttributes(map("loyaltyPoints", "321", "loyaltyPointsNumber", 107L))
        .customEvents(Map.of("Loyalty Acknowledgement", ActivityAggregate.of(daysAgo(1), 1)))
        .purchases(Map.of("item_40834", new ActivityAggregate(daysAgo(300), daysAgo(2), 10)))
        .totalRevenue(new BigDecimal("65"))
        .build();
  }

  private static Map<String, Object> export(UserProfile user) {
    return UserExport.of(user, Set.of(), NOW);
  }

  // --- field order and selection ---

  @Test
  void fieldsComeInTheOrderOfBrazesSample() {
    assertThat(export(everything()).keySet())
        .containsExactly(
            "created_at",
            "external_id",
            "user_aliases",
            "braze_id",
            "random_bucket",
            "first_name",
            "last_name",
            "email",
            "dob",
            "home_city",
            "country",
            "phone",
            "language",
            "time_zone",
            "last_coordinates",
            "gender",
            "total_revenue",
            "push_subscribe",
            "email_subscribe",
            "custom_attributes",
            "custom_events",
            "purchases");
  }

  @Test
  void everyFieldHasItsValue() {
    Map<String, Object> exported = export(everything());

    assertThat(exported)
        .containsEntry("created_at", "2020-07-10 15:00:00.000 UTC")
        .containsEntry("external_id", "A8i3mkd99")
        .containsEntry(
            "user_aliases", List.of(map("alias_name", "user_123", "alias_label", "amplitude_id")))
        .containsEntry("braze_id", BRAZE_ID)
        .containsEntry("random_bucket", 2365)
        .containsEntry("first_name", "Jane")
        .containsEntry("last_name", "Doe")
        .containsEntry("email", "example@braze.com")
        .containsEntry("dob", "1980-12-21")
        .containsEntry("home_city", "Chicago")
        .containsEntry("country", "US")
        .containsEntry("phone", "+442071838750")
        .containsEntry("language", "en")
        .containsEntry("time_zone", "America/Chicago")
        .containsEntry("gender", "F")
        .containsEntry("push_subscribe", "opted_in")
        .containsEntry("email_subscribe", "subscribed")
        .containsEntry(
            "custom_attributes", map("loyaltyPoints", "321", "loyaltyPointsNumber", 107L));
  }

  @Test
  void fieldsToExportKeepsOnlyTheNamedFieldsInExportOrder() {
    Map<String, Object> exported =
        UserExport.of(everything(), Set.of("purchases", "email", "first_name"), NOW);

    assertThat(exported.keySet()).containsExactly("first_name", "email", "purchases");
  }

  @Test
  void fieldsToExportNamingAFieldKilnDoesNotHoldOmitsIt() {
    Map<String, Object> exported =
        UserExport.of(everything(), Set.of("devices", "apps", "external_id"), NOW);

    assertThat(exported.keySet()).containsExactly("external_id");
  }

  @Test
  void fieldsToExportNamingAnUnsetFieldOmitsIt() {
    Map<String, Object> exported = UserExport.of(blank(), Set.of("first_name", "braze_id"), NOW);

    assertThat(exported.keySet()).containsExactly("braze_id");
  }

  @Test
  void blankUserExportsOnlyWhatEveryUserHas() {
    assertThat(export(blank()))
        .isEqualTo(
            map(
                "created_at",
                "2020-07-10 15:00:00.000 UTC",
                "braze_id",
                BRAZE_ID,
                "random_bucket",
                2365));
  }

  @Test
  void randomBucketZeroIsStillExported() {
    UserProfile user = UserProfile.blank(BRAZE_ID, 0, CREATED);

    assertThat(export(user)).containsEntry("random_bucket", 0);
  }

  @Test
  void everyExportableFieldNameIsAccepted() {
    assertThat(UserExport.FIELDS).containsAll(DocumentedExportFields.FIELDS);
  }

  // --- created_at ---

  @Test
  void createdAtKeepsMillisecondsInBrazesSampleForm() {
    UserProfile user = UserProfile.blank(BRAZE_ID, 1, Instant.parse("2021-01-02T03:04:05.678Z"));

    assertThat(export(user)).containsEntry("created_at", "2021-01-02 03:04:05.678 UTC");
  }

  // --- custom attributes ---

  @Test
  void customAttributeTimesAreExportedAsIsoStrings() {
    UserProfile user =
        blank().withCustomAttributes(map("signed_up", Instant.parse("2021-03-04T00:00:00Z")));

    assertThat(export(user))
        .containsEntry("custom_attributes", map("signed_up", "2021-03-04T00:00:00.000Z"));
  }

  @Test
  void customAttributeTimesAreExportedAsIsoStringsAtAnyDepth() {
    Instant t = Instant.parse("2021-03-04T05:06:07.089Z");
    UserProfile user =
        blank()
            .withCustomAttributes(
                map(
                    "o", map("when", t, "inner", map("deeper", t)),
                    "pets", List.of(map("born", t, "visits", List.of(map("at", t))))));

    assertThat(export(user))
        .containsEntry(
            "custom_attributes",
            map(
                "o",
                    map(
                        "when",
                        "2021-03-04T05:06:07.089Z",
                        "inner",
                        map("deeper", "2021-03-04T05:06:07.089Z")),
                "pets",
                    List.of(
                        map(
                            "born",
                            "2021-03-04T05:06:07.089Z",
                            "visits",
                            List.of(map("at", "2021-03-04T05:06:07.089Z"))))));
  }

  @Test
  void customAttributeValuesKeepTheirJsonTypes() {
    UserProfile user =
        blank()
            .withCustomAttributes(
                map(
                    "s",
                    "321",
                    "n",
                    107L,
                    "d",
                    new BigDecimal("1.5"),
                    "b",
                    true,
                    "a",
                    List.of("x", "y")));

    assertThat(export(user))
        .containsEntry(
            "custom_attributes",
            map(
                "s",
                "321",
                "n",
                107L,
                "d",
                new BigDecimal("1.5"),
                "b",
                true,
                "a",
                List.of("x", "y")));
  }

  // --- custom events, purchases, the 90-day rule ---

  @Test
  void recentEventIsExportedWithAllTimeFirstAndCount() {
    // edge case 30: first seen 200 days ago, last 3 days ago, 5 occurrences
    UserProfile user =
        blank().toBuilder()
            .customEvents(Map.of("played", new ActivityAggregate(daysAgo(200), daysAgo(3), 5)))
            .build();

    assertThat(export(user))
        .containsEntry(
            "custom_events",
            List.of(
                map(
                    "name", "played",
                    "first", "2024-11-13T12:00:00.000Z",
                    "last", "2025-05-29T12:00:00.000Z",
                    "count", 5L)));
  }

  @Test
  void eventLastSeen120DaysAgoIsNotExported() {
    UserProfile user =
        blank().toBuilder()
            .customEvents(
                map2(
                    "old", new ActivityAggregate(daysAgo(200), daysAgo(120), 4),
                    "recent", new ActivityAggregate(daysAgo(10), daysAgo(10), 1)))
            .build();

    assertThat(export(user))
        .containsEntry(
            "custom_events",
            List.of(
                map(
                    "name", "recent",
                    "first", "2025-05-22T12:00:00.000Z",
                    "last", "2025-05-22T12:00:00.000Z",
                    "count", 1L)));
  }

  @Test
  void onlyOldEventsOmitsCustomEventsEntirely() {
    UserProfile user =
        blank().toBuilder()
            .customEvents(Map.of("old", new ActivityAggregate(daysAgo(200), daysAgo(120), 4)))
            .build();

    assertThat(export(user)).doesNotContainKey("custom_events");
  }

  @Test
  void purchasesAreKeyedByNameAndFollowThe90DayRule() {
    UserProfile user =
        blank().toBuilder()
            .purchases(
                map2(
                    "item_40834", new ActivityAggregate(daysAgo(200), daysAgo(3), 10),
                    "stale", new ActivityAggregate(daysAgo(150), daysAgo(120), 2)))
            .totalRevenue(new BigDecimal("99.50"))
            .build();

    assertThat(export(user))
        .containsEntry(
            "purchases",
            List.of(
                map(
                    "name", "item_40834",
                    "first", "2024-11-13T12:00:00.000Z",
                    "last", "2025-05-29T12:00:00.000Z",
                    "count", 10L)));
  }

  @Test
  void activityTimesKeepMilliseconds() {
    Instant t = Instant.parse("2025-05-30T01:02:03.456Z");
    UserProfile user =
        blank().toBuilder().customEvents(Map.of("e", ActivityAggregate.of(t, 1))).build();

    assertThat(export(user))
        .containsEntry(
            "custom_events",
            List.of(
                map(
                    "name",
                    "e",
                    "first",
                    "2025-05-30T01:02:03.456Z",
                    "last",
                    "2025-05-30T01:02:03.456Z",
                    "count",
                    1L)));
  }

  @Test
  void recentCanNameThePurchaseKeyProductIdForTrackSync() {
    List<Map<String, Object>> entries =
        UserExport.recent(Map.of("sku", ActivityAggregate.of(daysAgo(1), 2)), NOW, "product_id");

    assertThat(entries)
        .containsExactly(
            map(
                "product_id",
                "sku",
                "first",
                "2025-05-31T12:00:00.000Z",
                "last",
                "2025-05-31T12:00:00.000Z",
                "count",
                2L));
  }

  // --- last_coordinates ---

  @Test
  void lastCoordinatesAreLongitudeThenLatitude() {
    assertThat(export(everything()))
        .containsEntry(
            "last_coordinates", List.of(new BigDecimal("-73.99"), new BigDecimal("40.75")));
  }

  @Test
  void currentLocationItselfIsNotExported() {
    assertThat(export(everything())).doesNotContainKey("current_location");
  }

  @Test
  void noLocationOmitsLastCoordinates() {
    UserProfile user = blank().withAttributes(map("first_name", "Jane"));

    assertThat(export(user)).doesNotContainKey("last_coordinates");
  }

  // --- total_revenue ---

  @Test
  void totalRevenueIsExportedWhenThereArePurchases() {
    assertThat(export(everything())).containsEntry("total_revenue", new BigDecimal("65"));
  }

  @Test
  void totalRevenueIsOmittedWithoutPurchases() {
    UserProfile user =
        blank().toBuilder()
            .customEvents(Map.of("played", ActivityAggregate.of(daysAgo(1), 1)))
            .build();

    assertThat(export(user)).doesNotContainKey("total_revenue");
  }

  // --- standard attributes not in the export ---

  @Test
  void subscriptionGroupsAndOtherInternalAttributesAreNotExportedAsFields() {
    UserProfile user =
        blank()
            .withAttributes(
                map(
                    "subscription_groups",
                    map("11111111-1111-1111-1111-111111111111", "subscribed"),
                    "email_open_tracking_disabled",
                    true));

    assertThat(export(user).keySet()).containsExactly("created_at", "braze_id", "random_bucket");
  }

  private static Map<String, ActivityAggregate> map2(
      String k1, ActivityAggregate v1, String k2, ActivityAggregate v2) {
    Map<String, ActivityAggregate> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }

  @Test
  void customAttributesToExportAddNamedAttributesToChosenFields() {
    Map<String, Object> exported =
        UserExport.of(everything(), Set.of("external_id"), Set.of("loyaltyPoints", "absent"), NOW);
    assertThat(exported)
        .containsExactly(
            Map.entry("external_id", "A8i3mkd99"),
            Map.entry("custom_attributes", map("loyaltyPoints", "321")));
  }

  @Test
  void customAttributesInFieldsExportThemAllAndIgnoreTheNames() {
    Map<String, Object> exported =
        UserExport.of(everything(), Set.of("custom_attributes"), Set.of("loyaltyPoints"), NOW);
    assertThat(exported)
        .containsExactly(
            Map.entry(
                "custom_attributes", map("loyaltyPoints", "321", "loyaltyPointsNumber", 107L)));
  }

  @Test
  void noNamedCustomAttributesHeldLeavesTheFieldOut() {
    assertThat(UserExport.of(everything(), Set.of("braze_id"), Set.of("absent"), NOW))
        .containsExactly(Map.entry("braze_id", BRAZE_ID));
  }
}
