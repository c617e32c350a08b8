package dev.kiln.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The deterministic workload: a population of users with realistic standard and custom attributes,
 * Zipf-distributed activity, events with small properties, and purchases in several currencies. The
 * same seed gives the same requests on every machine; times are relative to the day of the run.
 */
final class Workload {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FIRST_NAMES = {
    "Jane", "John", "Amélie", "Hiro", "Fatima", "Lars", "Maria", "Wei", "Olu", "Sofia"
  };
  private static final String[] LAST_NAMES = {
    "Doe", "Smith", "Dubois", "Tanaka", "Haddad", "Berg", "Rossi", "Chen", "Adeyemi", "Silva"
  };
  private static final String[] COUNTRIES = {
    "US", "GB", "FR", "JP", "DE", "BR", "IN", "NG", "SE", "IT"
  };
  private static final String[] LANGUAGES = {"en", "fr", "ja", "de", "pt", "hi", "sv", "it"};
  private static final String[] ZONES = {
    "America/New_York", "Europe/London", "Europe/Paris", "Asia/Tokyo", "America/Sao_Paulo"
  };
  private static final String[] PLANS = {"free", "basic", "pro", "enterprise"};
  private static final String[] GENRES = {
    "drama", "comedy", "action", "documentary", "horror", "sci-fi", "romance"
  };
  private static final String[] EVENTS = {
    "watched_trailer",
    "played_song",
    "opened_app",
    "added_to_cart",
    "searched",
    "shared",
    "rated",
    "subscribed_newsletter",
    "viewed_product",
    "completed_level",
    "invited_friend",
    "logged_in",
    "updated_profile",
    "started_trial",
    "cancelled_trial",
    "left_review",
    "joined_group",
    "uploaded_photo",
    "sent_message",
    "claimed_reward"
  };
  private static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY", "BRL"};
  private static final int PRODUCTS = 500;
  // Zipf exponent of activity per user: with 100,000 users the busiest user sends about 4.5% of all
  // objects and the top 1% of users nearly half. Steeper skews (1.1: 13% and 75%) make a batch
  // touch fewer users and flatter the store; this one is the harder case.
  private static final double USER_ACTIVITY_EXPONENT = 0.9;

  private final int users;
  private final long seed;
  private final Zipf userActivity;
  private final Zipf eventPopularity = new Zipf(EVENTS.length, 1.0);
  private final Zipf productPopularity = new Zipf(PRODUCTS, 1.0);
  private final Instant now;

  Workload(int users, long seed, Instant now) {
    this.users = users;
    this.seed = seed;
    this.userActivity = new Zipf(users, USER_ACTIVITY_EXPONENT);
    this.now = now.truncatedTo(ChronoUnit.DAYS);
  }

  int users() {
    return users;
  }

  static String externalId(int user) {
    return String.format("user-%08d", user);
  }

  /** {@code count} /users/track bodies of the given sizes, each drawing users by Zipf activity. */
  List<String> trackBodies(int count, RequestShape shape) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> bodies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      bodies.add(trackBody(random, shape));
    }
    return bodies;
  }

  /**
   * Bodies that create every user once (attributes for users {@code from} to {@code to}), with
   * events and purchases for the same users: what a direct load of the population feeds the store.
   */
  String populationBody(SplittableRandom random, int from, int to) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode attributes = body.putArray("attributes");
    ArrayNode events = body.putArray("events");
    ArrayNode purchases = body.putArray("purchases");
    for (int user = from; user < to; user++) {
      attributes.add(attributesObject(random, user));
      events.add(eventObject(random, user));
      purchases.add(purchaseObject(random, user));
    }
    return body.toString();
  }

  /** A /users/export/ids body with {@code ids} external ids drawn uniformly from the population. */
  List<String> exportBodies(int count, int ids) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<String> bodies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode externalIds = body.putArray("external_ids");
      for (int j = 0; j < ids; j++) {
        externalIds.add(externalId(random.nextInt(users)));
      }
      bodies.add(body.toString());
    }
    return bodies;
  }

  private String trackBody(SplittableRandom random, RequestShape shape) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode attributes = body.putArray("attributes");
    for (int i = 0; i < shape.attributes(); i++) {
      attributes.add(attributesObject(random, userActivity.next(random)));
    }
    ArrayNode events = body.putArray("events");
    for (int i = 0; i < shape.events(); i++) {
      events.add(eventObject(random, userActivity.next(random)));
    }
    ArrayNode purchases = body.putArray("purchases");
    for (int i = 0; i < shape.purchases(); i++) {
      purchases.add(purchaseObject(random, userActivity.next(random)));
    }
    return body.toString();
  }

  private ObjectNode attributesObject(SplittableRandom random, int user) {
    ObjectNode object = JSON.createObjectNode();
    String first = pick(random, FIRST_NAMES);
    String last = pick(random, LAST_NAMES);
    object.put("external_id", externalId(user));
    object.put("first_name", first);
    object.put("last_name", last);
    object.put(
        "email", (first + "." + last + "." + user + "@example.com").toLowerCase(Locale.ROOT));
    object.put("country", pick(random, COUNTRIES));
    object.put("language", pick(random, LANGUAGES));
    object.put("time_zone", pick(random, ZONES));
    object.put("gender", pick(random, new String[] {"F", "M", "O", "N", "P"}));
    object.put(
        "dob",
        String.format(
            "%04d-%02d-%02d",
            1950 + random.nextInt(55), 1 + random.nextInt(12), 1 + random.nextInt(28)));
    object.put(
        "email_subscribe", pick(random, new String[] {"opted_in", "subscribed", "unsubscribed"}));
    object.put("plan", pick(random, PLANS));
    object.put("score", random.nextInt(10_000));
    object.put("vip", random.nextInt(10) == 0);
    object.put("last_seen_at", now.minus(random.nextInt(90 * 24), ChronoUnit.HOURS).toString());
    ArrayNode genres = object.putArray("favorite_genres");
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      genres.add(pick(random, GENRES));
    }
    object.putObject("visits").put("inc", 1);
    return object;
  }

  private ObjectNode eventObject(SplittableRandom random, int user) {
    ObjectNode object = JSON.createObjectNode();
    object.put("external_id", externalId(user));
    object.put("app_id", "bench-app");
    object.put("name", EVENTS[eventPopularity.next(random)]);
    object.put("time", now.minus(random.nextInt(60 * 24 * 60), ChronoUnit.MINUTES).toString());
    ObjectNode properties = object.putObject("properties");
    properties.put("duration_seconds", random.nextInt(3600));
    properties.put("source", pick(random, new String[] {"ios", "android", "web"}));
    return object;
  }

  private ObjectNode purchaseObject(SplittableRandom random, int user) {
    ObjectNode object = JSON.createObjectNode();
    object.put("external_id", externalId(user));
    object.put("app_id", "bench-app");
    object.put("product_id", String.format("sku-%04d", productPopularity.next(random)));
    object.put("currency", pick(random, CURRENCIES));
    object.put("price", Math.round((0.99 + random.nextDouble() * 199) * 100) / 100.0);
    object.put("quantity", 1 + random.nextInt(3));
    object.put("time", now.minus(random.nextInt(60 * 24 * 60), ChronoUnit.MINUTES).toString());
    object.putObject("properties").put("coupon", random.nextInt(5) == 0);
    return object;
  }

  private static String pick(SplittableRandom random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** How many objects of each kind a /users/track request carries. */
  record RequestShape(int attributes, int events, int purchases) {
    static final RequestShape FULL = new RequestShape(75, 75, 75);

    int objects() {
      return attributes + events + purchases;
    }
  }
}
