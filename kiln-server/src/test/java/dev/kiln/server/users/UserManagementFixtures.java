package dev.kiln.server.users;

import static dev.kiln.server.testing.TestJson.quote;
import static dev.kiln.server.track.TrackFixtures.alias;
import static dev.kiln.server.track.TrackFixtures.assertBody;
import static dev.kiln.server.track.TrackFixtures.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.server.exports.ExportDownloads;
import dev.kiln.server.testing.RunningKiln;
import dev.kiln.server.testing.RunningKiln.Response;
import dev.kiln.server.testing.TestJson;
import dev.kiln.server.track.TrackFixtures;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;

/**
 * Helpers shared by the HTTP-level tests of the user management endpoints
 * (docs/user-management.md): /users/alias/new, /users/alias/update, /users/identify, /users/merge,
 * /users/delete and /users/external_ids/rename and /remove. Requests are checked to be well-formed
 * JSON before they are sent. What only the delete, rename and remove tests use is in {@link
 * DeleteFixtures}.
 */
final class UserManagementFixtures {
  /** The answer of /users/alias/update and /users/merge (with 201 and 202). */
  static final String SUCCESS = "{\"message\":\"success\"}";

  private UserManagementFixtures() {}

  // --- the endpoints ---

  static Response aliasNew(RunningKiln kiln, String json) {
    return TrackFixtures.post(kiln, "/users/alias/new", json);
  }

  static Response aliasUpdate(RunningKiln kiln, String json) {
    return TrackFixtures.post(kiln, "/users/alias/update", json);
  }

  static Response identify(RunningKiln kiln, String json) {
    return TrackFixtures.post(kiln, "/users/identify", json);
  }

  static Response merge(RunningKiln kiln, String json) {
    return TrackFixtures.post(kiln, "/users/merge", json);
  }

  static Response rename(RunningKiln kiln, String json) {
    return TrackFixtures.post(kiln, "/users/external_ids/rename", json);
  }

  // --- request parts ---

  /** A /users/alias/new object with an external_id. */
  static String aliasWithId(String aliasName, String aliasLabel, String externalId) {
    return "{\"alias_name\":"
        + quote(aliasName)
        + ",\"alias_label\":"
        + quote(aliasLabel)
        + ",\"external_id\":"
        + quote(externalId)
        + "}";
  }

  /**
   * An email with its prioritization: an item of /users/delete's email_addresses, a /users/merge
   * identifier.
   */
  static String emailItem(String email, String prioritization) {
    return "{" + prioritized("email", email, prioritization) + "}";
  }

  /** An item of /users/identify's emails_to_identify. */
  static String emailItem(String externalId, String email, String prioritization) {
    return "{\"external_id\":"
        + quote(externalId)
        + ","
        + prioritized("email", email, prioritization)
        + "}";
  }

  /**
   * A phone with its prioritization: an item of /users/delete's phone_numbers, a /users/merge
   * identifier.
   */
  static String phoneItem(String phone, String prioritization) {
    return "{" + prioritized("phone", phone, prioritization) + "}";
  }

  /** An item of /users/identify's phone_numbers_to_identify. */
  static String phoneItem(String externalId, String phone, String prioritization) {
    return "{\"external_id\":"
        + quote(externalId)
        + ","
        + prioritized("phone", phone, prioritization)
        + "}";
  }

  private static String prioritized(String member, String value, String prioritization) {
    return quote(member) + ":" + quote(value) + ",\"prioritization\":" + prioritization;
  }

  /** One item of external_id_renames. */
  static String renameItem(String current, String next) {
    return "{\"current_external_id\":"
        + quote(current)
        + ",\"new_external_id\":"
        + quote(next)
        + "}";
  }

  /** A /users/external_ids/rename body with these items. */
  static String renames(String... items) {
    return "{\"external_id_renames\":[" + String.join(",", items) + "]}";
  }

  /** A JSON array of n elements made by the function. */
  static String array(int n, IntFunction<String> element) {
    return "[" + String.join(",", IntStream.range(0, n).mapToObj(element).toList()) + "]";
  }

  /** A phone number no other test is likely to use (E.164: +1 and ten digits). */
  static String uniquePhone() {
    return "+1" + (2_000_000_000L + ThreadLocalRandom.current().nextLong(7_000_000_000L));
  }

  // --- answers ---

  /** The answer is exactly 400 {"message": message}. */
  static void assertFatal(Response response, String message) {
    assertBody(response, 400, "{\"message\":" + quote(message) + "}");
  }

