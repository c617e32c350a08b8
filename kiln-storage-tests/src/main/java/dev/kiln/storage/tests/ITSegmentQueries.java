package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.ProfileUpdate;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.core.track.ActivityUpdates;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import dev.kiln.segment.Filter;
import dev.kiln.segment.FilterException;
import dev.kiln.segment.FilterParser;
import dev.kiln.segment.SegmentQueries;
import dev.kiln.segment.SegmentResolver;
import dev.kiln.segment.SegmentStorage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Contract: a backend's segment counts (docs/segments.md) equal an independent evaluation of the same
 * filter over the same data.
 *
 * <p>A seeded population of {@value #USERS} users, with standard and custom attributes of every type
 * (and, for some users, another type under the same name), aliases, subscription groups, events and
 * purchases, is generated once as a plain in-memory model and written to the store. Every case is a
 * JSON-shaped filter: the store counts it through {@link FilterParser} and its own SQL; the test
 * counts it by walking the model with the rules of docs/segments.md, written here and sharing nothing
 * with the compiler (it reads the JSON, not the parsed filter). Most cases must match some users but
 * not all, so an evaluation that always answers "nobody" or "everybody" cannot pass.
 *
 * <p>Choices the documentation leaves to the implementation, pinned here as the compiler makes them:
 * {@code exists} on a custom attribute means a value of any type; {@code blank} text is empty or only
 * spaces (U+0020); {@code dob} is a calendar day, so its thresholds are taken as their UTC day;
 * {@code age} is the largest whole number of years n with today (UTC) minus n years on or after dob;
 * {@code not_equals} and {@code does_not_match_regex} on {@code alias_label} mean no alias label
 * equals / matches.
 */
public abstract class ITSegmentQueries<T extends ProfileStorage & SegmentStorage> extends ITStorage<T> {
  private static final long SEED = 0x5E6_4E17L;
  private static final int USERS = 10_000;
  private static final int BATCH = 500;
  private static final long DAY_MILLIS = 86_400_000L;

  // ---------------------------------------------------------------------------------------------
  // the generated population

  private static final String[] FIRST_NAMES = {"Ana", "Bob", "Chloé", "Dmitri", "Émile", "Fatima", "George", "Hana",
      "Ivan", "Jean-Luc", "Kim", "Li", "María", "Noor", "Olu", "Priya"};
  private static final String[] LAST_NAMES = {"Smith", "Johnson", "Martin", "Müller", "Tanaka", "Silva", "Nguyen", "Andersson"};
  private static final String[] DOMAINS = {"example.com", "example.com", "example.org", "mail.test", "EXAMPLE.com"};
  private static final String[] COUNTRIES = {"US", "US", "US", "CA", "FR", "DE", "GB", "BR", "JP", "IN"};
  private static final String[] LANGUAGES = {"en", "en", "fr", "de", "es", "pt", "ja"};
  private static final String[] GENDERS = {"M", "F", "O", "N", "P"};
  private static final String[] HOME_CITIES = {"Paris", "London", "New York", "São Paulo", "Tokyo", ""};
  private static final String[] TIME_ZONES = {"America/New_York", "Europe/Paris", "Europe/Berlin", "Asia/Tokyo", "UTC"};
  private static final String[] STATES = {"opted_in", "subscribed", "unsubscribed"};
  private static final String[] PLANS = {"free", "free", "pro", "team", "enterprise"};
  private static final String[] GENRES = {"comedy", "drama", "horror", "sci-fi", "science", "documentary", "action", "romance"};
  private static final List<Object> LUCKY = List.of(1L, 7L, 13L, new BigDecimal("2.5"), true, false, "7", "lucky");
  private static final String[] PET_NAMES = {"Rex", "Tom", "Nemo", "Bella"};
  private static final String[] PET_KINDS = {"dog", "cat", "fish"};
  private static final String[] CITIES = {"Paris", "London", "Berlin", "New York", "Lyon", ""};
  private static final String[] UTM_SOURCES = {"google", "newsletter", "facebook ads"};
  private static final String[] SOURCES = {"ios", "android", "web"};
  private static final String[] PRODUCTS = {"sku-0001", "sku-0002", "sku-0003", "sku-0004", "sku-0005", "sku-0006"};
  private static final String[] PRICES = {"0.99", "4.99", "9.99", "19.99", "49.00", "0.10"};

  protected ITSegmentQueries(StorageHarness<T> harness) {
    super(harness);
  }

  private record EventKind(String name, int percent, int max) {}

  private static final List<EventKind> EVENT_KINDS = List.of(new EventKind("app_open", 85, 10),
      new EventKind("watched_trailer", 50, 4), new EventKind("played_song", 40, 6), new EventKind("added_to_cart", 30, 3),
      new EventKind("shared", 20, 2), new EventKind("search", 45, 5), new EventKind("level_up", 25, 3),
      new EventKind("rare_event", 1, 1));

  private record Event(String name, Instant time, Map<String, Object> properties) {}

  private record Bought(String product, BigDecimal price, int quantity, Instant time) {}

  /** One user as the test knows it; identifiers the store assigns are read back after writing. */
  private static final class User {
    final int index;
    final String externalId;
    final List<UserAlias> aliases = new ArrayList<>();
    final Map<String, Object> standard = new LinkedHashMap<>();
    final Map<String, String> groups = new LinkedHashMap<>();
    final Map<String, Object> custom = new LinkedHashMap<>();
    final List<Event> events = new ArrayList<>();
    final List<Bought> purchases = new ArrayList<>();
    String brazeId;
    int randomBucket;
    Instant createdAt;

    User(int index, String externalId) {
      this.index = index;
      this.externalId = externalId;
    }

    UserLookup lookup() {
      return externalId != null ? new UserLookup.ExternalId(externalId) : new UserLookup.Alias(aliases.get(0));
    }

    @Override
    public String toString() {
      String text = "user #" + index + " external_id=" + externalId + " braze_id=" + brazeId + " random_bucket="
          + randomBucket + " created_at=" + createdAt + " aliases=" + aliases + " standard=" + standard + " groups="
          + groups + " custom=" + custom + " purchases=" + purchases + " events=" + events;
      return text.length() > 3000 ? text.substring(0, 3000) + "..." : text;
    }
  }

  private final List<User> users = new ArrayList<>();
  /** Every generated activity happened before this. */
  private Instant base;
  /** The time of every count: after the first half of the users was created, before the second. */
  private Instant now;
  private final Map<String, Map<String, Object>> segments = new LinkedHashMap<>();
  private final Map<String, Pattern> patterns = new HashMap<>();

  @Override
  protected boolean clearBeforeEachTest() {
    return false; // the population is built once, in populate()
  }

  @BeforeAll
  void populate() throws Exception {
    clear();
    base = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < USERS; i++) {
      users.add(generate(i, random));
    }
    write(users.subList(0, USERS / 2));
    Thread.sleep(1_100); // now, truncated to the second, still falls after every user created so far
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    write(users.subList(USERS / 2, USERS));
    for (User user : users) {
      UserProfile stored = storage.profileReader().find(user.lookup()).orElseThrow();
      user.brazeId = stored.brazeId();
      user.randomBucket = stored.randomBucket();
      user.createdAt = stored.createdAt();
      assertThat(stored.externalId()).isEqualTo(user.externalId);
      assertThat(new HashSet<>(stored.aliases())).isEqualTo(new HashSet<>(user.aliases));
      assertThat(stored.totalRevenue()).isEqualByComparingTo(revenue(user.purchases));
    }
    segments.put("seg-us", attr("country", "equals", "US"));
    segments.put("seg-pro", custom("plan", "equals", "pro"));
    segments.put("seg-active-us", and(segment("seg-us", "in"), event("app_open", "performed", null, 30, null)));
    segments.put("seg-not-active-us", not(segment("seg-active-us", "in")));
  }

  private void write(List<User> part) {
    for (int from = 0; from < part.size(); from += BATCH) {
      List<ProfileChange> changes = part.subList(from, Math.min(from + BATCH, part.size())).stream().map(this::change).toList();
      assertThat(storage.profileWriter().apply(changes)).containsOnly(ChangeResult.CREATED);
    }
  }

  private ProfileChange change(User user) {
    Map<String, CustomAttributeOp> custom = new LinkedHashMap<>();
    user.custom.forEach((name, value) -> custom.put(name, switch (value) {
      case List<?> list -> CustomAttributeOp.Set.ofArray(new ArrayList<>(list));
      case Map<?, ?> map -> new CustomAttributeOp.SetObject(stringKeys(map));
      default -> new CustomAttributeOp.Set(value);
    }));
    List<ProfileUpdate> updates = new ArrayList<>();
    updates.add(new AttributesUpdate(user.standard, user.groups, custom, false));
    for (UserAlias alias : user.aliases) {
      updates.add((profile, time) -> profile.withAlias(alias));
    }
    List<ActivityRecord> activities = new ArrayList<>();
    for (Event event : user.events) {
      updates.add(ActivityUpdates.event(event.name(), event.time()));
      activities.add(new ActivityRecord.CustomEvent(event.name(), event.time(), null, event.properties()));
    }
    for (Bought purchase : user.purchases) {
      updates.add(ActivityUpdates.purchase(purchase.product(), purchase.time(), purchase.quantity(), purchase.price()));
      activities.add(new ActivityRecord.Purchase(purchase.product(), "USD", purchase.price(), purchase.quantity(),
          purchase.time(), null, Map.of()));
    }
    ProfileUpdate all = (profile, time) -> {
      UserProfile next = profile;
      for (ProfileUpdate update : updates) {
        next = update.apply(next, time);
      }
      return next;
    };
    return new ProfileChange(user.lookup(), true, all, activities, null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private User generate(int i, SplittableRandom r) {
    boolean aliasOnly = r.nextInt(100) < 8;
    User user = new User(i, aliasOnly ? null : "user-" + i);
    if (aliasOnly) {
      user.aliases.add(new UserAlias("anon-" + i, r.nextInt(10) < 6 ? "amplitude_id" : "mixpanel_id"));
    } else {
      if (r.nextInt(100) < 25) {
        user.aliases.add(new UserAlias("amp-" + i, "amplitude_id"));
      }
      if (r.nextInt(100) < 10) {
        user.aliases.add(new UserAlias("crm-" + i, "legacy_crm"));
      }
      if (r.nextInt(100) < 5) {
        user.aliases.add(new UserAlias("mix-" + i, "mixpanel_id"));
      }
    }
    standard(user, r);
    custom(user, r);
    activity(user, r);
    return user;
  }

  private void standard(User user, SplittableRandom r) {
    Map<String, Object> s = user.standard;
    int roll = r.nextInt(100);
    if (roll < 85) {
      s.put("first_name", pick(r, FIRST_NAMES));
    } else if (roll < 89) {
      s.put("first_name", "");
    } else if (roll < 92) {
      s.put("first_name", "   ");
    } else if (roll < 93) {
      s.put("first_name", "\t"); // not blank: docs say empty or only spaces
    }
    if (r.nextInt(100) < 70) {
      s.put("last_name", pick(r, LAST_NAMES));
    }
    if (r.nextInt(100) < 90) {
      s.put("email", "u" + user.index + "@" + pick(r, DOMAINS));
    }
    if (r.nextInt(100) < 30) {
      s.put("phone", "+1555" + String.format("%07d", r.nextInt(10_000_000)));
    }
    if (r.nextInt(100) < 90) {
      s.put("country", pick(r, COUNTRIES));
    }
    if (r.nextInt(100) < 85) {
      s.put("language", pick(r, LANGUAGES));
    }
    if (r.nextInt(100) < 75) {
      s.put("gender", pick(r, GENDERS));
    }
    if (r.nextInt(100) < 50) {
      s.put("home_city", pick(r, HOME_CITIES));
    }
    if (r.nextInt(100) < 60) {
      s.put("time_zone", pick(r, TIME_ZONES));
    }
    roll = r.nextInt(100);
    if (roll < 79) {
      s.put("dob", LocalDate.of(1950, 1, 1).plusDays(r.nextInt(22_645)).toString());
    } else if (roll < 80) {
      s.put("dob", LocalDate.ofInstant(base, ZoneOffset.UTC).plusDays(1 + r.nextInt(200)).toString()); // bad data
    }
    if (r.nextInt(100) < 85) {
      s.put("email_subscribe", pick(r, STATES));
    }
    if (r.nextInt(100) < 70) {
      s.put("push_subscribe", pick(r, STATES));
    }
    roll = r.nextInt(100);
    if (roll < 40) {
      user.groups.put("sg-newsletter", "subscribed");
    } else if (roll < 65) {
      user.groups.put("sg-newsletter", "unsubscribed");
    }
    roll = r.nextInt(100);
    if (roll < 15) {
      user.groups.put("sg-sms", "subscribed");
    } else if (roll < 25) {
      user.groups.put("sg-sms", "unsubscribed");
    }
  }

  private void custom(User user, SplittableRandom r) {
    Map<String, Object> c = user.custom;
    int roll = r.nextInt(100);
    if (roll < 70) {
      c.put("plan", pick(r, PLANS));
    } else if (roll < 74) {
      c.put("plan", "");
    } else if (roll < 77) {
      c.put("plan", "  ");
    } else if (roll < 79) {
      c.put("plan", 3L);
    } else if (roll < 80) {
      c.put("plan", true);
    }
    roll = r.nextInt(100);
    if (roll < 60) {
      c.put("score", (long) r.nextInt(-5, 101));
    } else if (roll < 75) {
      c.put("score", BigDecimal.valueOf(r.nextInt(0, 401) * 25L, 2)); // 0.00 to 100.00 by quarters
    } else if (roll < 78) {
      c.put("score", r.nextBoolean() ? "42" : String.valueOf(r.nextInt(0, 101)));
    } else if (roll < 80) {
      c.put("score", r.nextBoolean());
    }
    roll = r.nextInt(100);
    if (roll < 35) {
      c.put("vip", true);
    } else if (roll < 65) {
      c.put("vip", false);
    } else if (roll < 69) {
      c.put("vip", "true");
    } else if (roll < 70) {
      c.put("vip", 1L);
    }
    roll = r.nextInt(100);
    if (roll < 70) {
      c.put("last_seen_at", past(r, 400));
    } else if (roll < 74) {
      c.put("last_seen_at", "2025-06-01");
    }
    if (r.nextInt(100) < 50) {
      c.put("renews_at", base.plusMillis(r.nextLong(-30 * DAY_MILLIS, 120 * DAY_MILLIS)));
    }
    roll = r.nextInt(100);
    if (roll < 70) {
      c.put("favorite_genres", unique(r.nextInt(0, 6), () -> pick(r, GENRES)));
    } else if (roll < 74) {
      c.put("favorite_genres", pick(r, GENRES));
    }
    if (r.nextInt(100) < 40) {
      c.put("lucky", unique(r.nextInt(0, 5), () -> LUCKY.get(r.nextInt(LUCKY.size()))));
    }
    if (r.nextInt(100) < 20) {
      c.put("pets", unique(r.nextInt(1, 4), () -> {
        Map<String, Object> pet = new LinkedHashMap<>();
        pet.put("name", pick(r, PET_NAMES));
        pet.put("kind", pick(r, PET_KINDS));
        return pet;
      }));
    }
    roll = r.nextInt(100);
    if (roll < 55) {
      Map<String, Object> address = new LinkedHashMap<>();
      if (r.nextInt(100) < 90) {
        address.put("city", pick(r, CITIES));
      }
      int zip = r.nextInt(100);
      if (zip < 50) {
        address.put("zip", (long) r.nextInt(10_000, 100_000));
      } else if (zip < 70) {
        address.put("zip", r.nextBoolean() ? "75001" : "SW1A 1AA");
      }
      if (r.nextInt(100) < 70) {
        Map<String, Object> geo = new LinkedHashMap<>();
        geo.put("country", pick(r, COUNTRIES));
        geo.put("lat", BigDecimal.valueOf(r.nextInt(-9_000, 9_001), 2));
        address.put("geo", geo);
      }
      c.put("address", address);
    } else if (roll < 58) {
      c.put("address", "Paris");
    }
    if (r.nextInt(100) < 30) {
      c.put("utm.source", pick(r, UTM_SOURCES));
    }
  }

  private void activity(User user, SplittableRandom r) {
    if (r.nextInt(100) < 10) {
      return; // no activity at all
    }
    for (EventKind kind : EVENT_KINDS) {
      if (r.nextInt(100) < kind.percent()) {
        int times = 1 + r.nextInt(kind.max());
        for (int k = 0; k < times; k++) {
          user.events.add(new Event(kind.name(), past(r, 400), properties(r)));
        }
      }
    }
    if (r.nextInt(100) < 55) {
      int purchases = 1 + r.nextInt(5);
      for (int k = 0; k < purchases; k++) {
        int product = r.nextInt(PRODUCTS.length);
        BigDecimal price = new BigDecimal(PRICES[product]);
        if (r.nextInt(100) < 20) {
          price = price.divide(BigDecimal.TWO, 2, RoundingMode.HALF_UP);
        }
        user.purchases.add(new Bought(PRODUCTS[product], price, 1 + r.nextInt(3), past(r, 400)));
      }
    }
  }

  private static Map<String, Object> properties(SplittableRandom r) {
    Map<String, Object> properties = new LinkedHashMap<>();
    int roll = r.nextInt(100);
    if (roll < 80) {
      properties.put("source", pick(r, SOURCES));
    } else if (roll < 85) {
      properties.put("source", "");
    } else if (roll < 87) {
      properties.put("source", "  ");
    }
    roll = r.nextInt(100);
    if (roll < 65) {
      properties.put("duration", (long) r.nextInt(1, 601));
    } else if (roll < 75) {
      properties.put("duration", BigDecimal.valueOf(r.nextInt(1, 601) * 10L + 5, 1));
    } else if (roll < 80) {
      properties.put("duration", "30");
    } else if (roll < 83) {
      properties.put("duration", 30L);
    }
    return properties;
  }

  /** A time in the last {@code days} days before {@code base}, at millisecond precision. */
  private Instant past(SplittableRandom r, int days) {
    return base.minusMillis(1_000 + r.nextLong(days * DAY_MILLIS));
  }

  private static String pick(SplittableRandom r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  private static List<Object> unique(int size, Supplier<Object> element) {
    Set<Object> values = new LinkedHashSet<>();
    for (int k = 0; k < size; k++) {
      values.add(element.get());
    }
    return new ArrayList<>(values);
  }

  private static BigDecimal revenue(List<Bought> purchases) {
    return purchases.stream().map(p -> p.price().multiply(BigDecimal.valueOf(p.quantity())))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  // ---------------------------------------------------------------------------------------------
  // the independent evaluation: docs/segments.md over the model

  private static final Set<String> TEXT_FIELDS = Set.of("first_name", "last_name", "email", "phone", "home_city",
      "country", "language", "time_zone", "gender", "email_subscribe", "push_subscribe", "external_id", "braze_id");
  private static final Set<String> NUMBER_FIELDS = Set.of("random_bucket", "total_revenue", "age");

  private static final List<String> TEXT_OPS = List.of("equals", "not_equals", "in", "matches_regex",
      "does_not_match_regex", "exists", "not_exists", "blank");
  private static final List<String> NUMBER_OPS = List.of("equals", "not_equals", "greater_than",
      "greater_than_or_equal", "less_than", "less_than_or_equal", "between", "exists", "not_exists");
  private static final List<String> BOOLEAN_OPS = List.of("is_true", "is_false", "is_true_or_not_set", "is_false_or_not_set");
  private static final List<String> DATE_OPS = List.of("before", "after", "more_than_days_ago", "less_than_days_ago",
      "in_more_than_days", "in_less_than_days", "exists", "not_exists");
  private static final List<String> ARRAY_OPS = List.of("includes", "does_not_include", "includes_matching_regex",
      "size_equals", "size_greater_than", "size_less_than");
  private static final Set<String> TEXT_ONLY_OPS = Set.of("in", "matches_regex", "does_not_match_regex", "blank");
  private static final Set<String> NUMBER_ONLY_OPS = Set.of("greater_than", "greater_than_or_equal", "less_than",
      "less_than_or_equal", "between");
  private static final List<String> ACTIVITY_OPS = List.of("%s", "not_%s", "count_equals", "count_greater_than",
      "count_greater_than_or_equal", "count_less_than", "count_less_than_or_equal", "first_%s_before", "first_%s_after",
      "last_%s_before", "last_%s_after", "first_%s_more_than_days_ago", "first_%s_less_than_days_ago",
      "last_%s_more_than_days_ago", "last_%s_less_than_days_ago");
  private static final List<String> REVENUE_OPS = List.of("revenue_greater_than", "revenue_greater_than_or_equal",
      "revenue_less_than", "revenue_less_than_or_equal");

  private long expectedCount(Map<String, Object> filter) {
    return users.stream().filter(user -> matches(user, filter)).count();
  }

  private boolean matches(User user, Object json) {
    Map<String, Object> node = object(json);
    if (node.containsKey("and")) {
      return list(node.get("and")).stream().allMatch(child -> matches(user, child));
    }
    if (node.containsKey("or")) {
      return list(node.get("or")).stream().anyMatch(child -> matches(user, child));
    }
    if (node.containsKey("not")) {
      return !matches(user, node.get("not"));
    }
    String op = (String) node.get("op");
    Object operand = node.get("value");
    if (node.containsKey("attribute")) {
      return standard(user, (String) node.get("attribute"), op, operand);
    }
    if (node.containsKey("custom_attribute")) {
      Object value = user.custom.get((String) node.get("custom_attribute"));
      for (Object step : node.containsKey("path") ? list(node.get("path")) : List.of()) {
        value = value instanceof Map<?, ?> nested ? nested.get(step) : null;
      }
      return customCondition(op, operand, value);
    }
    if (node.containsKey("custom_event")) {
      return activity(user, false, (String) node.get("custom_event"), node);
    }
    if (node.containsKey("purchased_product")) {
      return activity(user, true, (String) node.get("purchased_product"), node);
    }
    if (node.containsKey("subscription_group")) {
      boolean subscribed = "subscribed".equals(user.groups.get((String) node.get("subscription_group")));
      return op.equals("subscribed") == subscribed;
    }
    if (node.containsKey("segment")) {
      Map<String, Object> referenced = segments.get((String) node.get("segment"));
      if (referenced == null) {
        throw new IllegalArgumentException("no segment " + node.get("segment"));
      }
      return op.equals("in") == matches(user, referenced);
    }
    throw new IllegalArgumentException("not a filter: " + json(node));
  }

  private boolean standard(User user, String field, String op, Object operand) {
    if (field.equals("alias_label")) {
      List<String> labels = user.aliases.stream().map(UserAlias::aliasLabel).toList();
      return switch (op) {
        case "exists" -> !labels.isEmpty();
        case "not_exists" -> labels.isEmpty();
        case "blank" -> labels.isEmpty() || labels.stream().anyMatch(label -> text("blank", null, label));
        case "not_equals" -> labels.stream().noneMatch(label -> text("equals", operand, label));
        case "does_not_match_regex" -> labels.stream().noneMatch(label -> text("matches_regex", operand, label));
        default -> labels.stream().anyMatch(label -> text(op, operand, label));
      };
    }
    Object value = switch (field) {
      case "external_id" -> user.externalId;
      case "braze_id" -> user.brazeId;
      case "random_bucket" -> (long) user.randomBucket;
      case "total_revenue" -> revenue(user.purchases); // every profile has one, 0 without purchases
      case "created_at" -> user.createdAt;
      case "age" -> user.standard.get("dob") instanceof String dob ? age(LocalDate.parse(dob)) : null;
      default -> user.standard.get(field);
    };
    if (TEXT_FIELDS.contains(field)) {
      return text(op, operand, value);
    }
    if (NUMBER_FIELDS.contains(field)) {
      return number(op, operand, value);
    }
    if (op.equals("exists") || op.equals("not_exists")) {
      return op.equals("exists") == (value != null);
    }
    if (field.equals("dob")) {
      return value instanceof String dob && dobCondition(op, operand, LocalDate.parse(dob));
    }
    return value instanceof Instant time && date(op, operand, time);
  }

  /**
   * Whole years: the largest n with today minus n years on or after dob. For a past dob that is
   * {@code Period.between(dob, today).getYears()} (born on February 29th, one is a year older on
   * March 1st of a common year); a dob in the future gives a negative age.
   */
  private long age(LocalDate dob) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    long years = Period.between(dob, today).getYears();
    while (dob.isAfter(today.minusYears(years))) {
      years--;
    }
    while (!dob.isAfter(today.minusYears(years + 1))) {
      years++;
    }
    return years;
  }

  /** The operator says the type; equals and not_equals go by the value; exists is any value at all. */
  private boolean customCondition(String op, Object operand, Object value) {
    if (op.equals("exists") || op.equals("not_exists")) {
      return op.equals("exists") == (value != null);
    }
    if (op.equals("equals") || op.equals("not_equals")) {
      return operand instanceof Number ? number(op, operand, value) : text(op, operand, value);
    }
    if (TEXT_ONLY_OPS.contains(op)) {
      return text(op, operand, value);
    }
    if (NUMBER_ONLY_OPS.contains(op)) {
      return number(op, operand, value);
    }
    if (BOOLEAN_OPS.contains(op)) {
      return bool(op, value);
    }
    if (ARRAY_OPS.contains(op)) {
      return array(op, operand, value);
    }
    return value instanceof Instant time && date(op, operand, time);
  }

  private boolean text(String op, Object operand, Object value) {
    String text = value instanceof String s ? s : null;
    return switch (op) {
      case "equals" -> text != null && text.equals(operand);
      case "not_equals" -> !(text != null && text.equals(operand));
      case "in" -> text != null && list(operand).contains(text);
      case "matches_regex" -> text != null && find(operand, text);
      case "does_not_match_regex" -> !(text != null && find(operand, text));
      case "blank" -> value == null || (text != null && text.chars().allMatch(c -> c == ' '));
      case "exists" -> value != null;
      case "not_exists" -> value == null;
      default -> throw new IllegalArgumentException("no text operator " + op);
    };
  }

  private static boolean number(String op, Object operand, Object value) {
    BigDecimal number = value instanceof Number n ? decimal(n) : null;
    return switch (op) {
      case "equals" -> number != null && number.compareTo(decimal(operand)) == 0;
      case "not_equals" -> !(number != null && number.compareTo(decimal(operand)) == 0);
      case "greater_than" -> number != null && number.compareTo(decimal(operand)) > 0;
      case "greater_than_or_equal" -> number != null && number.compareTo(decimal(operand)) >= 0;
      case "less_than" -> number != null && number.compareTo(decimal(operand)) < 0;
      case "less_than_or_equal" -> number != null && number.compareTo(decimal(operand)) <= 0;
      case "between" -> number != null && number.compareTo(decimal(list(operand).get(0))) >= 0
          && number.compareTo(decimal(list(operand).get(1))) <= 0;
      case "exists" -> value != null;
      case "not_exists" -> value == null;
      default -> throw new IllegalArgumentException("no number operator " + op);
    };
  }

  private static boolean bool(String op, Object value) {
    return switch (op) {
      case "is_true" -> Boolean.TRUE.equals(value);
      case "is_false" -> Boolean.FALSE.equals(value);
      case "is_true_or_not_set" -> value == null || Boolean.TRUE.equals(value);
      case "is_false_or_not_set" -> value == null || Boolean.FALSE.equals(value);
      default -> throw new IllegalArgumentException("no boolean operator " + op);
    };
  }

  /** Dates as instants: before and after are strict; relative operators as docs/segments.md and the compiler define them. */
  private boolean date(String op, Object operand, Instant time) {
    return switch (op) {
      case "before" -> time.isBefore(time(operand));
      case "after" -> time.isAfter(time(operand));
      case "more_than_days_ago" -> time.isBefore(now.minus(days(operand)));
      case "less_than_days_ago" -> time.isAfter(now.minus(days(operand))) && !time.isAfter(now);
      case "in_more_than_days" -> time.isAfter(now.plus(days(operand)));
      case "in_less_than_days" -> !time.isBefore(now) && time.isBefore(now.plus(days(operand)));
      default -> throw new IllegalArgumentException("no date operator " + op);
    };
  }

  /** {@code dob} is a calendar day: each threshold is taken as its UTC day and days are compared. */
  private boolean dobCondition(String op, Object operand, LocalDate dob) {
    LocalDate today = day(now);
    return switch (op) {
      case "before" -> dob.isBefore(day(time(operand)));
      case "after" -> dob.isAfter(day(time(operand)));
      case "more_than_days_ago" -> dob.isBefore(day(now.minus(days(operand))));
      case "less_than_days_ago" -> dob.isAfter(day(now.minus(days(operand)))) && !dob.isAfter(today);
      case "in_more_than_days" -> dob.isAfter(day(now.plus(days(operand))));
      case "in_less_than_days" -> !dob.isBefore(today) && dob.isBefore(day(now.plus(days(operand))));
      default -> throw new IllegalArgumentException("no date operator " + op);
    };
  }

  /** Arrays: elements compare as JSON values (a string is never a number, true is never 1); regexes see strings only. */
  private boolean array(String op, Object operand, Object value) {
    List<?> items = value instanceof List<?> l ? l : null;
    return switch (op) {
      case "includes" -> items != null && items.stream().anyMatch(item -> jsonEquals(item, operand));
      case "does_not_include" -> !(items != null && items.stream().anyMatch(item -> jsonEquals(item, operand)));
      case "includes_matching_regex" -> items != null
          && items.stream().anyMatch(item -> item instanceof String s && find(operand, s));
      case "size_equals" -> items != null && items.size() == whole(operand);
      case "size_greater_than" -> items != null && items.size() > whole(operand);
      case "size_less_than" -> items != null && items.size() < whole(operand);
      default -> throw new IllegalArgumentException("no array operator " + op);
    };
  }

  private static boolean jsonEquals(Object item, Object operand) {
    if (item instanceof Number a && operand instanceof Number b) {
      return decimal(a).compareTo(decimal(b)) == 0;
    }
    return (item instanceof String || item instanceof Boolean) && item.equals(operand);
  }

  private boolean activity(User user, boolean purchase, String subject, Map<String, Object> node) {
    String op = ((String) node.get("op")).replace(purchase ? "purchased" : "performed", "done");
    Object operand = node.get("value");
    Instant since = node.get("in_last_days") == null ? null : now.minus(days(node.get("in_last_days")));
    Map<String, Object> property = node.get("property") == null ? null : object(node.get("property"));
    List<Instant> times = new ArrayList<>();
    long count = 0;
    BigDecimal revenue = BigDecimal.ZERO;
    if (purchase) {
      for (Bought bought : user.purchases) {
        if ((subject.equals("*") || bought.product().equals(subject)) && (since == null || !bought.time().isBefore(since))) {
          times.add(bought.time());
          count += bought.quantity();
          revenue = revenue.add(bought.price().multiply(BigDecimal.valueOf(bought.quantity())));
        }
      }
    } else {
      for (Event event : user.events) {
        if (event.name().equals(subject) && (since == null || !event.time().isBefore(since))
            && (property == null || propertyMatches(property, event.properties()))) {
          times.add(event.time());
          count++;
        }
      }
    }
    Instant first = times.stream().min(Comparator.naturalOrder()).orElse(null);
    Instant last = times.stream().max(Comparator.naturalOrder()).orElse(null);
    return switch (op) {
      case "done" -> !times.isEmpty();
      case "not_done" -> times.isEmpty();
      case "count_equals" -> count == whole(operand);
      case "count_greater_than" -> count > whole(operand);
      case "count_greater_than_or_equal" -> count >= whole(operand);
      case "count_less_than" -> count < whole(operand);
      case "count_less_than_or_equal" -> count <= whole(operand);
      case "first_done_before" -> first != null && first.isBefore(time(operand));
      case "first_done_after" -> first != null && first.isAfter(time(operand));
      case "last_done_before" -> last != null && last.isBefore(time(operand));
      case "last_done_after" -> last != null && last.isAfter(time(operand));
      case "first_done_more_than_days_ago" -> first != null && first.isBefore(now.minus(days(operand)));
      case "first_done_less_than_days_ago" -> first != null && first.isAfter(now.minus(days(operand)));
      case "last_done_more_than_days_ago" -> last != null && last.isBefore(now.minus(days(operand)));
      case "last_done_less_than_days_ago" -> last != null && last.isAfter(now.minus(days(operand)));
      case "revenue_greater_than" -> revenue.compareTo(decimal(operand)) > 0;
      case "revenue_greater_than_or_equal" -> revenue.compareTo(decimal(operand)) >= 0;
      case "revenue_less_than" -> revenue.compareTo(decimal(operand)) < 0;
      case "revenue_less_than_or_equal" -> revenue.compareTo(decimal(operand)) <= 0;
      default -> throw new IllegalArgumentException("no activity operator " + node.get("op"));
    };
  }

  /** Event properties compare as numbers for number-only operators or a number value, else as text. */
  private boolean propertyMatches(Map<String, Object> property, Map<String, Object> properties) {
    String op = (String) property.get("op");
    Object operand = property.get("value");
    Object value = properties.get((String) property.get("name"));
    return (NUMBER_ONLY_OPS.contains(op) || operand instanceof Number) ? number(op, operand, value) : text(op, operand, value);
  }

  private boolean find(Object pattern, String text) {
    return patterns.computeIfAbsent((String) pattern, Pattern::compile).matcher(text).find();
  }

  private static BigDecimal decimal(Object number) {
    return number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
  }

  private static long whole(Object number) {
    return decimal(number).longValueExact();
  }

  private static Duration days(Object number) {
    return Duration.ofDays(whole(number));
  }

  /** An ISO date (midnight UTC) or an ISO instant, the two forms the cases use. */
  private static Instant time(Object text) {
    String s = (String) text;
    return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
  }

  private static LocalDate day(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object json) {
    return (Map<String, Object>) json;
  }

  private static List<?> list(Object json) {
    return (List<?>) json;
  }

  // ---------------------------------------------------------------------------------------------
  // cases

  /**
   * One filter to check. {@code nonTrivial}: it must match some users but not all, so the comparison
   * cannot pass vacuously.
   */
  private record Case(String name, Map<String, Object> filter, boolean nonTrivial) {
    String display() {
      return name + " " + json(filter);
    }
  }

  private static Case c(String name, Map<String, Object> filter) {
    return new Case(name, filter, true);
  }

  /** A case whose answer is rightly nobody or everybody (an unknown event, an empty and). */
  private static Case trivial(String name, Map<String, Object> filter) {
    return new Case(name, filter, false);
  }

  private Stream<DynamicTest> run(List<Case> cases) {
    return cases.stream().map(one -> DynamicTest.dynamicTest(one.display(), () -> check(one)));
  }

  private SegmentResolver resolver() {
    return id -> Optional.ofNullable(segments.get(id)).map(FilterParser::parse);
  }

  private void check(Case one) {
    Filter filter = FilterParser.parse(one.filter());
    long expected = expectedCount(one.filter());
    long actual = storage.segmentQueries().count(filter, resolver(), now);
    if (actual != expected) {
      fail("%s: the store counts %d users, the evaluation of docs/segments.md %d (now = %s).%nUsers on which they differ:%n%s",
          one.name(), actual, expected, now, differences(one.filter()));
    }
    if (one.nonTrivial()) {
      assertThat(expected).as("%s should match some users but not all", one.name()).isBetween(1L, (long) USERS - 1);
    }
  }

  /** A few users the store and the evaluation disagree on, found through braze_id filters. */
  private String differences(Map<String, Object> filter) {
    List<String> found = new ArrayList<>();
    for (int from = 0; from < users.size() && found.size() < 3; from += BATCH) {
      List<User> chunk = users.subList(from, Math.min(from + BATCH, users.size()));
      List<Object> ids = chunk.stream().map(user -> (Object) user.brazeId).toList();
      long inStore = storage.segmentQueries()
          .count(FilterParser.parse(and(filter, attr("braze_id", "in", ids))), resolver(), now);
      long inModel = chunk.stream().filter(user -> matches(user, filter)).count();
      if (inStore == inModel) {
        continue;
      }
      for (User user : chunk) {
        boolean store = storage.segmentQueries().count(
            FilterParser.parse(and(filter, attr("braze_id", "equals", user.brazeId))), resolver(), now) == 1;
        boolean model = matches(user, filter);
        if (store != model) {
          found.add("  store " + (store ? "matches" : "does not match") + ", evaluation " + (model ? "matches" : "does not match")
              + ": " + user);
          if (found.size() >= 3) {
            break;
          }
        }
      }
    }
    return String.join(System.lineSeparator(), found);
  }

  /** An instant {@code days} days from now (negative: ago), off midnight. */
  private String at(int days) {
    return now.plus(Duration.ofDays(days)).plusSeconds(4_321).toString();
  }

  /** The UTC date {@code days} days from now (negative: ago). */
  private String onDay(int days) {
    return day(now.plus(Duration.ofDays(days))).toString();
  }

  private List<Case> standardTextCases() {
    User withEmail = users.stream().filter(u -> u.standard.get("email") != null).skip(10).findFirst().orElseThrow();
    User identified = users.stream().filter(u -> u.externalId != null).skip(42).findFirst().orElseThrow();
    List<Case> cases = new ArrayList<>();
    for (String op : List.of("blank", "exists", "not_exists")) {
      cases.add(c("country " + op, attr("country", op)));
      cases.add(c("first_name " + op, attr("first_name", op)));
      cases.add(c("email " + op, attr("email", op)));
      cases.add(c("external_id " + op, attr("external_id", op)));
      cases.add(c("email_subscribe " + op, attr("email_subscribe", op)));
    }
    cases.addAll(List.of(
        c("country equals", attr("country", "equals", "US")),
        c("country not_equals", attr("country", "not_equals", "US")),
        c("country in", attr("country", "in", List.of("FR", "DE"))),
        c("country matches_regex", attr("country", "matches_regex", "^(U|G)")),
        c("country does_not_match_regex", attr("country", "does_not_match_regex", "^U")),
        c("first_name equals (accent)", attr("first_name", "equals", "Chloé")),
        c("first_name not_equals", attr("first_name", "not_equals", "Chloé")),
        c("first_name in", attr("first_name", "in", List.of("Ana", "Bob", "nobody"))),
        c("first_name matches_regex (accent)", attr("first_name", "matches_regex", "é")),
        c("first_name matches_regex (whitespace only)", attr("first_name", "matches_regex", "^\\s+$")),
        c("first_name does_not_match_regex", attr("first_name", "does_not_match_regex", "[aeiou]")),
        c("last_name blank", attr("last_name", "blank")),
        c("last_name matches_regex", attr("last_name", "matches_regex", "son$")),
        // Regexes mean what they mean to Java: PostgreSQL gets \b, \w, \d, \s, . and $ translated.
        c("first_name matches_regex word boundary", attr("first_name", "matches_regex", "\\bAn")),
        c("first_name matches_regex word boundaries at a hyphen", attr("first_name", "matches_regex", "\\bLuc\\b")),
        c("first_name matches_regex boundary before a non-ASCII letter", attr("first_name", "matches_regex", "Mar\\b")),
        c("first_name matches_regex ASCII word characters only", attr("first_name", "matches_regex", "^\\w+$")),
        c("first_name matches_regex a non-word character", attr("first_name", "matches_regex", "\\W")),
        c("first_name matches_regex 3 to 5 characters", attr("first_name", "matches_regex", "^.{3,5}$")),
        c("last_name matches_regex word characters then son at the end", attr("last_name", "matches_regex", "\\w+son$")),
        c("external_id matches_regex digits", attr("external_id", "matches_regex", "^user-\\d{2}$")),
        c("home_city matches_regex whitespace", attr("home_city", "matches_regex", "\\s")),
        c("email equals one user", attr("email", "equals", withEmail.standard.get("email"))),
        c("email not_equals", attr("email", "not_equals", withEmail.standard.get("email"))),
        c("email in", attr("email", "in", List.of(withEmail.standard.get("email"), "nobody@example.com"))),
        c("email matches_regex (case-sensitive)", attr("email", "matches_regex", "@example\\.com$")),
        c("email does_not_match_regex", attr("email", "does_not_match_regex", "@example\\.com$")),
        c("phone exists", attr("phone", "exists")),
        c("phone not_exists", attr("phone", "not_exists")),
        c("phone matches_regex", attr("phone", "matches_regex", "0$")),
        c("external_id equals", attr("external_id", "equals", identified.externalId)),
        c("external_id not_equals", attr("external_id", "not_equals", identified.externalId)),
        c("external_id in", attr("external_id", "in", List.of(identified.externalId, "user-1", "user-2", "nobody"))),
        c("external_id matches_regex", attr("external_id", "matches_regex", "7$")),
        c("external_id does_not_match_regex", attr("external_id", "does_not_match_regex", "^user-1")),
        trivial("braze_id exists", attr("braze_id", "exists")),
        trivial("braze_id not_exists", attr("braze_id", "not_exists")),
        trivial("braze_id blank", attr("braze_id", "blank")),
        c("braze_id equals", attr("braze_id", "equals", users.get(123).brazeId)),
        c("braze_id not_equals", attr("braze_id", "not_equals", users.get(123).brazeId)),
        c("braze_id in", attr("braze_id", "in", List.of(users.get(1).brazeId, users.get(2).brazeId))),
        c("braze_id matches_regex", attr("braze_id", "matches_regex", "^[0-7]")),
        c("braze_id does_not_match_regex", attr("braze_id", "does_not_match_regex", "a")),
        c("language in", attr("language", "in", List.of("en", "fr"))),
        c("language equals", attr("language", "equals", "de")),
        c("language not_equals", attr("language", "not_equals", "en")),
        c("gender equals", attr("gender", "equals", "F")),
        c("gender in", attr("gender", "in", List.of("O", "N", "P"))),
        c("gender not_exists", attr("gender", "not_exists")),
        c("home_city blank (empty string or missing)", attr("home_city", "blank")),
        c("home_city equals (non-ASCII)", attr("home_city", "equals", "São Paulo")),
        c("home_city exists", attr("home_city", "exists")),
        c("time_zone matches_regex", attr("time_zone", "matches_regex", "^Europe/")),
        c("time_zone equals", attr("time_zone", "equals", "UTC")),
        c("email_subscribe equals", attr("email_subscribe", "equals", "opted_in")),
        c("email_subscribe not_equals", attr("email_subscribe", "not_equals", "unsubscribed")),
        c("email_subscribe in", attr("email_subscribe", "in", List.of("opted_in", "subscribed"))),
        c("email_subscribe matches_regex", attr("email_subscribe", "matches_regex", "^sub")),
        c("email_subscribe does_not_match_regex", attr("email_subscribe", "does_not_match_regex", "sub")),
        c("push_subscribe equals", attr("push_subscribe", "equals", "subscribed")),
        c("push_subscribe not_exists", attr("push_subscribe", "not_exists"))));
    return cases;
  }

  private List<Case> standardNumberCases() {
    int bucket = users.get(77).randomBucket;
    BigDecimal commonTotal = mostCommonTotals("*", 1).get(0);
    return List.of(
        c("random_bucket equals", attr("random_bucket", "equals", bucket)),
        c("random_bucket not_equals", attr("random_bucket", "not_equals", bucket)),
        c("random_bucket greater_than", attr("random_bucket", "greater_than", 5000)),
        c("random_bucket greater_than_or_equal", attr("random_bucket", "greater_than_or_equal", 5000)),
        c("random_bucket less_than", attr("random_bucket", "less_than", 1000)),
        c("random_bucket less_than_or_equal", attr("random_bucket", "less_than_or_equal", 999)),
        c("random_bucket between", attr("random_bucket", "between", List.of(1000, 1999))),
        c("random_bucket between (fractional ends)", attr("random_bucket", "between", List.of(2500.5, 2600))),
        trivial("random_bucket exists", attr("random_bucket", "exists")),
        trivial("random_bucket not_exists", attr("random_bucket", "not_exists")),
        c("total_revenue equals 0 (no purchases)", attr("total_revenue", "equals", 0)),
        c("total_revenue equals an exact total", attr("total_revenue", "equals", commonTotal)),
        c("total_revenue not_equals 0", attr("total_revenue", "not_equals", 0)),
        c("total_revenue greater_than", attr("total_revenue", "greater_than", 50)),
        c("total_revenue greater_than_or_equal", attr("total_revenue", "greater_than_or_equal", 100)),
        c("total_revenue greater_than_or_equal an exact total", attr("total_revenue", "greater_than_or_equal", commonTotal)),
        c("total_revenue less_than", attr("total_revenue", "less_than", 10)),
        c("total_revenue less_than_or_equal an exact total", attr("total_revenue", "less_than_or_equal", commonTotal)),
        c("total_revenue between", attr("total_revenue", "between", List.of(10, 50))),
        trivial("total_revenue exists (every profile has one)", attr("total_revenue", "exists")),
        trivial("total_revenue not_exists", attr("total_revenue", "not_exists")),
        c("age equals", attr("age", "equals", 30)),
        trivial("age equals a fraction", attr("age", "equals", 30.5)),
        c("age not_equals (also users without dob)", attr("age", "not_equals", 30)),
        c("age greater_than", attr("age", "greater_than", 40)),
        c("age greater_than a fraction", attr("age", "greater_than", 30.5)),
        c("age greater_than_or_equal", attr("age", "greater_than_or_equal", 40)),
        c("age greater_than_or_equal a fraction", attr("age", "greater_than_or_equal", 30.5)),
        c("age less_than", attr("age", "less_than", 25)),
        c("age less_than a fraction", attr("age", "less_than", 30.5)),
        c("age less_than 0 (dob in the future)", attr("age", "less_than", 0)),
        c("age less_than_or_equal", attr("age", "less_than_or_equal", 25)),
        c("age less_than_or_equal a fraction", attr("age", "less_than_or_equal", 30.5)),
        c("age between", attr("age", "between", List.of(18, 34))),
        c("age between fractions", attr("age", "between", List.of(20.5, 30.5))),
        c("age exists", attr("age", "exists")),
        c("age not_exists", attr("age", "not_exists")));
  }

  private List<Case> standardDateCases() {
    String splitAt = users.get(USERS / 4).createdAt.toString();
    return List.of(
        c("created_at before", attr("created_at", "before", splitAt)),
        c("created_at after", attr("created_at", "after", splitAt)),
        c("created_at more_than_days_ago 0 (before now)", attr("created_at", "more_than_days_ago", 0)),
        c("created_at less_than_days_ago 1", attr("created_at", "less_than_days_ago", 1)),
        trivial("created_at less_than_days_ago 0", attr("created_at", "less_than_days_ago", 0)),
        c("created_at in_more_than_days 0 (after now)", attr("created_at", "in_more_than_days", 0)),
        c("created_at in_less_than_days 1", attr("created_at", "in_less_than_days", 1)),
        trivial("created_at exists", attr("created_at", "exists")),
        trivial("created_at not_exists", attr("created_at", "not_exists")),
        c("dob before a date", attr("dob", "before", "2000-01-01")),
        c("dob after a date", attr("dob", "after", "1980-06-15")),
        c("dob before a time of day", attr("dob", "before", "1990-03-03T12:00:00Z")),
        c("dob after a time of day", attr("dob", "after", "1990-03-03T12:00:00Z")),
        c("dob more_than_days_ago", attr("dob", "more_than_days_ago", 10_000)),
        c("dob less_than_days_ago", attr("dob", "less_than_days_ago", 9_000)),
        c("dob in_more_than_days (future dob)", attr("dob", "in_more_than_days", 30)),
        c("dob in_less_than_days (future dob)", attr("dob", "in_less_than_days", 100)),
        c("dob exists", attr("dob", "exists")),
        c("dob not_exists", attr("dob", "not_exists")));
  }

  private List<Case> aliasLabelCases() {
    return List.of(
        c("alias_label equals", attr("alias_label", "equals", "amplitude_id")),
        c("alias_label not_equals", attr("alias_label", "not_equals", "amplitude_id")),
        c("alias_label in", attr("alias_label", "in", List.of("legacy_crm", "mixpanel_id"))),
        c("alias_label matches_regex", attr("alias_label", "matches_regex", "_id$")),
        c("alias_label does_not_match_regex", attr("alias_label", "does_not_match_regex", "^amp")),
        c("alias_label exists (any alias)", attr("alias_label", "exists")),
        c("alias_label not_exists", attr("alias_label", "not_exists")),
        c("alias_label blank", attr("alias_label", "blank")));
  }

  private List<Case> customTextCases() {
    return List.of(
        c("plan equals", custom("plan", "equals", "pro")),
        c("plan not_equals (missing and other types too)", custom("plan", "not_equals", "pro")),
        c("plan in", custom("plan", "in", List.of("team", "enterprise"))),
        c("plan matches_regex", custom("plan", "matches_regex", "^(pro|team)$")),
        c("plan matches_regex anywhere", custom("plan", "matches_regex", "e")),
        c("plan does_not_match_regex", custom("plan", "does_not_match_regex", "^f")),
        c("plan exists (any type)", custom("plan", "exists")),
        c("plan not_exists", custom("plan", "not_exists")),
        c("plan blank (missing, empty, spaces)", custom("plan", "blank")),
        c("score equals a string (text only)", custom("score", "equals", "42")),
        c("score not_equals a string", custom("score", "not_equals", "42")),
        c("score matches_regex (text values only)", custom("score", "matches_regex", "^4")),
        c("utm.source equals (dot in name)", custom("utm.source", "equals", "facebook ads")),
        c("utm.source matches_regex", custom("utm.source", "matches_regex", "\\s")),
        c("utm.source not_equals", custom("utm.source", "not_equals", "google")));
  }

  private List<Case> customNumberCases() {
    return List.of(
        c("score equals", custom("score", "equals", 42)),
        c("score equals a decimal", custom("score", "equals", 42.5)),
        c("score not_equals (missing and other types too)", custom("score", "not_equals", 42)),
        c("score greater_than", custom("score", "greater_than", 50)),
        c("score greater_than_or_equal", custom("score", "greater_than_or_equal", 50)),
        c("score less_than", custom("score", "less_than", 10)),
        c("score less_than 0", custom("score", "less_than", 0)),
        c("score less_than_or_equal", custom("score", "less_than_or_equal", 10)),
        c("score between", custom("score", "between", List.of(10, 20))),
        c("score between decimals", custom("score", "between", List.of(10.25, 20.75))),
        c("score exists", custom("score", "exists")),
        c("score not_exists", custom("score", "not_exists")),
        c("plan greater_than (numbers only)", custom("plan", "greater_than", 0)),
        c("vip equals 1 (a number, not true)", custom("vip", "equals", 1)));
  }

  private List<Case> customBooleanCases() {
    return List.of(
        c("vip is_true", custom("vip", "is_true")),
        c("vip is_false", custom("vip", "is_false")),
        c("vip is_true_or_not_set", custom("vip", "is_true_or_not_set")),
        c("vip is_false_or_not_set", custom("vip", "is_false_or_not_set")),
        c("plan is_true (some plans are booleans)", custom("plan", "is_true")),
        c("score is_false_or_not_set", custom("score", "is_false_or_not_set")));
  }

  private List<Case> customDateCases() {
    return List.of(
        c("last_seen_at before a time", custom("last_seen_at", "before", at(-100))),
        c("last_seen_at after a time", custom("last_seen_at", "after", at(-100))),
        c("last_seen_at before a date", custom("last_seen_at", "before", onDay(-200))),
        c("last_seen_at after a date", custom("last_seen_at", "after", onDay(-30))),
        c("last_seen_at more_than_days_ago", custom("last_seen_at", "more_than_days_ago", 30)),
        c("last_seen_at less_than_days_ago", custom("last_seen_at", "less_than_days_ago", 30)),
        trivial("last_seen_at less_than_days_ago 0", custom("last_seen_at", "less_than_days_ago", 0)),
        trivial("last_seen_at in_more_than_days 0 (all in the past)", custom("last_seen_at", "in_more_than_days", 0)),
        c("last_seen_at exists (any type)", custom("last_seen_at", "exists")),
        c("last_seen_at not_exists", custom("last_seen_at", "not_exists")),
        c("renews_at in_less_than_days", custom("renews_at", "in_less_than_days", 7)),
        trivial("renews_at in_less_than_days 0", custom("renews_at", "in_less_than_days", 0)),
        c("renews_at in_more_than_days", custom("renews_at", "in_more_than_days", 30)),
        c("renews_at in_more_than_days 0", custom("renews_at", "in_more_than_days", 0)),
        c("renews_at more_than_days_ago", custom("renews_at", "more_than_days_ago", 10)),
        c("renews_at less_than_days_ago", custom("renews_at", "less_than_days_ago", 10)),
        c("renews_at after a future time", custom("renews_at", "after", at(60))),
        c("renews_at before a future date", custom("renews_at", "before", onDay(60))));
  }

  private List<Case> customArrayCases() {
    return List.of(
        c("favorite_genres includes", custom("favorite_genres", "includes", "comedy")),
        c("favorite_genres does_not_include (missing and non-arrays too)",
            custom("favorite_genres", "does_not_include", "horror")),
        c("favorite_genres includes_matching_regex", custom("favorite_genres", "includes_matching_regex", "^sci")),
        c("favorite_genres includes_matching_regex anywhere", custom("favorite_genres", "includes_matching_regex", "o")),
        c("favorite_genres includes_matching_regex word boundary", custom("favorite_genres", "includes_matching_regex", "^sci\\b")),
        trivial("favorite_genres includes is not a substring match", custom("favorite_genres", "includes", "sci")),
        c("favorite_genres size_equals", custom("favorite_genres", "size_equals", 2)),
        c("favorite_genres size_equals 0", custom("favorite_genres", "size_equals", 0)),
        c("favorite_genres size_greater_than", custom("favorite_genres", "size_greater_than", 2)),
        c("favorite_genres size_less_than", custom("favorite_genres", "size_less_than", 3)),
        c("favorite_genres size_less_than 1", custom("favorite_genres", "size_less_than", 1)),
        c("favorite_genres equals (a string, not an array)", custom("favorite_genres", "equals", "comedy")),
        c("lucky includes a number", custom("lucky", "includes", 7)),
        c("lucky includes a decimal", custom("lucky", "includes", 2.5)),
        c("lucky includes a numeric string", custom("lucky", "includes", "7")),
        c("lucky includes true (not the number 1)", custom("lucky", "includes", true)),
        c("lucky includes false", custom("lucky", "includes", false)),
        c("lucky includes 1 (not true)", custom("lucky", "includes", 1)),
        c("lucky does_not_include 1", custom("lucky", "does_not_include", 1)),
        c("lucky does_not_include true", custom("lucky", "does_not_include", true)),
        c("lucky includes_matching_regex sees strings only (not the number 7)",
            custom("lucky", "includes_matching_regex", "^7$")),
        c("lucky includes_matching_regex", custom("lucky", "includes_matching_regex", "u")),
        c("lucky size_greater_than", custom("lucky", "size_greater_than", 1)),
        c("pets size_equals (array of objects)", custom("pets", "size_equals", 1)),
        c("pets size_greater_than", custom("pets", "size_greater_than", 1)),
        trivial("pets includes a string (objects are not strings)", custom("pets", "includes", "dog")),
        trivial("pets includes_matching_regex sees no objects", custom("pets", "includes_matching_regex", "dog")));
  }

  private List<Case> nestedCases() {
    List<String> city = List.of("city");
    Object someZip = users.stream().map(u -> u.custom.get("address"))
        .filter(a -> a instanceof Map<?, ?> m && m.get("zip") instanceof Long)
        .map(a -> ((Map<?, ?>) a).get("zip")).findFirst().orElseThrow();
    return List.of(
        c("address.city equals", nested("address", city, "equals", "Paris")),
        c("address.city not_equals", nested("address", city, "not_equals", "Paris")),
        c("address.city in", nested("address", city, "in", List.of("London", "Berlin"))),
        c("address.city matches_regex", nested("address", city, "matches_regex", "^New")),
        c("address.city does_not_match_regex", nested("address", city, "does_not_match_regex", "a")),
        c("address.city blank", nested("address", city, "blank", null)),
        c("address.city exists", nested("address", city, "exists", null)),
        c("address.city not_exists", nested("address", city, "not_exists", null)),
        c("address.zip greater_than", nested("address", List.of("zip"), "greater_than", 50_000)),
        c("address.zip between", nested("address", List.of("zip"), "between", List.of(10_000, 20_000))),
        c("address.zip equals a string", nested("address", List.of("zip"), "equals", "75001")),
        c("address.zip not_equals a number", nested("address", List.of("zip"), "not_equals", someZip)),
        c("address.geo.country equals", nested("address", List.of("geo", "country"), "equals", "FR")),
        c("address.geo.lat greater_than", nested("address", List.of("geo", "lat"), "greater_than", 45.5)),
        c("address.geo.lat less_than_or_equal", nested("address", List.of("geo", "lat"), "less_than_or_equal", -10.25)),
        c("address.geo exists", nested("address", List.of("geo"), "exists", null)),
        c("address.geo not_exists", nested("address", List.of("geo"), "not_exists", null)),
        c("address exists (object or string)", custom("address", "exists")),
        c("address equals (the string form)", custom("address", "equals", "Paris")));
  }

  private List<Case> eventCases() {
    String e = "watched_trailer";
    List<Case> cases = new ArrayList<>(List.of(
        c("performed", event(e, "performed", null, null, null)),
        c("not_performed", event(e, "not_performed", null, null, null)),
        c("count_equals", event(e, "count_equals", 2, null, null)),
        c("count_equals 0", event(e, "count_equals", 0, null, null)),
        c("count_greater_than", event(e, "count_greater_than", 2, null, null)),
        c("count_greater_than_or_equal", event(e, "count_greater_than_or_equal", 2, null, null)),
        c("count_less_than", event(e, "count_less_than", 2, null, null)),
        c("count_less_than_or_equal", event(e, "count_less_than_or_equal", 2, null, null)),
        c("first_performed_before a date", event(e, "first_performed_before", onDay(-200), null, null)),
        c("first_performed_before a time", event(e, "first_performed_before", at(-200), null, null)),
        c("first_performed_after", event(e, "first_performed_after", at(-100), null, null)),
        c("last_performed_before", event(e, "last_performed_before", at(-100), null, null)),
        c("last_performed_after", event(e, "last_performed_after", onDay(-30), null, null)),
        c("first_performed_more_than_days_ago", event(e, "first_performed_more_than_days_ago", 200, null, null)),
        c("first_performed_less_than_days_ago", event(e, "first_performed_less_than_days_ago", 200, null, null)),
        c("last_performed_more_than_days_ago", event(e, "last_performed_more_than_days_ago", 60, null, null)),
        c("last_performed_less_than_days_ago", event(e, "last_performed_less_than_days_ago", 7, null, null)),
        c("app_open count_greater_than_or_equal", event("app_open", "count_greater_than_or_equal", 6, null, null)),
        trivial("app_open last_performed_less_than_days_ago 0 (nothing after now)",
            event("app_open", "last_performed_less_than_days_ago", 0, null, null)),
        c("rare_event performed", event("rare_event", "performed", null, null, null)),
        trivial("unknown event performed", event("never_sent", "performed", null, null, null)),
        trivial("unknown event not_performed", event("never_sent", "not_performed", null, null, null)),
        trivial("unknown event count_equals 0", event("never_sent", "count_equals", 0, null, null)),
        c("performed in_last_days", event(e, "performed", null, 30, null)),
        c("not_performed in_last_days", event(e, "not_performed", null, 30, null)),
        c("count_equals in_last_days", event("app_open", "count_equals", 1, 60, null)),
        c("count_equals 0 in_last_days", event("app_open", "count_equals", 0, 60, null)),
        c("count_greater_than in_last_days", event("app_open", "count_greater_than", 1, 90, null)),
        c("count_greater_than_or_equal in_last_days", event(e, "count_greater_than_or_equal", 2, 90, null)),
        c("count_less_than in_last_days", event("app_open", "count_less_than", 3, 365, null)),
        c("count_less_than_or_equal in_last_days", event("app_open", "count_less_than_or_equal", 2, 180, null)),
        c("performed in_last_days 1", event("app_open", "performed", null, 1, null)),
        c("performed in_last_days 3650 (all)", event(e, "performed", null, 3650, null))));
    String s = "played_song";
    cases.addAll(List.of(
        c("property source equals", event(s, "performed", null, 90, prop("source", "equals", "ios"))),
        c("property source not_equals (missing too)", event(s, "performed", null, 90, prop("source", "not_equals", "ios"))),
        c("property source in", event(s, "performed", null, 90, prop("source", "in", List.of("ios", "android")))),
        c("property source matches_regex", event(s, "performed", null, 90, prop("source", "matches_regex", "^i"))),
        c("property source does_not_match_regex", event(s, "performed", null, 90, prop("source", "does_not_match_regex", "o"))),
        c("property source blank", event(s, "performed", null, 365, prop("source", "blank", null))),
        c("property source exists", event(s, "performed", null, 90, prop("source", "exists", null))),
        c("property source not_exists", event(s, "performed", null, 365, prop("source", "not_exists", null))),
        c("property duration equals a number", event(s, "performed", null, 365, prop("duration", "equals", 30))),
        c("property duration equals a string", event(s, "performed", null, 365, prop("duration", "equals", "30"))),
        c("property duration not_equals", event(s, "performed", null, 90, prop("duration", "not_equals", 30))),
        c("property duration greater_than", event(s, "performed", null, 90, prop("duration", "greater_than", 300))),
        c("property duration greater_than_or_equal",
            event(s, "performed", null, 90, prop("duration", "greater_than_or_equal", 300.5))),
        c("property duration less_than", event(s, "performed", null, 90, prop("duration", "less_than", 60))),
        c("property duration less_than_or_equal", event(s, "performed", null, 90, prop("duration", "less_than_or_equal", 60))),
        c("property duration between", event(s, "performed", null, 180, prop("duration", "between", List.of(60, 120)))),
        c("property with not_performed", event(s, "not_performed", null, 90, prop("source", "equals", "web"))),
        c("property with count_greater_than_or_equal",
            event(s, "count_greater_than_or_equal", 2, 365, prop("source", "equals", "ios"))),
        c("property with count_equals 0", event(s, "count_equals", 0, 180, prop("duration", "greater_than", 100))),
        c("property with count_less_than", event(s, "count_less_than", 2, 365, prop("source", "in", List.of("web")))),
        c("property with count_greater_than", event(s, "count_greater_than", 1, 365, prop("duration", "less_than", 300))),
        c("property with count_less_than_or_equal",
            event(s, "count_less_than_or_equal", 1, 365, prop("source", "exists", null)))));
    return cases;
  }

  private List<Case> purchaseCases() {
    String p = "sku-0003";
    return List.of(
        c("purchased", purchase(p, "purchased", null, null)),
        c("not_purchased", purchase(p, "not_purchased", null, null)),
        c("count_equals (quantities summed)", purchase(p, "count_equals", 3, null)),
        c("count_greater_than", purchase(p, "count_greater_than", 2, null)),
        c("count_greater_than_or_equal", purchase(p, "count_greater_than_or_equal", 2, null)),
        c("count_less_than", purchase(p, "count_less_than", 2, null)),
        c("count_less_than_or_equal", purchase(p, "count_less_than_or_equal", 2, null)),
        c("first_purchased_before", purchase(p, "first_purchased_before", at(-200), null)),
        c("first_purchased_after", purchase(p, "first_purchased_after", onDay(-100), null)),
        c("last_purchased_before", purchase(p, "last_purchased_before", onDay(-100), null)),
        c("last_purchased_after", purchase(p, "last_purchased_after", at(-30), null)),
        c("first_purchased_more_than_days_ago", purchase(p, "first_purchased_more_than_days_ago", 200, null)),
        c("first_purchased_less_than_days_ago", purchase(p, "first_purchased_less_than_days_ago", 200, null)),
        c("last_purchased_more_than_days_ago", purchase(p, "last_purchased_more_than_days_ago", 60, null)),
        c("last_purchased_less_than_days_ago", purchase(p, "last_purchased_less_than_days_ago", 60, null)),
        c("purchased in_last_days", purchase(p, "purchased", null, 30)),
        c("not_purchased in_last_days", purchase(p, "not_purchased", null, 30)),
        c("count_equals in_last_days", purchase(p, "count_equals", 2, 180)),
        c("count_greater_than in_last_days", purchase(p, "count_greater_than", 1, 180)),
        c("count_greater_than_or_equal in_last_days", purchase(p, "count_greater_than_or_equal", 3, 365)),
        c("count_less_than in_last_days", purchase(p, "count_less_than", 2, 90)),
        c("count_less_than_or_equal in_last_days", purchase(p, "count_less_than_or_equal", 1, 90)),
        c("any product purchased", purchase("*", "purchased", null, null)),
        c("any product not_purchased", purchase("*", "not_purchased", null, null)),
        c("any product count_greater_than in_last_days", purchase("*", "count_greater_than", 3, 90)),
        c("any product count_equals", purchase("*", "count_equals", 4, null)),
        c("any product first_purchased_before", purchase("*", "first_purchased_before", at(-300), null)),
        c("any product last_purchased_after", purchase("*", "last_purchased_after", at(-20), null)),
        c("any product last_purchased_more_than_days_ago", purchase("*", "last_purchased_more_than_days_ago", 60, null)),
        c("any product first_purchased_less_than_days_ago", purchase("*", "first_purchased_less_than_days_ago", 100, null)),
        c("any product not_purchased in_last_days", purchase("*", "not_purchased", null, 30)),
        c("any product count_greater_than_or_equal", purchase("*", "count_greater_than_or_equal", 6, null)),
        c("any product count_less_than", purchase("*", "count_less_than", 3, null)),
        c("any product count_less_than_or_equal in_last_days", purchase("*", "count_less_than_or_equal", 2, 120)),
        c("any product first_purchased_after", purchase("*", "first_purchased_after", onDay(-150), null)),
        c("any product last_purchased_before", purchase("*", "last_purchased_before", at(-90), null)),
        c("any product first_purchased_more_than_days_ago", purchase("*", "first_purchased_more_than_days_ago", 300, null)),
        c("any product last_purchased_less_than_days_ago", purchase("*", "last_purchased_less_than_days_ago", 14, null)),
        trivial("unknown product purchased", purchase("sku-none", "purchased", null, null)));
  }

  private List<Case> revenueCases() {
    List<Case> cases = new ArrayList<>(List.of(
        c("any product revenue_greater_than", purchase("*", "revenue_greater_than", 50, null)),
        c("any product revenue_greater_than_or_equal in_last_days", purchase("*", "revenue_greater_than_or_equal", 100, 180)),
        c("any product revenue_less_than (no purchases too)", purchase("*", "revenue_less_than", 10, null)),
        c("any product revenue_less_than_or_equal 0", purchase("*", "revenue_less_than_or_equal", 0, null)),
        c("any product revenue_greater_than in_last_days", purchase("*", "revenue_greater_than", 20, 30)),
        c("sku-0004 revenue_greater_than_or_equal (price x quantity)",
            purchase("sku-0004", "revenue_greater_than_or_equal", 39.98, null)),
        c("sku-0004 revenue_less_than in_last_days", purchase("sku-0004", "revenue_less_than", 20, 180)),
        c("sku-0005 revenue_less_than_or_equal", purchase("sku-0005", "revenue_less_than_or_equal", 49, null))));
    // Totals some users spent exactly: revenue is price times quantity summed, so the comparison must be exact.
    Map<String, List<BigDecimal>> exactTotals = new LinkedHashMap<>();
    exactTotals.put("sku-0003", List.of(new BigDecimal("29.97")));
    exactTotals.put("sku-0006", List.of(new BigDecimal("0.3")));
    exactTotals.put("*", mostCommonTotals("*", 4));
    exactTotals.forEach((product, totals) -> {
      for (BigDecimal total : totals) {
        for (String op : REVENUE_OPS) {
          cases.add(c((product.equals("*") ? "any product " : product + " ") + op + " at an exact total " + total,
              purchase(product, op, total, null)));
        }
      }
    });
    return cases;
  }

  /** The totals most users spent on the product ("*": any), above zero. */
  private List<BigDecimal> mostCommonTotals(String product, int how) {
    Map<BigDecimal, Long> counts = users.stream()
        .map(u -> revenue(u.purchases.stream().filter(b -> product.equals("*") || b.product().equals(product)).toList()))
        .filter(total -> total.signum() > 0).map(BigDecimal::stripTrailingZeros)
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    return counts.entrySet().stream().sorted(Map.Entry.<BigDecimal, Long>comparingByValue().reversed()).limit(how)
        .map(Map.Entry::getKey).toList();
  }

  private List<Case> subscriptionGroupCases() {
    return List.of(
        c("sg-newsletter subscribed", group("sg-newsletter", "subscribed")),
        c("sg-newsletter unsubscribed (no state too)", group("sg-newsletter", "unsubscribed")),
        c("sg-sms subscribed", group("sg-sms", "subscribed")),
        c("sg-sms unsubscribed", group("sg-sms", "unsubscribed")),
        trivial("unknown group subscribed", group("sg-none", "subscribed")),
        trivial("unknown group unsubscribed", group("sg-none", "unsubscribed")));
  }

  private List<Case> segmentCases() {
    return List.of(
        c("segment in", segment("seg-us", "in")),
        c("segment not_in", segment("seg-us", "not_in")),
        c("segment in, referring to another segment", segment("seg-active-us", "in")),
        c("segment not_in, referring to another segment", segment("seg-active-us", "not_in")),
        c("segment in, three levels of references", segment("seg-not-active-us", "in")),
        c("segment referred to twice (not a cycle)", and(segment("seg-active-us", "in"), segment("seg-us", "in"))),
        c("segments composed", or(segment("seg-pro", "in"), not(segment("seg-active-us", "in")))),
        trivial("segment in and not_in", and(segment("seg-us", "in"), segment("seg-us", "not_in"))));
  }

  private List<Case> compositionCases() {
    Map<String, Object> deep = attr("country", "equals", "US");
    for (int i = 0; i < 11; i++) {
      deep = i % 2 == 0 ? not(deep) : and(deep);
    }
    return List.of(
        trivial("and of nothing matches everybody", and()),
        trivial("or of nothing matches nobody", or()),
        trivial("not and of nothing", not(and())),
        trivial("not or of nothing", not(or())),
        c("and of one", and(attr("country", "equals", "US"))),
        c("or of one", or(custom("vip", "is_true"))),
        c("and of three families", and(attr("country", "equals", "US"), custom("plan", "equals", "pro"),
            event("app_open", "performed", null, 30, null))),
        c("or of three families", or(attr("country", "equals", "FR"), custom("vip", "is_true"),
            purchase("sku-0005", "purchased", null, null))),
        c("not of or", not(or(attr("country", "equals", "US"), attr("country", "equals", "CA")))),
        c("not of a not_ operator", not(custom("plan", "not_equals", "pro"))),
        c("de Morgan: not of and", not(and(custom("vip", "is_true"), attr("language", "equals", "en")))),
        c("de Morgan: or of nots", or(not(custom("vip", "is_true")), not(attr("language", "equals", "en")))),
        c("nested and/or/not", and(not(purchase("*", "purchased", null, 90)),
            or(custom("score", "greater_than", 50), custom("vip", "is_true")), group("sg-newsletter", "unsubscribed"))),
        c("the whole filter of docs/segments.md", and(attr("country", "in", List.of("US", "CA")), custom("plan", "equals", "pro"),
            event("watched_trailer", "count_greater_than_or_equal", 2, 90, null), not(purchase("*", "purchased", null, 90)))),
        c("eleven levels deep", deep));
  }

  // ---------------------------------------------------------------------------------------------
  // tests

  @TestFactory
  Stream<DynamicTest> standardTextAttributes() {
    return run(standardTextCases());
  }

  @TestFactory
  Stream<DynamicTest> standardNumberAttributes() {
    return run(standardNumberCases());
  }

  @TestFactory
  Stream<DynamicTest> standardDateAttributes() {
    return run(standardDateCases());
  }

  @TestFactory
  Stream<DynamicTest> aliasLabels() {
    return run(aliasLabelCases());
  }

  @TestFactory
  Stream<DynamicTest> customTextAttributes() {
    return run(customTextCases());
  }

  @TestFactory
  Stream<DynamicTest> customNumberAttributes() {
    return run(customNumberCases());
  }

  @TestFactory
  Stream<DynamicTest> customBooleanAttributes() {
    return run(customBooleanCases());
  }

  @TestFactory
  Stream<DynamicTest> customDateAttributes() {
    return run(customDateCases());
  }

  @TestFactory
  Stream<DynamicTest> customArrayAttributes() {
    return run(customArrayCases());
  }

  @TestFactory
  Stream<DynamicTest> nestedCustomAttributes() {
    return run(nestedCases());
  }

  @TestFactory
  Stream<DynamicTest> customEvents() {
    return run(eventCases());
  }

  @TestFactory
  Stream<DynamicTest> purchases() {
    return run(purchaseCases());
  }

  @TestFactory
  Stream<DynamicTest> revenue() {
    return run(revenueCases());
  }

  @TestFactory
  Stream<DynamicTest> subscriptionGroups() {
    return run(subscriptionGroupCases());
  }

  @TestFactory
  Stream<DynamicTest> otherSegments() {
    return run(segmentCases());
  }

  @TestFactory
  Stream<DynamicTest> composition() {
    return run(compositionCases());
  }

  /**
   * Paging through the members of a segment (how exports read them) meets every member the count
   * counts, once, in key order, each with the profile (aliases included) the reader finds for it.
   */
  @Test
  void membersArePagedByKeyOnceEachWithTheirWholeProfile() {
    Filter filter = FilterParser.parse(or(attr("country", "equals", "US"), attr("alias_label", "exists")));
    long counted = storage.segmentQueries().count(filter, resolver(), now);
    Map<String, UserProfile> paged = new LinkedHashMap<>();
    long afterKey = Long.MIN_VALUE;
    for (List<SegmentQueries.Member> page = List.of(); ; ) {
      page = storage.segmentQueries().members(filter, resolver(), now, afterKey, 333);
      for (SegmentQueries.Member member : page) {
        assertThat(member.key()).as("keys ascend across pages").isGreaterThan(afterKey);
        afterKey = member.key();
        UserProfile profile = member.profile();
        assertThat(paged.put(profile.brazeId(), profile)).as("%s appears once", profile.brazeId()).isNull();
      }
      if (page.size() < 333) {
        break;
      }
    }
    assertThat((long) paged.size()).isEqualTo(counted).isBetween(1L, (long) USERS - 1);
    for (User user : users) {
      if (paged.containsKey(user.brazeId)) {
        assertThat(paged.get(user.brazeId)).as("member %s", user.brazeId)
            .isEqualTo(storage.profileReader().find(user.lookup()).orElseThrow());
      }
    }
  }

  @Test
  void segmentsThatReachThemselvesOrDoNotExistAreRejected() {
    Map<String, Filter> loops = new HashMap<>();
    loops.put("loop-a", FilterParser.parse(and(attr("country", "equals", "US"), segment("loop-b", "in"))));
    loops.put("loop-b", FilterParser.parse(or(custom("vip", "is_true"), not(segment("loop-a", "in")))));
    loops.put("self", FilterParser.parse(not(segment("self", "in"))));
    SegmentResolver resolver = id -> Optional.ofNullable(loops.get(id));

    assertThatThrownBy(() -> storage.segmentQueries().count(FilterParser.parse(segment("loop-a", "in")), resolver, now))
        .isInstanceOf(FilterException.class);
    assertThatThrownBy(() -> storage.segmentQueries().count(FilterParser.parse(segment("self", "not_in")), resolver, now))
        .isInstanceOf(FilterException.class);
    assertThatThrownBy(() -> storage.segmentQueries().count(FilterParser.parse(segment("missing", "in")), resolver, now))
        .isInstanceOf(FilterException.class);
  }

  /** Every operator of every family in docs/segments.md has at least one case. */
  @Test
  void everyDocumentedOperatorHasACase() {
    Set<String> covered = new TreeSet<>();
    Stream.of(standardTextCases(), standardNumberCases(), standardDateCases(), aliasLabelCases(), customTextCases(),
            customNumberCases(), customBooleanCases(), customDateCases(), customArrayCases(), nestedCases(), eventCases(),
            purchaseCases(), revenueCases(), subscriptionGroupCases(), segmentCases(), compositionCases())
        .flatMap(List::stream).forEach(one -> covers(one.filter(), covered));

    Set<String> required = new TreeSet<>();
    TEXT_OPS.forEach(op -> required.add("attribute text " + op));
    NUMBER_OPS.forEach(op -> required.add("attribute number " + op));
    NUMBER_OPS.forEach(op -> required.add("attribute age " + op));
    DATE_OPS.forEach(op -> required.add("attribute date " + op));
    DATE_OPS.forEach(op -> required.add("attribute dob " + op));
    TEXT_OPS.forEach(op -> required.add("alias_label " + op));
    TEXT_OPS.forEach(op -> required.add("custom_attribute text " + op));
    NUMBER_OPS.forEach(op -> required.add("custom_attribute number " + op));
    BOOLEAN_OPS.forEach(op -> required.add("custom_attribute boolean " + op));
    DATE_OPS.forEach(op -> required.add("custom_attribute date " + op));
    ARRAY_OPS.forEach(op -> required.add("custom_attribute array " + op));
    required.addAll(List.of("custom_attribute path text equals", "custom_attribute path number greater_than"));
    for (String op : ACTIVITY_OPS) {
      required.add("custom_event " + op.replace("%s", "performed"));
      required.add("purchased_product one " + op.replace("%s", "purchased"));
      required.add("purchased_product * " + op.replace("%s", "purchased"));
    }
    for (String op : ACTIVITY_OPS.subList(0, 7)) {
      required.add("custom_event in_last_days " + op.replace("%s", "performed"));
      required.add("purchased_product in_last_days " + op.replace("%s", "purchased"));
    }
    REVENUE_OPS.forEach(op -> required.add("purchased_product one " + op));
    REVENUE_OPS.forEach(op -> required.add("purchased_product * " + op));
    required.add("purchased_product in_last_days revenue_greater_than");
    TEXT_OPS.forEach(op -> required.add("property text " + op));
    NUMBER_OPS.stream().filter(op -> !op.endsWith("exists")).forEach(op -> required.add("property number " + op));
    required.addAll(List.of("subscription_group subscribed", "subscription_group unsubscribed", "segment in", "segment not_in",
        "and", "or", "not", "and []", "or []"));

    required.removeAll(covered);
    assertThat(required).as("documented operators without a case").isEmpty();
  }

  private static void covers(Object json, Set<String> covered) {
    Map<String, Object> node = object(json);
    for (String key : List.of("and", "or")) {
      if (node.containsKey(key)) {
        covered.add(list(node.get(key)).isEmpty() ? key + " []" : key);
        list(node.get(key)).forEach(child -> covers(child, covered));
        return;
      }
    }
    if (node.containsKey("not")) {
      covered.add("not");
      covers(node.get("not"), covered);
      return;
    }
    String op = (String) node.get("op");
    Object value = node.get("value");
    if (node.containsKey("attribute")) {
      String field = (String) node.get("attribute");
      String kind = field.equals("alias_label") ? "alias_label"
          : field.equals("age") || field.equals("dob") ? "attribute " + field
          : TEXT_FIELDS.contains(field) ? "attribute text"
          : NUMBER_FIELDS.contains(field) ? "attribute number" : "attribute date";
      covered.add(kind + " " + op);
    } else if (node.containsKey("custom_attribute")) {
      List<String> types = new ArrayList<>();
      if (op.equals("exists") || op.equals("not_exists")) {
        types.addAll(List.of("text", "number", "date"));
      } else if (op.equals("equals") || op.equals("not_equals")) {
        types.add(value instanceof Number ? "number" : "text");
      } else {
        types.add(TEXT_ONLY_OPS.contains(op) ? "text" : NUMBER_ONLY_OPS.contains(op) ? "number"
            : BOOLEAN_OPS.contains(op) ? "boolean" : ARRAY_OPS.contains(op) ? "array" : "date");
      }
      String prefix = node.containsKey("path") ? "custom_attribute path " : "custom_attribute ";
      types.forEach(type -> covered.add(prefix + type + " " + op));
    } else if (node.containsKey("custom_event")) {
      covered.add("custom_event " + op);
      if (node.get("in_last_days") != null) {
        covered.add("custom_event in_last_days " + op);
      }
      if (node.get("property") != null) {
        Map<String, Object> property = object(node.get("property"));
        String propertyOp = (String) property.get("op");
        boolean numeric = NUMBER_ONLY_OPS.contains(propertyOp) || property.get("value") instanceof Number;
        covered.add("property " + (numeric ? "number " : "text ") + propertyOp);
      }
    } else if (node.containsKey("purchased_product")) {
      covered.add("purchased_product " + (node.get("purchased_product").equals("*") ? "* " : "one ") + op);
      if (node.get("in_last_days") != null) {
        covered.add("purchased_product in_last_days " + op);
      }
    } else if (node.containsKey("subscription_group")) {
      covered.add("subscription_group " + op);
    } else if (node.containsKey("segment")) {
      covered.add("segment " + op);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // JSON-shaped filters

  /** A JSON object from key/value pairs; a null value leaves its key out. */
  private static Map<String, Object> node(Object... keysAndValues) {
    Map<String, Object> node = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        node.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return node;
  }

  private static Map<String, Object> attr(String field, String op) {
    return node("attribute", field, "op", op);
  }

  private static Map<String, Object> attr(String field, String op, Object value) {
    return node("attribute", field, "op", op, "value", value);
  }

  private static Map<String, Object> custom(String name, String op) {
    return node("custom_attribute", name, "op", op);
  }

  private static Map<String, Object> custom(String name, String op, Object value) {
    return node("custom_attribute", name, "op", op, "value", value);
  }

  private static Map<String, Object> nested(String name, List<String> path, String op, Object value) {
    return node("custom_attribute", name, "path", path, "op", op, "value", value);
  }

  private static Map<String, Object> event(String name, String op, Object value, Integer inLastDays,
      Map<String, Object> property) {
    return node("custom_event", name, "op", op, "value", value, "in_last_days", inLastDays, "property", property);
  }

  private static Map<String, Object> prop(String name, String op, Object value) {
    return node("name", name, "op", op, "value", value);
  }

  private static Map<String, Object> purchase(String product, String op, Object value, Integer inLastDays) {
    return node("purchased_product", product, "op", op, "value", value, "in_last_days", inLastDays);
  }

  private static Map<String, Object> group(String id, String op) {
    return node("subscription_group", id, "op", op);
  }

  private static Map<String, Object> segment(String id, String op) {
    return node("segment", id, "op", op);
  }

  private static Map<String, Object> and(Object... filters) {
    return node("and", Arrays.asList(filters));
  }

  private static Map<String, Object> or(Object... filters) {
    return node("or", Arrays.asList(filters));
  }

  private static Map<String, Object> not(Map<String, Object> filter) {
    return node("not", filter);
  }

  /** Compact JSON, for test names and messages. */
  private static String json(Object value) {
    return switch (value) {
      case null -> "null";
      case String text -> '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + '"';
      case Map<?, ?> map -> map.entrySet().stream().map(entry -> json(entry.getKey()) + ":" + json(entry.getValue()))
          .collect(Collectors.joining(",", "{", "}"));
      case List<?> list -> list.stream().map(ITSegmentQueries::json).collect(Collectors.joining(",", "[", "]"));
      default -> String.valueOf(value);
    };
  }
}
