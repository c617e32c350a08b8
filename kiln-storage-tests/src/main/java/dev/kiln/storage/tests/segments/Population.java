package dev.kiln.storage.tests.segments;

import dev.kiln.core.profile.UserAlias;
import dev.kiln.storage.tests.segments.User.Bought;
import dev.kiln.storage.tests.segments.User.Event;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The generated population: {@value #USERS} users drawn from one seed, with standard and custom
 * attributes of every type (and, for some users, another type under the same name), aliases,
 * subscription groups, events and purchases, as a plain in-memory model. Some values are edge cases
 * on purpose (blank text, a tab, a dob in the future, numbers as strings).
 */
final class Population {
  static final int USERS = 10_000;
  private static final long SEED = 0x5E6_4E17L;
  private static final long DAY_MILLIS = 86_400_000L;

  private static final String[] FIRST_NAMES = {
    "Ana",
    "Bob",
    "Chloé",
    "Dmitri",
    "Émile",
    "Fatima",
    "George",
    "Hana",
    "Ivan",
    "Jean-Luc",
    "Kim",
    "Li",
    "María",
    "Noor",
    "Olu",
    "Priya"
  };
  private static final String[] LAST_NAMES = {
    "Smith", "Johnson", "Martin", "Müller", "Tanaka", "Silva", "Nguyen", "Andersson"
  };
  private static final String[] DOMAINS = {
    "example.com", "example.com", "example.org", "mail.test", "EXAMPLE.com"
  };
  private static final String[] COUNTRIES = {
    "US", "US", "US", "CA", "FR", "DE", "GB", "BR", "JP", "IN"
  };
  private static final String[] LANGUAGES = {"en", "en", "fr", "de", "es", "pt", "ja"};
  private static final String[] GENDERS = {"M", "F", "O", "N", "P"};
  private static final String[] HOME_CITIES = {
    "Paris", "London", "New York", "São Paulo", "Tokyo", ""
  };
  private static final String[] TIME_ZONES = {
    "America/New_York", "Europe/Paris", "Europe/Berlin", "Asia/Tokyo", "UTC"
  };
  private static final String[] STATES = {"opted_in", "subscribed", "unsubscribed"};
  private static final String[] PLANS = {"free", "free", "pro", "team", "enterprise"};
  private static final String[] GENRES = {
    "comedy", "drama", "horror", "sci-fi", "science", "documentary", "action", "romance"
  };
  private static final List<Object> LUCKY =
      List.of(1L, 7L, 13L, new BigDecimal("2.5"), true, false, "7", "lucky");
  private static final String[] PET_NAMES = {"Rex", "Tom", "Nemo", "Bella"};
  private static final String[] PET_KINDS = {"dog", "cat", "fish"};
  private static final String[] CITIES = {"Paris", "London", "Berlin", "New York", "Lyon", ""};
  private static final String[] UTM_SOURCES = {"google", "newsletter", "facebook ads"};
  private static final String[] SOURCES = {"ios", "android", "web"};
  private static final String[] PRODUCTS = {
    "sku-0001", "sku-0002", "sku-0003", "sku-0004", "sku-0005", "sku-0006"
  };
  private static final String[] PRICES = {"0.99", "4.99", "9.99", "19.99", "49.00", "0.10"};

  private record EventKind(String name, int percent, int max) {}

  private static final List<EventKind> EVENT_KINDS =
      List.of(
          new EventKind("app_open", 85, 10),
          new EventKind("watched_trailer", 50, 4),
          new EventKind("played_song", 40, 6),
          new EventKind("added_to_cart", 30, 3),
          new EventKind("shared", 20, 2),
          new EventKind("search", 45, 5),
          new EventKind("level_up", 25, 3),
          new EventKind("rare_event", 1, 1));

  /** Every generated activity happened before this. */
  private final Instant base;

  private Population(Instant base) {
    this.base = base;
  }

  /**
   * The users, the same for the same {@code base}: every activity lies before it, some dates after
   * it.
   */
  static List<User> generate(Instant base) {
    Population population = new Population(base);
    SplittableRandom random = new SplittableRandom(SEED);
    List<User> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(population.generate(i, random));
    }
    return users;
  }

  private User generate(int i, SplittableRandom r) {
    boolean aliasOnly = r.nextInt(100) < 8;
    User user = new User(i, aliasOnly ? null : "user-" + i);
    if (aliasOnly) {
      user.aliases.add(
          new UserAlias("anon-" + i, r.nextInt(10) < 6 ? "amplitude_id" : "mixpanel_id"));
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
      s.put(
          "dob",
          LocalDate.ofInstant(base, ZoneOffset.UTC)
              .plusDays(1 + r.nextInt(200))
              .toString()); // bad data
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
      c.put(
          "pets",
          unique(
              r.nextInt(1, 4),
              () -> {
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
}