  /** The answer is exactly 201 {"aliases_processed": n, "message": "success"}. */
  static void assertAliasesProcessed(Response response, int n) {
    assertBody(response, 201, "{\"aliases_processed\":" + n + ",\"message\":\"success\"}");
  }

  /** A rename answer: exactly 201 with these applied items and these [index, text] errors. */
  static void assertRenamed(Response response, List<String> applied, List<String> errors) {
    assertBody(
        response,
        201,
        "{\"message\":\"success\",\"external_ids\":["
            + String.join(",", applied)
            + "],\"rename_errors\":["
            + String.join(",", errors)
            + "]}");
  }

  // --- users ---

  /**
   * Creates an alias-only user through /users/alias/new (201
   * {"aliases_processed":1,"message":"success"}).
   */
  static void newAliasUser(RunningKiln kiln, String aliasName, String aliasLabel) {
    assertAliasesProcessed(
        aliasNew(kiln, "{\"user_aliases\":[" + alias(aliasName, aliasLabel) + "]}"), 1);
  }

  /**
   * Creates an alias-only user with these attributes (a JSON object's members, e.g. {@code
   * "first_name":"A"}).
   */
  static void newAliasUser(
      RunningKiln kiln, String aliasName, String aliasLabel, String attributes) {
    newAliasUser(kiln, aliasName, aliasLabel);
    TrackFixtures.setAttributes(
        kiln, "{\"user_alias\":" + alias(aliasName, aliasLabel) + "," + attributes + "}");
  }

  /**
   * An anon_id alias-only user carrying this email (tracked by alias, so several may share one
   * email).
   */
  static void aliasUserWithEmail(
      RunningKiln kiln, String aliasName, String email, String firstName) {
    newAliasUser(
        kiln,
        aliasName,
        "anon_id",
        "\"email\":" + quote(email) + ",\"first_name\":" + quote(firstName));
  }

  /**
   * Creates (or updates) the user with this external_id with these attributes (members of a JSON
   * object, "" for none).
   */
  static void identifiedUser(RunningKiln kiln, String externalId, String attributes) {
    TrackFixtures.setAttributes(
        kiln,
        "{\"external_id\":"
            + quote(externalId)
            + (attributes.isEmpty() ? "" : "," + attributes)
            + "}");
  }

  /**
   * Renames one primary external_id and expects the success answer that lists it: the current one
   * becomes deprecated and still names the user.
   */
  static void renameOk(RunningKiln kiln, String current, String next) {
    String item = renameItem(current, next);
    assertRenamed(rename(kiln, renames(item)), List.of(item), List.of());
  }

  /** The braze_id of the one user with this external_id (not blank). */
  static String brazeIdOf(RunningKiln kiln, String externalId) {
    String brazeId = TrackFixtures.exportedUser(kiln, externalId).path("braze_id").asText();
    assertThat(brazeId).as("braze_id of %s", externalId).isNotBlank();
    return brazeId;
  }

  /** The braze_id of the one user this alias names. */
  static String brazeIdOfAlias(RunningKiln kiln, String aliasName, String aliasLabel) {
    return TrackFixtures.exportedAliasUser(kiln, aliasName, aliasLabel).path("braze_id").asText();
  }

  /** No user has this braze_id: the export answers {"users":[],"invalid_user_ids":[id]}. */
  static void assertNoBrazeId(RunningKiln kiln, String brazeId) {
    assertBody(
        TrackFixtures.export(kiln, "{\"braze_id\":" + quote(brazeId) + "}"),
        200,
        "{\"message\":\"success\",\"users\":[],\"invalid_user_ids\":[" + quote(brazeId) + "]}");
  }

  /** The aliases of an exported user as "label:name" strings. */
  static List<String> aliasesOf(JsonNode exportedUser) {
    List<String> aliases = new ArrayList<>();
    exportedUser
        .path("user_aliases")
        .forEach(
            a -> aliases.add(a.path("alias_label").asText() + ":" + a.path("alias_name").asText()));
    return aliases;
  }

  /**
   * The stored standard attributes of the user this lookup names. Only for what no endpoint shows:
   * date_of_first_session and date_of_last_session are accepted by /users/track but neither
   * exported nor filterable, so the merge rule for them can only be seen in the store.
   */
  static Map<String, Object> storedAttributes(RunningKiln kiln, UserLookup lookup) {
    UserProfile profile =
        kiln.storage()
            .profileReader()
            .find(lookup)
            .orElseThrow(() -> new AssertionError("no stored user for " + lookup.describe()));
    return profile.attributes();
  }

  static UserLookup byAlias(String aliasName, String aliasLabel) {
    return new UserLookup.Alias(new UserAlias(aliasName, aliasLabel));
  }

  static UserLookup byExternalId(String externalId) {
    return new UserLookup.ExternalId(externalId);
  }

  // --- segment exports ---

  /**
   * Downloads a segment export's bundle from this url and returns the NDJSON lines of all its
   * files.
   */
  static List<String> exportLines(String url) throws IOException, InterruptedException {
    HttpResponse<byte[]> download = ExportDownloads.download(url);
    assertThat(download.statusCode()).as("download of the export").isEqualTo(200);
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : ExportDownloads.entries(download.body()).entrySet()) {
      lines.addAll(ExportDownloads.lines(file.getKey(), file.getValue()));
    }
    return lines;
  }

  /**
   * Two users whose merge has a known result (the merge rules of docs/user-management.md). The kept
   * user:
   *
   * <pre>
   * first_name Kept, country US, custom shared=kept and only_kept=1, sessions 2021-06-01 to 2021-06-10,
   * events played (10 and 3 days ago), kept_only (4 days ago); purchase sku 10.00 (8 days ago)
   * </pre>
   *
   * The merged user:
   *
   * <pre>
   * first_name Merged, last_name Mergedson, home_city Lyon, language fr, email, email_subscribe unsubscribed,
   * custom shared=merged and only_merged=m, sessions 2021-01-01 to 2021-12-01,
   * events played (20 and 1 days ago), merged_only (6 days ago); purchases sku 5.00 x2 (25 days ago),
   * merged_sku 2.50 (2 days ago)
   * </pre>
   */
  record MergeScenario(Instant now, String mergedEmail) {
    static MergeScenario start() {
      return new MergeScenario(TrackFixtures.nowSeconds(), TestJson.uid("merged") + "@example.com");
    }

    Instant ago(int days) {
      return now.minus(days, ChronoUnit.DAYS);
    }

    private String at(int days) {
      return quote(TrackFixtures.sent(ago(days)));
    }

    /**
     * Tracks the kept user's data. {@code identifier} is the members naming it ({@code
     * "external_id":"x"}); {@code extra} more attribute members ("" for none). A user named by
     * alias must exist already.
     */
    void trackKept(RunningKiln kiln, String identifier, String extra) {
      TrackFixtures.trackOk(
          kiln,
          """
          {"attributes":[{%1$s,"first_name":"Kept","country":"US","shared":"kept","only_kept":1,
             "date_of_first_session":"2021-06-01T00:00:00Z","date_of_last_session":"2021-06-10T00:00:00Z"%2$s}],
           "events":[{%1$s,"name":"played","time":%3$s},{%1$s,"name":"played","time":%4$s},
             {%1$s,"name":"kept_only","time":%5$s}],
           "purchases":[{%1$s,"product_id":"sku","currency":"USD","price":10,"time":%6$s}]}"""
              .formatted(
                  identifier, extra.isEmpty() ? "" : "," + extra, at(10), at(3), at(4), at(8)),
          "\"attributes_processed\":1,\"events_processed\":3,\"purchases_processed\":1");
    }

    /** Tracks the merged user's data, as {@link #trackKept}. */
    void trackMerged(RunningKiln kiln, String identifier, String extra) {
      TrackFixtures.trackOk(
          kiln,
          """
          {"attributes":[{%1$s,"first_name":"Merged","last_name":"Mergedson","home_city":"Lyon","language":"fr",
             "email":%2$s,"email_subscribe":"unsubscribed","shared":"merged","only_merged":"m",
             "date_of_first_session":"2021-01-01T00:00:00Z","date_of_last_session":"2021-12-01T00:00:00Z"%3$s}],
           "events":[{%1$s,"name":"played","time":%4$s},{%1$s,"name":"played","time":%5$s},
             {%1$s,"name":"merged_only","time":%6$s}],
           "purchases":[{%1$s,"product_id":"sku","currency":"USD","price":5,"quantity":2,"time":%7$s},
             {%1$s,"product_id":"merged_sku","currency":"USD","price":2.5,"time":%8$s}]}"""
              .formatted(
                  identifier,
                  quote(mergedEmail),
                  extra.isEmpty() ? "" : "," + extra,
                  at(20),
                  at(1),
                  at(6),
                  at(25),
                  at(2)),
          "\"attributes_processed\":1,\"events_processed\":3,\"purchases_processed\":2");
    }

    /** The kept user's export after the merge, against its export before it. */
    void assertMerged(JsonNode kept, JsonNode keptBefore) {
      SoftAssertions softly = new SoftAssertions();
      softly
          .assertThat(kept.path("braze_id").asText())
          .as("braze_id")
          .isEqualTo(keptBefore.path("braze_id").asText());
      softly
          .assertThat(kept.path("external_id"))
          .as("external_id")
          .isEqualTo(keptBefore.path("external_id"));
      softly
          .assertThat(kept.path("first_name").asText())
          .as("first_name on both: the kept user's")
          .isEqualTo("Kept");
      softly
          .assertThat(kept.path("country").asText())
          .as("country only on the kept user")
          .isEqualTo("US");
      softly
          .assertThat(kept.path("last_name").asText())
          .as("last_name only on the merged user")
          .isEqualTo("Mergedson");
      softly
          .assertThat(kept.path("home_city").asText())
          .as("home_city only on the merged user")
          .isEqualTo("Lyon");
      softly
          .assertThat(kept.path("language").asText())
          .as("language only on the merged user")
          .isEqualTo("fr");
      softly
          .assertThat(kept.path("email").asText())
          .as("email only on the merged user")
          .isEqualTo(mergedEmail);
      softly
          .assertThat(kept.path("email_subscribe"))
          .as("subscriptions stay with the merged user")
          .isEqualTo(keptBefore.path("email_subscribe"));
      JsonNode custom = kept.path("custom_attributes");
      softly
          .assertThat(custom.path("shared").asText())
          .as("custom attribute on both: the kept user's")
          .isEqualTo("kept");
      softly.assertThat(custom.path("only_kept")).as("only_kept").isEqualTo(TestJson.json("1"));
      softly
          .assertThat(custom.path("only_merged"))
          .as("custom attribute only on the merged user")
          .isEqualTo(TestJson.json("\"m\""));

      JsonNode events = kept.path("custom_events");
      softly
          .assertThat(named(events, "played"))
          .as("played: counts summed, first the earlier, last the later")
          .isEqualTo(activity("played", ago(20), ago(1), 4));
      softly
          .assertThat(named(events, "kept_only"))
          .as("kept_only")
          .isEqualTo(activity("kept_only", ago(4), ago(4), 1));
      softly
          .assertThat(named(events, "merged_only"))
          .as("merged_only moved to the kept user")
          .isEqualTo(activity("merged_only", ago(6), ago(6), 1));
      JsonNode purchases = kept.path("purchases");
      softly
          .assertThat(named(purchases, "sku"))
          .as("sku: counts summed (a quantity of 2 counts twice)")
          .isEqualTo(activity("sku", ago(25), ago(8), 3));
      softly
          .assertThat(named(purchases, "merged_sku"))
          .as("merged_sku")
          .isEqualTo(activity("merged_sku", ago(2), ago(2), 1));
      softly
          .assertThat(kept.path("total_revenue").decimalValue())
          .as("total_revenue summed: 10 + 5 x 2 + 2.5 (%s)", kept.path("total_revenue"))
          .isEqualByComparingTo("22.5");
      softly.assertAll();
    }

    /**
     * The kept user's stored session dates: the earlier first and the later last of the two users.
     */
    static void assertSessions(
        Map<String, Object> keptAfter,
        Map<String, Object> keptBefore,
        Map<String, Object> mergedBefore) {
      assertThat(mergedBefore.get("date_of_first_session"))
          .as("the merged user's first session is stored")
          .isNotNull();
      assertThat(keptBefore.get("date_of_first_session"))
          .as("the kept user's first session differs")
          .isNotEqualTo(mergedBefore.get("date_of_first_session"));
      assertThat(keptAfter.get("date_of_first_session"))
          .as("date_of_first_session: the earlier (the merged user's)")
          .isEqualTo(mergedBefore.get("date_of_first_session"));
      assertThat(keptAfter.get("date_of_last_session"))
          .as("date_of_last_session: the later (the merged user's)")
          .isEqualTo(mergedBefore.get("date_of_last_session"));
    }

    private static JsonNode activity(String name, Instant first, Instant last, int count) {
      return TestJson.json(
          "{\"name\":"
              + quote(name)
              + ",\"first\":"
              + quote(TrackFixtures.exported(first))
              + ",\"last\":"
              + quote(TrackFixtures.exported(last))
              + ",\"count\":"
              + count
              + "}");
    }
  }
}
